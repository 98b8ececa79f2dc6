/** The built-in cafe demo, file discovery and --free-ports. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/index.js';
import type { LabConfig } from '../../src/config/index.js';
import { tempDir, yaml } from './fixtures.js';

// Compiled to dist/test/config/: the package root is three levels up.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');

test('without a file, the built-in cafe demo: postgres, cache, payments and two cafe replicas behind the edge', async (t) => {
  const cwd = await tempDir(t);
  const config = await loadConfig({ cwd, env: {} });
  assert.equal(config.name, 'cafe-demo');
  assert.equal(config.source.file, null);
  assert.equal(config.dir, cwd);
  assert.equal(config.stateDir, join(cwd, '.cloudlab'));
  assert.equal(config.host, '127.0.0.1');
  assert.deepEqual(config.dependencies.postgres, {
    engine: 'embedded',
    database: 'cafe',
    user: 'cloudlab',
    password: 'cloudlab',
    port: 0,
    proxy: { listen: { host: '127.0.0.1', port: 5432 } },
  });
  assert.deepEqual(config.dependencies.cache, { engine: 'auto', port: 0, proxy: { listen: { host: '127.0.0.1', port: 6379 } } });
  assert.deepEqual(Object.keys(config.services), ['payments', 'cafe']);

  const payments = config.services['payments']!;
  const paymentsMain = join(ROOT, 'examples/cafe/dist/src/payments/main.js');
  assert.deepEqual(payments.command, ['node', paymentsMain]);
  assert.equal(payments.replicas, 1);
  assert.deepEqual(payments.dependsOn, [{ name: 'postgres', condition: 'service_started' }]);
  assert.deepEqual(payments.proxy, { listen: { host: '127.0.0.1', port: 8081 } });
  assert.deepEqual(payments.ports, []);

  const cafe = config.services['cafe']!;
  const cafeMain = join(ROOT, 'examples/cafe/dist/src/cafe/main.js');
  assert.deepEqual(cafe.command, ['node', cafeMain]);
  assert.equal(cafe.replicas, 2);
  assert.deepEqual(
    cafe.dependsOn.map((d) => d.name),
    ['postgres', 'cache', 'payments'],
  );
  assert.deepEqual(cafe.ports, [{ host: '127.0.0.1', port: 8000 }]);
  assert.equal(cafe.proxy, null);
  assert.deepEqual(cafe.environment, { CAFE_FLAGS_FILE: join(cwd, '.cloudlab', 'flags.json'), OTEL_LOGS_EXPORTER: 'none' });
  assert.deepEqual(cafe.healthcheck, { kind: 'http', path: '/health', intervalMs: 2000, timeoutMs: 1000, retries: 3, startPeriodMs: 30_000 });
  assert.equal(cafe.restart, 'on-failure');
  assert.equal(cafe.portEnv, 'PORT');
  assert.equal(cafe.cwd, cwd);

  assert.deepEqual(config.hub, {
    otlpGrpcPort: 4317,
    otlpHttpPort: 4318,
    queryPort: 9090,
    scrapeIntervalMs: 5000,
    retentionMs: 3_600_000,
    maxSeries: 50_000,
    maxSpans: 100_000,
    maxLogs: 100_000,
  });
  assert.deepEqual(config.toxiproxy, { port: 8474 });
  assert.deepEqual(config.console, { port: 3001 });
  assert.deepEqual(config.edge, { healthIntervalMs: 2000, healthTimeoutMs: 1000 });
  assert.deepEqual(config.proxies, []);
  assert.deepEqual(config.scenarios, {});
});

test('the demo\'s commands point at the built cafe services of this package', async (t) => {
  const config = await loadConfig({ cwd: await tempDir(t), env: {} });
  for (const service of Object.values(config.services)) {
    const script = service.command[1] ?? '';
    assert.ok(script.startsWith(`${ROOT}/examples/cafe/dist/src/`), script);
    assert.ok(existsSync(script.replace('/dist/src/', '/src/').replace(/\.js$/, '.ts')), `the source of ${script} exists`);
  }
});

test('the config is deep-frozen', async (t) => {
  const config: LabConfig = await loadConfig({ cwd: await tempDir(t), env: {} });
  const cafe = config.services['cafe']!;
  assert.ok(Object.isFrozen(config));
  assert.ok(Object.isFrozen(cafe.environment));
  assert.ok(Object.isFrozen(cafe.command));
  assert.ok(Object.isFrozen(cafe.ports[0]));
  assert.throws(() => {
    (cafe as { replicas: number }).replicas = 5;
  }, TypeError);
  assert.throws(() => {
    (cafe.command as string[]).push('--inspect');
  }, TypeError);
});

test('cloudlab.yaml in cwd is used when present, else cloudlab.yml', async (t) => {
  const cwd = await tempDir(t);
  await writeFile(join(cwd, 'cloudlab.yml'), yaml('name: from-yml'));
  const fromYml = await loadConfig({ cwd, env: {} });
  assert.equal(fromYml.name, 'from-yml');
  assert.equal(fromYml.source.file, join(cwd, 'cloudlab.yml'));

  await writeFile(join(cwd, 'cloudlab.yaml'), yaml('name: from-yaml'));
  const fromYaml = await loadConfig({ cwd, env: {} });
  assert.equal(fromYaml.name, 'from-yaml');
  assert.equal(fromYaml.source.file, join(cwd, 'cloudlab.yaml'));
  assert.equal(fromYaml.dir, cwd);
});

test('freePorts sets every public listen port to 0 and keeps the rest', async (t) => {
  const cwd = await tempDir(t);
  await writeFile(
    join(cwd, 'cloudlab.yaml'),
    yaml(
      'dependencies:',
      '  postgres: { port: 15432 }',
      '  cache: { port: 16379, proxy: { listen: "127.0.0.2:6380" } }',
      'services:',
      '  api: { command: node api.js, ports: ["8000", "127.0.0.1:8443"], proxy: { listen: 8081 } }',
      'proxies:',
      '  - { name: stripe, listen: 9999, upstream: "api.stripe.com:443" }',
    ),
  );
  const fixed = await loadConfig({ cwd, env: {} });
  assert.equal(fixed.toxiproxy.port, 8474);
  assert.deepEqual(fixed.services['api']!.ports, [
    { host: '127.0.0.1', port: 8000 },
    { host: '127.0.0.1', port: 8443 },
  ]);

  const free = await loadConfig({ cwd, env: {}, overrides: { freePorts: true } });
  const api = free.services['api']!;
  assert.deepEqual(api.ports, [
    { host: '127.0.0.1', port: 0 },
    { host: '127.0.0.1', port: 0 },
  ]);
  assert.deepEqual(api.proxy, { listen: { host: '127.0.0.1', port: 0 } });
  assert.deepEqual(free.dependencies.postgres?.proxy, { listen: { host: '127.0.0.1', port: 0 } });
  assert.deepEqual(free.dependencies.cache?.proxy, { listen: { host: '127.0.0.2', port: 0 } }, 'the host stays');
  assert.deepEqual(free.proxies[0]?.listen, { host: '127.0.0.1', port: 0 });
  assert.deepEqual([free.hub.otlpGrpcPort, free.hub.otlpHttpPort, free.hub.queryPort, free.toxiproxy.port, free.console.port], [0, 0, 0, 0, 0]);
  // The engines' own ports are not public listeners: they stay as written.
  assert.equal(free.dependencies.postgres?.engine === 'embedded' && free.dependencies.postgres.port, 15432);
  assert.equal(free.dependencies.cache?.engine !== 'external' && free.dependencies.cache?.port, 16379);
});

test('freePorts applies to the built-in demo', async (t) => {
  const config = await loadConfig({ cwd: await tempDir(t), env: {}, overrides: { freePorts: true } });
  assert.equal(config.services['cafe']!.ports[0]?.port, 0);
  assert.equal(config.services['payments']!.proxy?.listen.port, 0);
  assert.equal(config.console.port, 0);
});
