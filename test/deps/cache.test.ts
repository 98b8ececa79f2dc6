/** prepareCache for each engine: the launch it returns runs a working cache. */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { mkdtemp, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareCache } from '../../src/deps/index.js';
import { isLabError } from '../../src/errors.js';
import { systemBinary } from '../helpers/binaries.js';
import { RawClient } from './resp-client.js';
import { runLaunch } from './launch-runner.js';

async function tempDir(t: TestContext, prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function labError(code: string, ...fragments: string[]): (err: unknown) => boolean {
  return (err) => {
    assert.ok(isLabError(err), `expected a LabError, got ${String(err)}`);
    assert.equal(err.code, code);
    for (const fragment of fragments) assert.ok(err.message.includes(fragment), `message "${err.message}" lacks "${fragment}"`);
    return true;
  };
}

test('the built-in engine launches node resp-main.js, which serves RESP and stops on SIGTERM', async (t) => {
  const stateDir = await tempDir(t, 'cloudlab-cache-');
  const cache = await prepareCache({ stateDir, host: '127.0.0.1', port: 0, engine: 'builtin' });
  assert.equal(cache.engine, 'builtin');
  assert.equal(cache.binary, null);
  assert.equal(cache.launch.command, process.execPath);
  assert.match(cache.launch.args[0]!, /resp-main\.js$/);
  assert.deepEqual(cache.launch.readiness, { type: 'tcp', host: '127.0.0.1', port: cache.port });
  assert.equal(cache.url, `redis://127.0.0.1:${cache.port}`);
  assert.match(cache.hint ?? '', /built-in RESP cache/);
  assert.ok((await stat(cache.launch.cwd)).isDirectory());

  const running = runLaunch(t, cache.launch);
  await running.waitFor(new RegExp(`cache listening on redis://127\\.0\\.0\\.1:${cache.port}\\n`));
  const client = await RawClient.connect(t, cache.port);
  assert.deepEqual(await client.call('SET', 'k', 'v'), { simple: 'OK' });
  assert.deepEqual(await client.call('GET', 'k'), Buffer.from('v'));
  assert.deepEqual(await running.stop(), { code: 0, signal: null });
});

test('auto without valkey-server or redis-server on PATH picks the built-in cache and says how to get one', async (t) => {
  const empty = await tempDir(t, 'cloudlab-path-');
  const cache = await prepareCache({ stateDir: empty, host: '127.0.0.1', port: 0, engine: 'auto', env: { PATH: empty } });
  assert.equal(cache.engine, 'builtin');
  assert.equal(cache.hint, 'built-in RESP cache (no valkey-server or redis-server on PATH; apt-get install valkey-server or redis-server for the real engine)');
});

test('auto finds redis-server on PATH; the launch runs it without persistence', async (t) => {
  const binary = systemBinary(t, 'redis-server', 'redis-server');
  if (binary === undefined) return;
  const bin = await tempDir(t, 'cloudlab-bin-');
  await symlink(binary, join(bin, 'redis-server'));
  const stateDir = await tempDir(t, 'cloudlab-cache-');
  const cache = await prepareCache({ stateDir, host: '127.0.0.1', port: 0, engine: 'auto', env: { PATH: bin } });
  assert.equal(cache.engine, 'redis');
  assert.equal(cache.binary, join(bin, 'redis-server'));
  assert.equal(cache.hint, null);
  assert.equal(cache.launch.cwd, join(stateDir, 'cache'));

  const running = runLaunch(t, cache.launch);
  await running.waitFor(/Ready to accept connections/);
  const client = await RawClient.connect(t, cache.port);
  assert.deepEqual(await client.call('CONFIG', 'GET', 'save'), [Buffer.from('save'), Buffer.from('')]);
  assert.deepEqual(await client.call('CONFIG', 'GET', 'appendonly'), [Buffer.from('appendonly'), Buffer.from('no')]);
  assert.deepEqual(await client.call('CONFIG', 'GET', 'dir'), [Buffer.from('dir'), Buffer.from(join(stateDir, 'cache'))]);
  assert.deepEqual(await running.stop(), { code: 0, signal: null });
});

test('an explicit engine that is not installed fails with LAB_DEPS_CACHE_NOT_FOUND', async (t) => {
  const empty = await tempDir(t, 'cloudlab-path-');
  for (const [engine, binary] of [
    ['valkey', 'valkey-server'],
    ['redis', 'redis-server'],
  ] as const) {
    await assert.rejects(prepareCache({ stateDir: empty, host: '127.0.0.1', port: 0, engine, env: { PATH: empty } }), labError('LAB_DEPS_CACHE_NOT_FOUND', binary, `apt-get install ${binary}`));
  }
});

test('bad options and a taken port fail before anything runs', async (t) => {
  const stateDir = await tempDir(t, 'cloudlab-cache-');
  const base = { stateDir, host: '127.0.0.1', port: 0, engine: 'builtin' } as const;
  await assert.rejects(prepareCache({ ...base, port: 70_000 }), labError('LAB_DEPS_BAD_OPTION', 'cache port', '70000'));
  await assert.rejects(prepareCache({ ...base, engine: 'memcached' as 'auto' }), labError('LAB_DEPS_BAD_OPTION', 'cache engine', '"memcached"'));
  await assert.rejects(prepareCache({ ...base, host: '' }), labError('LAB_DEPS_BAD_OPTION', 'cache host'));

  const holder = net.createServer().listen(0, '127.0.0.1');
  t.after(() => holder.close());
  await once(holder, 'listening');
  const taken = (holder.address() as net.AddressInfo).port;
  await assert.rejects(prepareCache({ ...base, port: taken }), labError('LAB_DEPS_PORT_UNAVAILABLE', `127.0.0.1:${taken}`, 'in use'));
});
