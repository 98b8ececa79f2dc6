/**
 * The built-in cache against a real redis-server: the same cases, the same bytes.
 * Skips without redis-server (apt-get install redis-server).
 */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createRespServer } from '../../src/deps/index.js';
import { systemBinary } from '../helpers/binaries.js';
import { CONTRACT_CASES } from './resp-cases.js';
import type { ContractCase } from './resp-cases.js';
import { encodeCommand, parseAll, RawClient } from './resp-client.js';
import { startRedisServer } from './redis-server.js';

async function runCase(t: TestContext, port: number, c: ContractCase): Promise<Buffer> {
  const admin = await RawClient.connect(t, port);
  assert.deepEqual(await admin.call('FLUSHALL'), { simple: 'OK' });
  admin.socket.destroy();
  const client = await RawClient.connect(t, port);
  if (c.commands !== undefined) {
    client.write(Buffer.concat(c.commands.map(encodeCommand)));
    return client.replies(c.commands.length);
  }
  client.write(c.raw ?? '');
  return c.closes === true ? client.untilClosed() : client.replies(c.replies ?? 1);
}

async function servers(t: TestContext): Promise<{ builtin: number; redis: number } | undefined> {
  const binary = systemBinary(t, 'redis-server', 'redis-server');
  if (binary === undefined) return undefined;
  const dir = await mkdtemp(join(tmpdir(), 'cloudlab-redis-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const redis = await startRedisServer(t, binary, dir);
  const builtin = await createRespServer({ host: '127.0.0.1', port: 0 });
  t.after(() => builtin.close());
  return { builtin: builtin.port, redis };
}

test('the built-in cache answers every contract case as redis-server does', async (t) => {
  const ports = await servers(t);
  if (ports === undefined) return;
  for (const c of CONTRACT_CASES) {
    await t.test(c.name, async (t) => {
      const ours = await runCase(t, ports.builtin, c);
      const theirs = await runCase(t, ports.redis, c);
      if (c.project !== undefined) assert.deepEqual(c.project(parseAll(ours)), c.project(parseAll(theirs)));
      else assert.equal(ours.toString('latin1'), theirs.toString('latin1'));
    });
  }
});

test('ioredis gets the same results from both, through connect, pipeline and MULTI', async (t) => {
  const ports = await servers(t);
  if (ports === undefined) return;
  const session = async (port: number): Promise<unknown[]> => {
    const redis = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, connectionName: 'contract' });
    t.after(() => redis.disconnect());
    await redis.connect();
    await redis.flushall();
    const results: unknown[] = [];
    results.push(await redis.set('menu:1', JSON.stringify({ name: 'espresso' }), 'EX', 60));
    results.push(await redis.get('menu:1'));
    results.push(await redis.ttl('menu:1'));
    results.push(await redis.multi().set('a', '1', 'EX', 60).set('a:stale', '1', 'EX', 86_400).incr('n').exec());
    results.push(await redis.pipeline().get('a').get('missing').mget('a', 'a:stale').exec());
    results.push(await redis.client('GETNAME'));
    results.push(await redis.incr('a').catch((err: Error) => err.message));
    results.push(await redis.set('a', 'x').then(() => redis.incr('a')).catch((err: Error) => err.message));
    results.push(await redis.call('NOSUCHCOMMAND', 'x').catch((err: Error) => err.message));
    results.push(await redis.quit());
    return results;
  };
  assert.deepEqual(await session(ports.builtin), await session(ports.redis));
});
