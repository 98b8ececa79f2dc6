/**
 * flush-cache sends FLUSHALL straight to the cache over RESP: against the built-in RESP
 * server, and against a real redis-server when one is installed (skipped with a reason
 * otherwise; a failure under CLOUDLAB_REQUIRE_ALL=1).
 */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRespServer } from '../../src/deps/index.js';
import { systemBinary } from '../helpers/binaries.js';
import { RawClient, encodeCommand, parseAll } from '../deps/resp-client.js';
import { startRedisServer } from '../deps/redis-server.js';
import { chaosLab, rejectsWith } from './chaos-lab.js';

/** Runs commands with the tests' own raw RESP client; returns the replies. */
async function run(t: TestContext, port: number, ...commands: string[][]): Promise<unknown[]> {
  const client = await RawClient.connect(t, port);
  client.write(Buffer.concat(commands.map((c) => encodeCommand(c))));
  return parseAll(await client.replies(commands.length));
}

/** `otherDb`: also fill db 1 (the built-in cache has one keyspace, as a cluster does). */
async function flushes(t: TestContext, port: number, otherDb: boolean): Promise<void> {
  await run(t, port, ['SET', 'menu:1', 'espresso'], ['SET', 'menu:2', 'latte']);
  if (otherDb) await run(t, port, ['SELECT', '1'], ['SET', 'other-db', 'x']);
  assert.deepEqual(await run(t, port, ['DBSIZE']), [2n]);
  const lab = await chaosLab(t, { cacheUrl: `redis://127.0.0.1:${port}` });
  const fault = await lab.chaos.inject({ scenario: 'flush-cache' });
  assert.equal(fault.detail, `FLUSHALL on the cache at 127.0.0.1:${port}: 2 key(s) of db 0 gone`);
  assert.equal(fault.expiresAtMs, null);
  assert.deepEqual(await run(t, port, ['DBSIZE']), [0n]);
  if (otherDb) assert.deepEqual(await run(t, port, ['SELECT', '1'], ['DBSIZE']), [{ simple: 'OK' }, 0n], 'FLUSHALL: every database is empty');
  assert.deepEqual(await lab.chaos.status(), [], 'instant: nothing kept');
  assert.equal(lab.events.since(0)[0]?.detail, 'flush-cache 2 key(s) gone (f1)');
}

test('flush-cache empties the built-in RESP cache', async (t) => {
  const server = await createRespServer({ host: '127.0.0.1', port: 0 });
  t.after(() => server.close());
  await flushes(t, server.port, false);
});

test('flush-cache empties a real redis-server', async (t) => {
  const binary = systemBinary(t, 'redis-server', 'redis-server');
  if (!binary) return;
  const dir = await mkdtemp(join(tmpdir(), 'cloudlab-chaos-redis-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await flushes(t, await startRedisServer(t, binary, dir), true);
});

test('flush-cache against a cache that does not answer fails with LAB_CHAOS_APPLY_FAILED', async (t) => {
  const server = await createRespServer({ host: '127.0.0.1', port: 0 });
  const port = server.port;
  await server.close();
  const lab = await chaosLab(t, { cacheUrl: `redis://127.0.0.1:${port}` });
  await rejectsWith(lab.chaos.inject({ scenario: 'flush-cache' }), 'LAB_CHAOS_APPLY_FAILED', `flush-cache (FLUSHALL on 127.0.0.1:${port}) failed`, 'ECONNREFUSED');
  assert.equal(lab.events.since(0).length, 0);
});
