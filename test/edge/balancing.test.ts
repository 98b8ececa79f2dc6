/** Round robin over two backends, and what the edge does to request and response headers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { TEST_TIMEOUT_MS, answeredBy, request, startBackend, startEdge } from './edge-lab.js';

test('requests alternate between two backends, each answer names its backend', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const a = await startBackend(t, 'cafe-1');
  const b = await startBackend(t, 'cafe-2');
  const edge = await startEdge(t, [a, b]);
  const agent = new http.Agent({ keepAlive: true });
  t.after(() => agent.destroy());

  const order: Array<string | undefined> = [];
  for (let i = 0; i < 6; i++) {
    const answer = await request(edge.port, { path: `/menu?i=${i}`, agent });
    assert.equal(answer.status, 200);
    assert.equal((answer.json as { backend: string }).backend, answeredBy(answer), 'the header names the backend that answered');
    order.push(answeredBy(answer));
  }
  assert.deepEqual(order, ['cafe-1', 'cafe-2', 'cafe-1', 'cafe-2', 'cafe-1', 'cafe-2']);
  assert.deepEqual(a.seen.map((s) => s.url), ['/menu?i=0', '/menu?i=2', '/menu?i=4']);
  assert.deepEqual(b.seen.map((s) => s.url), ['/menu?i=1', '/menu?i=3', '/menu?i=5']);

  // Concurrent requests spread too.
  const answers = await Promise.all(Array.from({ length: 10 }, () => request(edge.port, { agent })));
  const counts = new Map<string, number>();
  for (const answer of answers) counts.set(answeredBy(answer) ?? '', (counts.get(answeredBy(answer) ?? '') ?? 0) + 1);
  assert.deepEqual(Object.fromEntries(counts), { 'cafe-1': 5, 'cafe-2': 5 });

  const status = edge.backends();
  assert.deepEqual(
    status.map((s) => [s.id, s.healthy, s.requests, s.inFlight, s.failures]),
    [
      ['cafe-1', true, 8, 0, 0],
      ['cafe-2', true, 8, 0, 0],
    ],
  );
});

test('hop-by-hop headers stay behind, X-Forwarded-* are added, the rest passes untouched', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const a = await startBackend(t, 'cafe-1');
  a.handler = (req, res) => {
    req.resume();
    req.on('end', () => {
      a.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders, body: '' });
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.setHeader('X-Private-Hop', 'secret');
      res.setHeader('Connection', 'X-Private-Hop');
      res.setHeader('Proxy-Authenticate', 'Basic');
      res.setHeader('X-Cloudlab-Backend', 'spoofed');
      res.setHeader('Server-Timing', 'db;dur=53');
      res.end('ok');
    });
  };
  const edge = await startEdge(t, [a]);
  const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
  const answer = await request(edge.port, {
    method: 'PUT',
    path: '/orders/42?dry=1&x=%20y',
    headers: [
      'Host', 'shop.example:8000',
      'Connection', 'keep-alive, X-Hop',
      'Keep-Alive', 'timeout=5',
      'X-Hop', 'drop me',
      'TE', 'trailers',
      'Proxy-Authorization', 'Basic Zm9vOmJhcg==',
      'traceparent', traceparent,
      'tracestate', 'congo=t61rcWkgMzE',
      'X-Forwarded-For', '10.1.2.3',
      'X-Forwarded-Proto', 'https',
      'X-Forwarded-Port', '443',
      'X-Request-Id', 'abc',
      'X-Request-Id', 'def',
      'Content-Length', '0',
    ],
  });
  assert.equal(answer.status, 200);
  assert.equal(answer.body, 'ok');

  const [seen] = a.seen;
  assert.ok(seen);
  assert.equal(seen.method, 'PUT');
  assert.equal(seen.url, '/orders/42?dry=1&x=%20y', 'path and query verbatim');
  const h = seen.headers;
  assert.equal(h['host'], 'shop.example:8000', 'the client Host is kept, as an ALB does');
  assert.equal(h['traceparent'], traceparent);
  assert.equal(h['tracestate'], 'congo=t61rcWkgMzE');
  assert.equal(h['x-forwarded-for'], '10.1.2.3, 127.0.0.1', 'the client address is appended');
  assert.equal(h['x-forwarded-proto'], 'http', 'the edge listener speaks plain HTTP');
  assert.equal(h['x-forwarded-port'], String(edge.port));
  assert.equal(h['x-forwarded-host'], 'shop.example:8000');
  assert.equal(h['x-request-id'], 'abc, def', 'repeated headers all pass');
  for (const hop of ['x-hop', 'te', 'proxy-authorization']) assert.equal(h[hop], undefined, `${hop} is hop-by-hop`);
  assert.notEqual(h['keep-alive'], 'timeout=5', "the client's Keep-Alive is not forwarded");
  assert.deepEqual(
    seen.rawHeaders.filter((_, i) => i % 2 === 0 && seen.rawHeaders[i]!.toLowerCase() === 'x-forwarded-for'),
    ['X-Forwarded-For'],
    'one X-Forwarded-For',
  );

  assert.deepEqual(answer.headers['set-cookie'], ['a=1', 'b=2']);
  assert.equal(answer.headers['server-timing'], 'db;dur=53');
  assert.equal(answer.headers['x-private-hop'], undefined, 'a header the backend listed in Connection stays behind');
  assert.equal(answer.headers['proxy-authenticate'], undefined);
  assert.equal(answer.headers['x-cloudlab-backend'], 'cafe-1', "the edge's header replaces a backend's own");
});

test('HEAD, DELETE and OPTIONS keep their method; a request without Host gets the backend address', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const a = await startBackend(t, 'cafe-1');
  const edge = await startEdge(t, [a]);
  for (const method of ['HEAD', 'DELETE', 'OPTIONS']) {
    const answer = await request(edge.port, { method, path: '/x' });
    assert.equal(answer.status, 200, method);
    assert.equal(answer.body === '', method === 'HEAD', `${method}: body only when not HEAD`);
  }
  assert.deepEqual(a.seen.map((s) => s.method), ['HEAD', 'DELETE', 'OPTIONS']);

  // HTTP/1.0 allows a request without Host.
  const socket = net.connect(edge.port, '127.0.0.1');
  t.after(() => socket.destroy());
  // Written, not ended: node:http drops a request whose client half-closes. HTTP/1.0 closes after the answer.
  socket.write('GET /old HTTP/1.0\r\n\r\n');
  const chunks: Buffer[] = [];
  for await (const chunk of socket) chunks.push(chunk as Buffer);
  assert.match(Buffer.concat(chunks).toString(), /^HTTP\/1\.1 200 /);
  const old = a.seen.at(-1);
  assert.equal(old?.url, '/old');
  assert.equal(old?.headers['host'], `127.0.0.1:${a.backend.port}`);
  assert.equal(old?.headers['x-forwarded-host'], undefined, 'no Host, no X-Forwarded-Host');
});
