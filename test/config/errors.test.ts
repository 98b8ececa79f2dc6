/** Every kind of config error, with its exact message: file:line:col, key path, value received, fix. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { configDir, rejectsWith, tempDir, yaml } from './fixtures.js';

async function problems(t: Parameters<typeof configDir>[0], text: string, env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  const { dir } = await configDir(t, text);
  return rejectsWith(loadConfig({ cwd: dir, env }), 'LAB_CONFIG_INVALID');
}

const svc = (...lines: string[]): string => yaml('services:', '  cafe:', '    command: node cafe.js', ...lines);

test('a value of the wrong type names file:line:col, the key path, the value and the fix', async (t) => {
  assert.deepEqual(await problems(t, svc('    replicas: two')), [
    'cloudlab.yaml:4:15 services.cafe.replicas must be an integer from 0 to 32, received "two"; fix: write a number such as 2',
  ]);
});

test('values out of range or of the wrong form', async (t) => {
  const lines = await problems(
    t,
    yaml(
      'state_dir: ""',
      'services:',
      '  cafe:',
      '    command: []',
      '    replicas: 33',
      '    ports: ["8000:3000", 70000]',
      '    restart: never',
      '    port_env: 1PORT',
      '    healthcheck: { http: health, interval: 0s, retries: 0 }',
      'hub: { scrape_interval: soon, max_spans: -1 }',
      'toxiproxy: { port: 65536 }',
    ),
  );
  assert.deepEqual(lines, [
    'cloudlab.yaml:1:12 state_dir must not be empty, received ""; fix: write a path such as .cloudlab',
    'cloudlab.yaml:4:14 services.cafe.command must name a program, received []; fix: write the command, such as ["node", "server.js"]',
    'cloudlab.yaml:5:15 services.cafe.replicas must be an integer from 0 to 32, received 33; fix: write a number such as 2',
    'cloudlab.yaml:6:13 services.cafe.ports[0] must be a port or "host:port" with a port from 0 to 65535, received "8000:3000"; fix: write a port such as 8000, or "127.0.0.1:8000" (one side only: no "8000:3000" mapping)',
    'cloudlab.yaml:6:26 services.cafe.ports[1] must be a port or "host:port" with a port from 0 to 65535, received 70000; fix: write a port such as 8000, or "127.0.0.1:8000" (one side only: no "8000:3000" mapping)',
    'cloudlab.yaml:7:14 services.cafe.restart must be one of "no", "always", "on-failure", "unless-stopped", received "never"; fix: write one of them in quotes, such as "on-failure" or "no"',
    'cloudlab.yaml:8:15 services.cafe.port_env must be an environment variable name (letters, digits and "_", not starting with a digit), received "1PORT"; fix: rename it, such as PAYMENTS_URL',
    'cloudlab.yaml:9:26 services.cafe.healthcheck.http must be a path starting with "/", received "health"; fix: write a path such as /health',
    'cloudlab.yaml:9:44 services.cafe.healthcheck.interval must be a duration above 0 such as "2s" (units ms, s, m, h) or a number of milliseconds, received "0s"; fix: write a duration such as 2s',
    'cloudlab.yaml:9:57 services.cafe.healthcheck.retries must be an integer from 1 to 100, received 0; fix: write a number such as 3',
    'cloudlab.yaml:10:25 hub.scrape_interval must be a duration above 0 such as "5s" (units ms, s, m, h) or a number of milliseconds, received "soon"; fix: write a duration such as 5s',
    'cloudlab.yaml:10:42 hub.max_spans must be an integer from 1 to 100000000, received -1; fix: write a number such as 100000',
    'cloudlab.yaml:11:20 toxiproxy.port must be a port from 0 to 65535, received 65536; fix: write a number such as 8080, or 0 for a free port',
  ]);
});

test('an unknown key suggests the closest known one', async (t) => {
  assert.deepEqual(await problems(t, svc('    enviroment:', '      A: 1')), ['cloudlab.yaml:4:5 services.cafe.enviroment is not a key of a service; fix: did you mean "environment"?']);
  assert.deepEqual(await problems(t, yaml('services:', '  cafe:', '    command: node cafe.js', '    dependsOn: [cache]', 'toxyproxy: { port: 1 }')), [
    'cloudlab.yaml:4:5 services.cafe.dependsOn is not a key of a service; fix: did you mean "depends_on"?',
    'cloudlab.yaml:5:1 toxyproxy is not a key of cloudlab.yaml; fix: did you mean "toxiproxy"?',
  ]);
});

test('an unknown key far from any known one lists them; compose-only keys say what to use instead', async (t) => {
  const lines = await problems(t, svc('    image: node:20', '    zzz: 1'));
  assert.deepEqual(lines, [
    'cloudlab.yaml:4:5 services.cafe.image is not a key of a service; fix: cloudlab runs processes, not containers: write command: ["node", "server.js"] instead',
    'cloudlab.yaml:5:5 services.cafe.zzz is not a key of a service; fix: remove it; the known keys are command, cwd, replicas, environment, port_env, healthcheck, restart, depends_on, ports, proxy',
  ]);
});

test('depends_on names that do not exist, and postgres/cache without the dependency', async (t) => {
  const lines = await problems(t, yaml('services:', '  payments:', '    command: node p.js', '  cafe:', '    command: node c.js', '    depends_on: [paymnts, cache, cafe]'));
  assert.deepEqual(lines, [
    'cloudlab.yaml:6:18 services.cafe.depends_on[0] names no service, received "paymnts"; fix: did you mean "payments"?',
    'cloudlab.yaml:6:27 services.cafe.depends_on[1] needs dependencies.cache, which the file does not declare, received "cache"; fix: add cache under dependencies, or remove it from depends_on',
    'cloudlab.yaml:6:34 services.cafe.depends_on[2] names the service itself, received "cafe"; fix: remove it',
  ]);
});

test('a depends_on cycle is named', async (t) => {
  const lines = await problems(
    t,
    yaml('services:', '  a: { command: node a.js, depends_on: [b] }', '  b: { command: node b.js, depends_on: { c: { condition: service_started } } }', '  c: { command: node c.js, depends_on: [a] }'),
  );
  assert.deepEqual(lines, ['cloudlab.yaml:2:40 services.a.depends_on forms a cycle: a -> b -> c -> a, received ["b"]; fix: remove one depends_on entry of the cycle']);
});

test('two listeners on one port name both keys, written or defaulted', async (t) => {
  const lines = await problems(
    t,
    yaml(
      'dependencies:',
      '  postgres: {}',
      'services:',
      '  cafe: { command: node c.js, ports: [8000] }',
      '  api: { command: node a.js, ports: ["127.0.0.1:8000"], proxy: { listen: 5432 } }',
      'console: { port: 9090 }',
    ),
  );
  assert.deepEqual(lines, [
    'cloudlab.yaml:5:38 services.api.ports[0] uses port 8000, as services.cafe.ports[0] does, received "127.0.0.1:8000"; fix: give one of services.api.ports[0] and services.cafe.ports[0] another port, or 0 for a free one',
    'cloudlab.yaml:5:74 services.api.proxy.listen uses port 5432, as dependencies.postgres.proxy.listen (by default) does, received 5432; fix: give one of services.api.proxy.listen and dependencies.postgres.proxy.listen another port, or 0 for a free one',
    'cloudlab.yaml:6:18 console.port uses port 9090, as hub.query_port (by default) does, received 9090; fix: give one of console.port and hub.query_port another port, or 0 for a free one',
  ]);
});

test('different hosts may share a port, port 0 never clashes', async (t) => {
  const { dir } = await configDir(
    t,
    yaml('services:', '  a: { command: node a.js, ports: ["127.0.0.1:8000", 0], proxy: { listen: 0 } }', '  b: { command: node b.js, ports: ["127.0.0.2:8000", 0] }'),
  );
  const config = await loadConfig({ cwd: dir, env: {} });
  assert.equal(config.services['b']!.ports[0]?.host, '127.0.0.2');
});

test('engine external needs url; url and embedded-only keys are refused with the other engine', async (t) => {
  const lines = await problems(
    t,
    yaml('dependencies:', '  postgres:', '    engine: external', '    database: app', '  cache:', '    url: "redis://:hunter2@cache:6379"'),
  );
  assert.deepEqual(lines, [
    'cloudlab.yaml:2:3 dependencies.postgres.url is required with engine: external, received nothing; fix: write url: postgres://user:password@db.example.com:5432/app, or leave engine out for a local postgres',
    'cloudlab.yaml:4:5 dependencies.postgres.database is not used with engine: external, received "app"; fix: remove it; the url says where the server is and how to log in',
    'cloudlab.yaml:6:5 dependencies.cache.url is only for engine: external (engine is auto), received "redis://:********@cache:6379"; fix: write engine: external to use that server, or remove url',
  ]);
});

test('proxy names are unique across proxies, dependency proxies and service proxies', async (t) => {
  const lines = await problems(
    t,
    yaml(
      'dependencies: { postgres: {} }',
      'services:',
      '  pay: { command: node p.js, proxy: { listen: 0 } }',
      'proxies:',
      '  - { name: stripe, listen: 0, upstream: "api.stripe.com:443" }',
      '  - { name: stripe, listen: 0, upstream: "api.stripe.com:443" }',
      '  - { name: postgres, listen: 0, upstream: "db:5432" }',
      '  - { name: pay, listen: 0, upstream: "pay:80" }',
    ),
  );
  assert.deepEqual(lines, [
    'cloudlab.yaml:6:13 proxies[1].name is already the name of proxies[0], received "stripe"; fix: give this proxy another name',
    'cloudlab.yaml:7:13 proxies[2].name is already the name of the proxy in front of dependencies.postgres, received "postgres"; fix: give this proxy another name',
    'cloudlab.yaml:8:13 proxies[3].name is already the name of the proxy in front of services.pay, received "pay"; fix: give this proxy another name',
  ]);
});

test('service names: a pattern, and not postgres or cache', async (t) => {
  const lines = await problems(t, yaml('services:', '  Cafe: { command: node c.js }', '  cache: { command: node c.js }'));
  assert.deepEqual(lines, [
    'cloudlab.yaml:2:3 services.Cafe is not a valid name: it must start with a lowercase letter, use only a-z, 0-9 and "-", and not be "postgres" or "cache", received "Cafe"; fix: rename the service, such as orders-api',
    'cloudlab.yaml:3:3 services.cache is not a valid name: it must start with a lowercase letter, use only a-z, 0-9 and "-", and not be "postgres" or "cache", received "cache"; fix: rename the service, such as orders-api',
  ]);
});

test('a healthcheck takes one of http, tcp and disable; a command line needs closed quotes', async (t) => {
  const lines = await problems(t, yaml('services:', '  cafe:', '    command: node "my app.js', '    healthcheck: { http: /health, disable: true }'));
  assert.deepEqual(lines, [
    'cloudlab.yaml:3:14 services.cafe.command must be a non-empty command line with balanced "double" or \'single\' quotes, received "node \\"my app.js"; fix: close the quote, or write the command as a list such as ["node", "server.js"]',
    'cloudlab.yaml:4:35 services.cafe.healthcheck.disable cannot be used together with http, received true; fix: keep one of http, tcp and disable',
  ]);
});

test('a missing command and a wrong shape', async (t) => {
  const lines = await problems(t, yaml('services:', '  cafe:', '    replicas: 1', 'proxies: { name: x }', 'dependencies:', '  postgres: yes please'));
  assert.deepEqual(lines, [
    'cloudlab.yaml:2:3 services.cafe.command must be a command, received nothing; fix: write it as a list, such as ["node", "server.js"], or as one line',
    'cloudlab.yaml:4:10 proxies must be a list of proxies, received {"name":"x"}; fix: write it as a list: - { name: stripe, listen: 0, upstream: "api.stripe.com:443" }',
    'cloudlab.yaml:6:13 dependencies.postgres must be a map (the postgres dependency), received "yes please"; fix: write its keys indented below it, such as engine, url, database',
  ]);
});

test('every problem is reported at once, in file order', async (t) => {
  const lines = await problems(t, yaml('name: Bad Name', 'services:', '  a: { command: node a.js, replicas: -1, depends_on: [b] }', 'hub: { query_port: x }'));
  assert.equal(lines.length, 4, lines.join('\n'));
  assert.deepEqual(
    lines.map((l) => l.split(' ')[0]),
    ['cloudlab.yaml:1:7', 'cloudlab.yaml:3:38', 'cloudlab.yaml:3:55', 'cloudlab.yaml:4:20'],
  );
});

test('a file that is not a map', async (t) => {
  assert.deepEqual(await problems(t, yaml('- services')), [
    'cloudlab.yaml:1:1 the file must be a map of keys such as services and dependencies, received ["services"]; fix: start the file with keys such as services:',
  ]);
});

test('a file that is not valid YAML: LAB_CONFIG_PARSE with line and column', async (t) => {
  const { dir } = await configDir(t, yaml('name: x', 'services: a: b'));
  const lines = await rejectsWith(loadConfig({ cwd: dir, env: {} }), 'LAB_CONFIG_PARSE');
  assert.deepEqual(lines, ['cloudlab.yaml:2:11 is not valid YAML: Nested mappings are not allowed in compact mappings; fix: check the indentation, colons and quotes there']);

  const quote = await configDir(t, yaml('services:', '  cafe:', '    command: "node cafe.js', '    replicas: 2'));
  const quoteLines = await rejectsWith(loadConfig({ cwd: quote.dir, env: {} }), 'LAB_CONFIG_PARSE');
  assert.deepEqual(quoteLines, ['cloudlab.yaml:5:1 is not valid YAML: Missing closing "quote; fix: check the indentation, colons and quotes there']);

  const dup = await configDir(t, yaml('name: a', 'name: b'));
  const dupLines = await rejectsWith(loadConfig({ cwd: dup.dir, env: {} }), 'LAB_CONFIG_PARSE');
  assert.match(dupLines[0]!, /^cloudlab\.yaml:2:1 is not valid YAML: Map keys must be unique/);
});

test('a --file that does not exist: LAB_CONFIG_NOT_FOUND; a directory: LAB_CONFIG_UNREADABLE', async (t) => {
  const cwd = await tempDir(t);
  const [line] = await rejectsWith(loadConfig({ cwd, file: 'nope.yaml', env: {} }), 'LAB_CONFIG_NOT_FOUND');
  assert.equal(line, `config file ${join(cwd, 'nope.yaml')} does not exist; fix: check the --file path, or leave --file out to use ./cloudlab.yaml or the built-in cafe demo`);

  await mkdir(join(cwd, 'cloudlab.yaml'));
  const [unreadable] = await rejectsWith(loadConfig({ cwd, env: {} }), 'LAB_CONFIG_UNREADABLE');
  assert.match(unreadable!, new RegExp(`^config file ${join(cwd, 'cloudlab.yaml')} cannot be read \\(EISDIR`));
});

test('messages name a file outside cwd by its absolute path, one inside by its relative path', async (t) => {
  const { file } = await configDir(t, yaml('services:', '  a: { command: node a.js, replicas: x }'));
  const cwd = await tempDir(t);
  const [line] = await rejectsWith(loadConfig({ cwd, file, env: {} }), 'LAB_CONFIG_INVALID');
  assert.ok(line!.startsWith(`${file}:2:38 services.a.replicas`), line);
});

test('a password in an error message is masked', async (t) => {
  const lines = await problems(t, yaml('dependencies:', '  postgres:', '    password: 12345'));
  assert.deepEqual(lines, ['cloudlab.yaml:3:15 dependencies.postgres.password must be a string, received "********"; fix: write it in quotes, such as "s3cret"']);
});
