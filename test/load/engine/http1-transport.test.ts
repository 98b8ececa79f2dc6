import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import { Http1Transport } from '../../../src/load/engine/http1-transport.js';
import { compileTask } from '../../../src/load/engine/request.js';
import type { SendResult } from '../../../src/load/engine/request.js';
import { FIXTURES, MALFORMED } from './http1-fixtures.js';
import { closedPort, task } from './helpers.js';
import { compiled, sendOnce, startRawServer, writeSplit } from './raw-server.js';

const now = (): number => performance.now();

function transportTo(port: number, connections = 1, timeoutMs = 5000): Http1Transport {
  return new Http1Transport({ host: '127.0.0.1', port, hostHeader: `127.0.0.1:${port}`, connections, timeoutMs, now });
}

const kindOf = (status: number): string | null => (status >= 500 ? 'http_5xx' : status >= 400 ? 'http_4xx' : null);

test('every answer, written in two pieces cut at every byte, reads the same over one kept-alive connection', async (t) => {
  let fixture = FIXTURES[0]!;
  let cut = 0;
  const server = await startRawServer(t, (socket) => writeSplit(socket, Buffer.from(fixture.raw, 'latin1'), cut));
  const transport = transportTo(server.port);
  t.after(() => transport.destroy());
  for (fixture of FIXTURES) {
    const of = compiled({ method: fixture.head ? 'HEAD' : 'GET' });
    const before = server.connections.length;
    const length = Buffer.byteLength(fixture.raw, 'latin1');
    for (cut = 0; cut < length; cut++) {
      const result = await sendOnce(transport, of);
      assert.deepEqual({ status: result.status, body: result.body, error: result.error }, { status: fixture.status, body: fixture.body, error: kindOf(fixture.status) }, `${fixture.name}, cut at ${cut}`);
      assert.ok(result.sentAt > 0 && result.endedAt >= result.sentAt);
    }
    // A kept-alive connection carries every request; one that closes is replaced each time
    // (the first request may still go out on the connection the previous answer kept alive).
    const opened = server.connections.length - before;
    if (fixture.keepAlive) assert.ok(opened <= 1, `${fixture.name}: ${opened} connections`);
    else assert.ok(opened === length || opened === length - 1, `${fixture.name}: ${opened} connections for ${length} requests`);
  }
});

test('the request bytes: line, host, headers, a UTF-8 body with its length; POST without a body says length 0', async (t) => {
  const server = await startRawServer(t, (socket) => socket.write('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n'));
  const transport = transportTo(server.port);
  t.after(() => transport.destroy());
  const post = compileTask(task({ method: 'POST', path: '/orders?x=1', headers: { 'X-Key': 'abc', 'Content-Length': '999' }, body: { item: 'café' } }), 0, '/api/');
  assert.equal((await sendOnce(transport, post)).status, 200);
  const empty = compileTask(task({ method: 'POST', path: '/empty' }), 0);
  assert.equal((await sendOnce(transport, empty)).status, 200);
  const body = '{"item":"café"}';
  assert.deepEqual(server.requests, [
    `POST /api/orders?x=1 HTTP/1.1\r\nhost: 127.0.0.1:${server.port}\r\nX-Key: abc\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    `POST /empty HTTP/1.1\r\nhost: 127.0.0.1:${server.port}\r\ncontent-length: 0\r\n\r\n`,
  ]);
});

test('a header or path that would split the request is refused as other, and nothing is sent', async (t) => {
  const server = await startRawServer(t, (socket) => socket.write('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n'));
  const transport = transportTo(server.port);
  t.after(() => transport.destroy());
  const injected = compiled({ headers: { 'x-a': 'b\r\nx-evil: 1' } });
  assert.equal((await sendOnce(transport, injected)).error, 'other');
  assert.equal((await sendOnce(transport, compiled({ path: '/a b' }))).error, 'other');
  assert.equal(server.requests.length, 0);
});

test('pipelined garbage: the answer counts, the connection is not reused', async (t) => {
  const server = await startRawServer(t, (socket) => socket.write(`${FIXTURES[0]!.raw}HTTP/1.1 200 OK\r\n\r\nnobody asked`));
  const transport = transportTo(server.port);
  t.after(() => transport.destroy());
  for (let i = 0; i < 3; i++) {
    const result = await sendOnce(transport, compiled());
    assert.deepEqual([result.status, result.body, result.error], [200, 'hello world', null]);
  }
  assert.equal(server.connections.length, 3);
});

test('malformed answers are other, cut answers are reset, and the next request gets a new connection', async (t) => {
  let answer = (socket: Socket): void => void socket;
  const server = await startRawServer(t, (socket) => answer(socket));
  const transport = transportTo(server.port);
  t.after(() => transport.destroy());
  const of = compiled();
  for (const bad of MALFORMED) {
    answer = (socket) => socket.write(Buffer.from(bad.raw, 'latin1'));
    assert.equal((await sendOnce(transport, of)).error, 'other', bad.name);
  }
  const full = FIXTURES[4]!.raw;
  for (const cut of [0, 10, full.indexOf('\r\n\r\n') + 4, full.length - 1]) {
    answer = (socket) => socket.end(full.slice(0, cut));
    const result = await sendOnce(transport, of);
    assert.equal(result.error, 'reset', `closed after ${cut} bytes`);
  }
  answer = (socket) => socket.write(FIXTURES[0]!.raw);
  assert.equal((await sendOnce(transport, of)).status, 200);
  assert.equal(server.connections.length, MALFORMED.length + 5);
});

test('a body read until the close completes at the close', async (t) => {
  const server = await startRawServer(t, (socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\nall of it'));
  const transport = transportTo(server.port);
  t.after(() => transport.destroy());
  const result = await sendOnce(transport, compiled());
  assert.deepEqual([result.status, result.body, result.error], [200, 'all of it', null]);
  // Without a bodyIncludes check or a record, the body is read but not kept.
  const unkept = await sendOnce(transport, compiled({}, false));
  assert.deepEqual([unkept.status, unkept.body, unkept.error], [200, '', null]);
});

test('a server that closes an idle connection costs no error: the next request opens another', async (t) => {
  const server = await startRawServer(t, (socket) => {
    socket.write(FIXTURES[0]!.raw);
    socket.end();
  });
  const transport = transportTo(server.port);
  t.after(() => transport.destroy());
  const of = compiled();
  const first = await sendOnce(transport, of);
  assert.equal(first.error, null);
  // Wait for the close to reach the client: the connection leaves the idle list on its 'end'.
  await new Promise<void>((resolve) => server.connections[0]!.once('close', () => resolve()));
  await new Promise<void>((resolve) => setImmediate(resolve));
  assert.equal((await sendOnce(transport, of)).error, null);
  assert.equal(server.connections.length, 2);
});

test('no answer within timeoutMs is a timeout; a refused connection is a connect error', async (t) => {
  const server = await startRawServer(t, () => {});
  const transport = transportTo(server.port, 1, 150);
  t.after(() => transport.destroy());
  const started = now();
  const result = await sendOnce(transport, compiled());
  assert.equal(result.error, 'timeout');
  assert.equal(result.status, null);
  assert.ok(now() - started >= 140, `timed out after ${now() - started} ms`);

  const refused = transportTo(await closedPort());
  t.after(() => refused.destroy());
  assert.equal((await sendOnce(refused, compiled())).error, 'connect');
});

test('beyond its connections, requests queue and go out in order on the same connections', async (t) => {
  const server = await startRawServer(t, (socket, request) => {
    const path = /^GET (\S+)/.exec(request)?.[1] ?? '';
    socket.write(`HTTP/1.1 200 OK\r\ncontent-length: ${path.length}\r\n\r\n${path}`);
  });
  const transport = transportTo(server.port, 2);
  t.after(() => transport.destroy());
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => sendOnce(transport, compiled({ path: `/${i}` }))));
  assert.deepEqual(results.map((r) => r.body), Array.from({ length: 20 }, (_, i) => `/${i}`));
  assert.equal(server.connections.length, 2);
  assert.deepEqual(server.requests.map((r) => /^GET (\S+)/.exec(r)?.[1]), Array.from({ length: 20 }, (_, i) => `/${i}`));
});

test('destroy ends the requests in flight and the queued ones, and later sends fail at once', async (t) => {
  const server = await startRawServer(t, () => {});
  const transport = transportTo(server.port, 1);
  const pending: Array<Promise<SendResult>> = [sendOnce(transport, compiled()), sendOnce(transport, compiled())];
  await new Promise<void>((resolve) => {
    const check = (): void => (server.requests.length > 0 ? resolve() : void setImmediate(check));
    check();
  });
  await transport.destroy();
  assert.deepEqual((await Promise.all(pending)).map((r) => r.error), ['other', 'other']);
  assert.equal((await sendOnce(transport, compiled())).error, 'other');
});

test('answers larger than the read buffer arrive whole, by length and chunked, on one connection', async (t) => {
  const big = 'abcdefghij'.repeat(20_000); // 200 kB, many reads of the 16 kB buffer
  const server = await startRawServer(t, (socket, request) => {
    if (request.startsWith('GET /chunked')) socket.write(`HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n${(70_000).toString(16)}\r\n${big.slice(0, 70_000)}\r\n${(130_000).toString(16)};x=1\r\n${big.slice(70_000)}\r\n0\r\n\r\n`);
    else socket.write(`HTTP/1.1 200 OK\r\ncontent-length: ${big.length}\r\n\r\n${big}`);
  });
  const transport = transportTo(server.port);
  t.after(() => transport.destroy());
  for (const path of ['/length', '/chunked', '/length']) {
    const result = await sendOnce(transport, compiled({ path }));
    assert.equal(result.status, 200, path);
    assert.equal(result.body.length, big.length, path);
    assert.equal(result.body, big, path);
  }
  assert.equal(server.connections.length, 1);
});

test('answers that arrive together are all read, and timed, before the next requests are written', async (t) => {
  const OK = 'HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n';
  const held: Socket[] = [];
  // The first three requests (one per connection) are answered together, in one turn.
  const server = await startRawServer(t, (socket, _request, index) => {
    if (index >= 3) {
      socket.write(OK);
      return;
    }
    held.push(socket);
    if (held.length === 3) for (const s of held) s.write(OK);
  });
  let tick = 0;
  const transport = new Http1Transport({ host: '127.0.0.1', port: server.port, hostHeader: `127.0.0.1:${server.port}`, connections: 3, timeoutMs: 5000, now: () => ++tick });
  t.after(() => transport.destroy());
  const of = compiled();
  // Three users; each sends its next request as soon as its answer is in, as a closed model does.
  const seconds: Promise<SendResult>[] = [];
  const firsts = await Promise.all([0, 1, 2].map(() => new Promise<SendResult>((resolve) => {
    transport.send(of, of.fixed!, (first) => {
      seconds.push(new Promise((next) => transport.send(of, of.fixed!, next)));
      resolve(first);
    });
  })));
  const nexts = await Promise.all(seconds);
  assert.deepEqual([...firsts, ...nexts].map((r) => r.status), [200, 200, 200, 200, 200, 200]);
  const lastAnswerRead = Math.max(...firsts.map((r) => r.endedAt));
  const firstNextWritten = Math.min(...nexts.map((r) => r.sentAt));
  assert.ok(lastAnswerRead < firstNextWritten, `answers read at ticks ${firsts.map((r) => r.endedAt).join(', ')}; next requests written at ${nexts.map((r) => r.sentAt).join(', ')}`);
  assert.equal(server.connections.length, 3, 'the next requests reuse the three connections');
});
