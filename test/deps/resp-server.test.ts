/** The built-in cache over real sockets: expiry on an injected clock, limits, what differs from Redis, ioredis. */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { createRespServer } from '../../src/deps/index.js';
import type { RespServerOptions } from '../../src/deps/index.js';
import { isLabError } from '../../src/errors.js';
import { encodeCommand, RawClient } from './resp-client.js';

async function start(t: TestContext, options: Partial<RespServerOptions> = {}): Promise<{ port: number; client: RawClient }> {
  const server = await createRespServer({ host: '127.0.0.1', port: 0, ...options });
  t.after(() => server.close());
  return { port: server.port, client: await RawClient.connect(t, server.port) };
}

function manualClock(startMs = 1_700_000_000_000): { now: () => number; advance: (ms: number) => void } {
  let now = startMs;
  return { now: () => now, advance: (ms) => (now += ms) };
}

test('keys expire when the injected clock passes their time', async (t) => {
  const clock = manualClock();
  const { client } = await start(t, { clock: clock.now });
  assert.deepEqual(await client.call('SET', 'k', 'v', 'PX', '100'), { simple: 'OK' });
  clock.advance(99);
  assert.deepEqual(await client.call('PTTL', 'k'), 1n);
  assert.deepEqual(await client.call('GET', 'k'), Buffer.from('v'));
  clock.advance(1);
  assert.equal(await client.call('GET', 'k'), null);
  assert.deepEqual(await client.call('TTL', 'k'), -2n);
});

test('TTL rounds the remaining time to the nearest second, as Redis does', async (t) => {
  const clock = manualClock();
  const { client } = await start(t, { clock: clock.now });
  await client.call('SET', 'k', 'v', 'EX', '10');
  clock.advance(4_501);
  assert.deepEqual(await client.call('TTL', 'k'), 5n);
  clock.advance(1);
  assert.deepEqual(await client.call('TTL', 'k'), 5n);
  clock.advance(1_000);
  assert.deepEqual(await client.call('TTL', 'k'), 4n);
  assert.deepEqual(await client.call('PTTL', 'k'), 4_498n);
});

test('EXPIRE into the past deletes at once; EXAT and PXAT are absolute', async (t) => {
  const clock = manualClock(1_000_000);
  const { client } = await start(t, { clock: clock.now });
  await client.call('SET', 'a', '1', 'PXAT', '1000500');
  assert.deepEqual(await client.call('PTTL', 'a'), 500n);
  await client.call('SET', 'b', '1', 'EXAT', '1001');
  assert.deepEqual(await client.call('PTTL', 'b'), 1_000n);
  assert.deepEqual(await client.call('PEXPIRE', 'b', '0'), 1n);
  assert.deepEqual(await client.call('EXISTS', 'a', 'b'), 1n);
});

test('the periodic sweep removes expired keys nobody reads', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  const clock = manualClock();
  const { client } = await start(t, { clock: clock.now, sweepIntervalMs: 100 });
  await client.call('SET', 'a', '1', 'PX', '10');
  await client.call('SET', 'b', '1', 'PX', '10');
  await client.call('SET', 'c', '1');
  clock.advance(20);
  // DBSIZE counts keys not yet removed, as in Redis.
  assert.deepEqual(await client.call('DBSIZE'), 3n);
  t.mock.timers.tick(100);
  assert.deepEqual(await client.call('DBSIZE'), 1n);
});

test('a request split into single bytes gets one reply', async (t) => {
  const { client } = await start(t);
  const bytes = Buffer.concat([encodeCommand(['SET', 'k', 'split']), Buffer.from('GET k\r\n')]);
  for (const byte of bytes) client.write(Buffer.from([byte]));
  assert.equal((await client.replies(2)).toString(), '+OK\r\n$5\r\nsplit\r\n');
});

test('maxRequestBytes bounds one argument and the arguments of one request', async (t) => {
  const { port, client } = await start(t, { maxRequestBytes: 1024 });
  client.write(encodeCommand(['SET', 'k', 'x'.repeat(1000)]));
  assert.equal((await client.replies(1)).toString(), '+OK\r\n');
  client.write(encodeCommand(['SET', 'k', 'x'.repeat(1025)]));
  assert.equal((await client.untilClosed()).toString(), '-ERR Protocol error: invalid bulk length\r\n');
  const other = await RawClient.connect(t, port);
  other.write(encodeCommand(['MGET', ...Array.from({ length: 200 }, () => 'key-name')]));
  assert.equal((await other.untilClosed()).toString(), '-ERR Protocol error: request over 1024 bytes\r\n');
});

test('what differs from Redis: HELLO 3, SELECT other than 0, CLIENT SETINFO (7.2), INFO says builtin', async (t) => {
  const { client } = await start(t);
  assert.deepEqual(await client.call('HELLO', '3'), { error: 'NOPROTO unsupported protocol version' });
  assert.deepEqual(await client.call('SELECT', '1'), { error: 'ERR DB index is out of range' });
  assert.deepEqual(await client.call('CLIENT', 'SETINFO', 'LIB-NAME', 'ioredis'), { simple: 'OK' });
  assert.deepEqual(await client.call('CLIENT', 'SETINFO', 'lib-ver', '5.0.0'), { simple: 'OK' });
  assert.deepEqual(await client.call('CLIENT', 'SETINFO', 'color', 'red'), { error: "ERR Unrecognized option 'color'" });
  const info = (await client.call('INFO')) as Buffer;
  for (const line of ['redis_version:7.0.0', 'cloudlab_cache:builtin', 'loading:0', 'cluster_enabled:0']) assert.ok(info.toString().includes(`${line}\r\n`), line);
  assert.deepEqual(await client.call('COMMAND', 'COUNT'), 28n);
  assert.deepEqual(await client.call('COMMAND', 'DOCS', 'get'), []);
});

test('a second server on a taken port fails with LAB_DEPS_CACHE_LISTEN_FAILED', async (t) => {
  const { port } = await start(t);
  await assert.rejects(createRespServer({ host: '127.0.0.1', port }), (err) => isLabError(err) && err.code === 'LAB_DEPS_CACHE_LISTEN_FAILED' && err.message.includes(`127.0.0.1:${port}`));
});

test('close() ends open connections', async (t) => {
  const server = await createRespServer({ host: '127.0.0.1', port: 0 });
  const socket = net.connect(server.port, '127.0.0.1');
  t.after(() => socket.destroy());
  await once(socket, 'connect');
  const closed = once(socket, 'close');
  await server.close();
  await closed;
});

test('ioredis connects (INFO ready check, CLIENT SETINFO) and runs the cafe cache pattern', async (t) => {
  const { port } = await start(t);
  const redis = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, connectionName: 'cafe' });
  t.after(() => redis.disconnect());
  await redis.connect();
  const json = JSON.stringify({ id: 1, name: 'flat white' });
  const written = await redis.multi().set('menu:1', json, 'EX', 30).set('menu:1:stale', json, 'EX', 86_400).exec();
  assert.deepEqual(written, [
    [null, 'OK'],
    [null, 'OK'],
  ]);
  assert.equal(await redis.get('menu:1'), json);
  assert.equal(await redis.ttl('menu:1'), 30);
  assert.equal(await redis.client('GETNAME'), 'cafe');
  assert.equal(await redis.ping(), 'PONG');
  await assert.rejects(redis.call('HSET', 'h', 'f', 'v'), /unknown command 'HSET'/);
  assert.equal(await redis.quit(), 'OK');
});
