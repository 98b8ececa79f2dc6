/** `cloudlab proxy` as a child process: start from a config file, serve, stop on SIGTERM; flags and bad files. */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, echoServer, tcpServer } from '../helpers/net.js';
import { VERSION, cli, waitForLine } from '../helpers/cli.js';
import type { Run } from '../helpers/cli.js';
import { assertForwards, assertRefused, ok, portOf } from '../helpers/proxy-api.js';
import type { ProxyJson } from '../helpers/proxy-api.js';


/** Asserts a clean exit 0, showing stderr when it was not. */
async function succeeds(run: Run): Promise<void> {
  assert.deepEqual(await run.exited, { code: 0, signal: null }, `exit 0; stderr: ${run.stderr()}`);
  assert.equal(run.stderr(), '');
}

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cloudlab-cli-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function configFile(t: TestContext, content: string): Promise<string> {
  const file = join(await tempDir(t), 'toxiproxy.json');
  await writeFile(file, content);
  return file;
}

test('cloudlab proxy --config starts the proxies of the file, serves the API and exits 0 on SIGTERM', async (t) => {
  const echo = await echoServer(t);
  const upstream = `127.0.0.1:${echo.port}`;
  const file = await configFile(
    t,
    JSON.stringify([
      { name: 'db', listen: '127.0.0.1:0', upstream, enabled: true },
      { name: 'cache', listen: '127.0.0.1:0', upstream, enabled: false },
    ]),
  );
  const run = cli(t, ['proxy', '--port', '0', '--config', file]);
  const [, url] = await waitForLine(run, /API on (http:\/\/127\.0\.0\.1:\d+) /);
  assert.ok(url);
  assert.match(run.stdout(), new RegExp(`cloudlab proxy ${VERSION.replace(/\./g, '\\.')}: Toxiproxy 2\\.12\\.0 API on ${url} \\(metrics at ${url}/metrics\\)`));

  const proxies = ok<Record<string, ProxyJson>>(await api(url, 'GET', '/proxies'));
  assert.deepEqual(Object.keys(proxies).sort(), ['cache', 'db']);
  const db = proxies['db']!;
  assert.equal(db.enabled, true);
  assert.equal(db.upstream, upstream);
  assert.equal(proxies['cache']?.enabled, false);
  assert.ok(run.stdout().includes(`proxy db: ${db.listen} -> ${upstream}\n`), 'the start lines show the real port');
  assert.ok(run.stdout().includes(`proxy cache: 127.0.0.1:0 -> ${upstream} (disabled)\n`));
  await assertForwards(t, portOf(db.listen));
  assert.deepEqual(ok(await api(url, 'GET', '/version')), { version: '2.12.0', cloudlab: VERSION });

  run.child.kill('SIGTERM');
  const { code, signal } = await run.exited;
  assert.equal(signal, null);
  assert.equal(code, 0, `exit 0 after SIGTERM; stderr: ${run.stderr()}`);
  assert.ok(run.stdout().endsWith('cloudlab proxy: shutting down\n'));
  assert.equal(run.stderr(), '');
  await assertRefused(portOf(db.listen));
  await assertRefused(portOf(url));
});

test('cloudlab proxy without --config starts with no proxies; SIGINT stops it too', async (t) => {
  const run = cli(t, ['proxy', '-port', '0']); // toxiproxy-server's single-dash spelling
  const [, url] = await waitForLine(run, /API on (http:\/\/127\.0\.0\.1:\d+) /);
  assert.deepEqual(ok(await api(url!, 'GET', '/proxies')), {});
  run.child.kill('SIGINT');
  await succeeds(run);
});

test('--help and --version print and exit 0', async (t) => {
  const help = cli(t, ['--help']);
  await succeeds(help);
  assert.match(help.stdout(), /^cloudlab \S+: a local, AWS-shaped reliability lab\n/);
  assert.match(help.stdout(), /Usage: cloudlab <command> \[flags\]/);
  assert.match(help.stdout(), /proxy +run the Toxiproxy-compatible fault proxy/);

  const version = cli(t, ['--version']);
  await succeeds(version);
  assert.equal(version.stdout(), `${VERSION}\n`);
  const short = cli(t, ['-v']);
  await succeeds(short);
  assert.equal(short.stdout(), `${VERSION}\n`);

  const proxyHelp = cli(t, ['proxy', '--help']);
  await succeeds(proxyHelp);
  assert.match(proxyHelp.stdout(), /^Usage: cloudlab proxy /);
  for (const flag of ['--host', '--port', '--config', '--seed']) assert.ok(proxyHelp.stdout().includes(flag), `help lists ${flag}`);
});

/** Runs the CLI expecting exit 1 and one stderr line with every fragment and the code in brackets. */
async function fails(t: TestContext, args: string[], code: string, ...fragments: string[]): Promise<string> {
  const run = cli(t, args);
  assert.deepEqual(await run.exited, { code: 1, signal: null }, `exit 1 for ${args.join(' ')}; stderr: ${run.stderr()}`);
  const err = run.stderr();
  assert.ok(err.startsWith('cloudlab: '), err);
  assert.ok(err.endsWith(` [${code}]\n`), `the code in brackets: ${err}`);
  for (const fragment of fragments) assert.ok(err.includes(fragment), `stderr ${JSON.stringify(err)} should include ${JSON.stringify(fragment)}`);
  assert.equal(run.stdout(), '', 'nothing on stdout');
  return err;
}

test('bad flags and unknown commands exit 1 naming the flag', async (t) => {
  await fails(t, ['proxy', '--nope'], 'LAB_CLI_BAD_FLAG', 'cloudlab proxy: ', "'--nope'", 'see cloudlab proxy --help');
  await fails(t, ['proxy', '--port', '70000'], 'LAB_CLI_BAD_FLAG', '--port must be a port from 0 to 65535, received "70000"');
  await fails(t, ['proxy', '--port', 'http'], 'LAB_CLI_BAD_FLAG', '--port must be a port from 0 to 65535, received "http"');
  await fails(t, ['proxy', '--seed', '1.5'], 'LAB_CLI_BAD_FLAG', '--seed must be an integer, received "1.5"');
  await fails(t, ['proxy', '--config'], 'LAB_CLI_BAD_FLAG', "'--config <value>' argument missing");
  await fails(t, ['serve'], 'LAB_CLI_UNKNOWN_COMMAND', 'unknown command "serve"', 'commands: up, down', 'proxy', 'collector');
});

test('a bad config file exits 1 naming the file, the entry and the problem', async (t) => {
  const echo = await echoServer(t);
  const upstream = `127.0.0.1:${echo.port}`;

  const invalidJson = await configFile(t, '[{"name": "db",');
  await fails(t, ['proxy', '--port', '0', '--config', invalidJson], 'LAB_PROXY_CONFIG_INVALID', `${invalidJson}: not valid JSON (`, 'must be a JSON array of proxies');

  const badListen = await configFile(
    t,
    JSON.stringify([
      { name: 'db', listen: '127.0.0.1:0', upstream },
      { name: 'cache', listen: '8080', upstream },
    ]),
  );
  await fails(t, ['proxy', '--port', '0', '--config', badListen], 'LAB_PROXY_CONFIG_INVALID', `${badListen}: bad request body: proxies[1].listen must be "host:port"`, 'received "8080"');

  const missingUpstream = await configFile(t, JSON.stringify([{ name: 'db', listen: '127.0.0.1:0' }]));
  await fails(t, ['proxy', '--port', '0', '--config', missingUpstream], 'LAB_PROXY_CONFIG_INVALID', `${missingUpstream}: missing required field: upstream at proxies[0]`);

  const notArray = await configFile(t, JSON.stringify({ db: { listen: '127.0.0.1:0', upstream } }));
  await fails(t, ['proxy', '--port', '0', '--config', notArray], 'LAB_PROXY_CONFIG_INVALID', `${notArray}: bad request body: expected a JSON array of proxies`);

  const taken = await tcpServer(t, (socket) => socket.destroy());
  const takenListen = await configFile(t, JSON.stringify([{ name: 'db', listen: `127.0.0.1:${taken.port}`, upstream }]));
  await fails(t, ['proxy', '--port', '0', '--config', takenListen], 'LAB_PROXY_CONFIG_INVALID', `${takenListen}: listen tcp 127.0.0.1:${taken.port}: address already in use`);

  const missing = join(await tempDir(t), 'no-such.json');
  await fails(t, ['proxy', '--port', '0', '--config', missing], 'LAB_PROXY_CONFIG_INVALID', `${missing}: cannot read the proxy config file (`, 'ENOENT', 'check the --config path');
});

test('an API port that is taken exits 1 with LAB_PROXY_API_LISTEN_FAILED', async (t) => {
  const taken = await tcpServer(t, (socket) => socket.destroy());
  await fails(t, ['proxy', '--port', String(taken.port)], 'LAB_PROXY_API_LISTEN_FAILED', `cannot listen on 127.0.0.1:${taken.port} for the proxy API: address already in use`, 'pass --port');
});
