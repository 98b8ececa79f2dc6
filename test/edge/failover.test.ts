/**
 * Failures: passive health (a failed connection takes a backend out), the one retry
 * and when it is not safe, 503 with no backend, 502 and 504, and a body cut mid-way.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import { TEST_TIMEOUT_MS, answeredBy, deadBackend, deferred, request, startBackend, startEdge } from './edge-lab.js';

interface ErrorBody {
  error: { code: string; message: string };
}

test('a backend that goes away is routed around with no failed GET, and stays out of rotation', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const a = await startBackend(t, 'cafe-1');
  const b = await startBackend(t, 'cafe-2');
  const edge = await startEdge(t, [a, b]);
  const agent = new http.Agent({ keepAlive: true });
  t.after(() => agent.destroy());

  // Warm up: the edge now holds keep-alive connections to both.
  const warm = await Promise.all(Array.from({ length: 4 }, () => request(edge.port, { agent })));
  assert.deepEqual(warm.map(answeredBy).sort(), ['cafe-1', 'cafe-1', 'cafe-2', 'cafe-2']);

  await a.stop();
  const seenByA = a.seen.length;
  const answers = [
    ...(await Promise.all(Array.from({ length: 10 }, () => request(edge.port, { agent })))),
    ...(await Promise.all(Array.from({ length: 10 }, () => request(edge.port, { agent, method: 'DELETE', path: '/cart' })))),
  ];
  assert.deepEqual(
    answers.map((x) => `${x.status} ${answeredBy(x)}`),
    Array.from({ length: 20 }, () => '200 cafe-2'),
  );
  assert.equal(a.seen.length, seenByA);
  const [statusA, statusB] = edge.backends();
  assert.equal(statusA?.healthy, false);
  assert.ok((statusA?.failures ?? 0) >= 1, 'the failed connection is counted');
  assert.equal(statusB?.healthy, true);
  assert.match(edge.metrics(), /^cloudlab_edge_retries_total\{service="cafe"\} [1-9]\d*$/m);
});

test('a POST whose connection never opened is retried on another backend: nothing was sent', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const dead = await deadBackend(t, 'cafe-1');
  const b = await startBackend(t, 'cafe-2');
  const edge = await startEdge(t, [dead, b]);
  const changes: string[] = [];
  edge.onBackendChange((c) => changes.push(`${c.id} ${c.healthy} ${c.reason} ${c.detail}`));

  const answer = await request(edge.port, { method: 'POST', path: '/orders', body: '{"item":"latte"}' });
  assert.equal(answer.status, 200);
  assert.equal(answeredBy(answer), 'cafe-2');
  assert.deepEqual(
    b.seen.map((s) => [s.method, s.url, s.body]),
    [['POST', '/orders', '{"item":"latte"}']],
    'the second backend got the whole body',
  );
  assert.equal(changes.length, 1);
  assert.match(changes[0]!, /^cafe-1 false request-failed connection failed: .*ECONNREFUSED/);
  assert.deepEqual(
    edge.backends().map((s) => [s.id, s.healthy, s.requests, s.failures]),
    [
      ['cafe-1', false, 1, 1],
      ['cafe-2', true, 1, 0],
    ],
  );
});

test('a POST whose backend resets mid-request gets 502 and is not retried', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const a = await startBackend(t, 'cafe-1');
  const b = await startBackend(t, 'cafe-2');
  const gotData = deferred();
  a.handler = (req) => {
    req.once('data', () => {
      gotData.resolve();
      req.socket.destroy();
    });
  };
  const edge = await startEdge(t, [a, b]);

  const answer = await request(edge.port, { method: 'POST', path: '/orders', body: 'x'.repeat(10_000) });
  await gotData.promise;
  assert.equal(answer.status, 502);
  assert.equal(answeredBy(answer), 'cafe-1');
  assert.match(answer.headers['content-type'] ?? '', /^application\/json/);
  const { error } = answer.json as ErrorBody;
  assert.equal(error.code, 'LAB_EDGE_BAD_GATEWAY');
  assert.match(error.message, /^replica cafe-1 of cafe \(127\.0\.0\.1:\d+\) closed the connection before answering \(.+\); POST with a body is not retried once sent/);
  assert.equal(b.seen.length, 0, 'never sent to the other backend');
  assert.match(edge.metrics(), /^cloudlab_edge_retries_total\{service="cafe"\} 0$/m);
  assert.match(edge.metrics(), /^cloudlab_edge_requests_total\{service="cafe",backend="cafe-1",code="502"\} 1$/m);
});

test('a GET whose backend resets before answering is retried on the other backend', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const a = await startBackend(t, 'cafe-1');
  const b = await startBackend(t, 'cafe-2');
  a.handler = (req) => req.socket.destroy();
  const edge = await startEdge(t, [a, b]);
  const answer = await request(edge.port, { path: '/menu' });
  assert.equal(answer.status, 200);
  assert.equal(answeredBy(answer), 'cafe-2');
  assert.equal(edge.backends()[0]?.healthy, false, 'a reset on a fresh connection takes the backend out');
});

test('the only backend failing gives 502 naming it; with none in rotation the edge answers 503', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const dead = await deadBackend(t, 'cafe-1');
  const edge = await startEdge(t, [dead]);

  const first = await request(edge.port, { path: '/menu' });
  assert.equal(first.status, 502);
  assert.match((first.json as ErrorBody).error.message, /cafe-1 .* could not be reached .*; no other healthy replica was left to retry on$/);

  const second = await request(edge.port, { path: '/menu' });
  assert.equal(second.status, 503);
  assert.equal(second.headers['x-cloudlab-backend'], undefined);
  assert.deepEqual(second.json, {
    error: {
      code: 'LAB_EDGE_NO_BACKEND',
      message: `no healthy replica of cafe; its only replica is out of rotation: cafe-1 (connection failed: connect ECONNREFUSED 127.0.0.1:${dead.backend.port})`,
    },
  });

  edge.setBackends([]);
  const none = await request(edge.port, { method: 'POST', path: '/orders', body: '{}' });
  assert.equal(none.status, 503);
  assert.deepEqual(none.json, {
    error: { code: 'LAB_EDGE_NO_BACKEND', message: 'no healthy replica of cafe; none is registered (replicas join the edge once they are ready)' },
  });
  assert.match(edge.metrics(), /^cloudlab_edge_no_backend_total\{service="cafe"\} 2$/m);
  assert.match(edge.metrics(), /^cloudlab_edge_requests_total\{service="cafe",backend="none",code="503"\} 2$/m);
});

test('a backend silent past requestTimeoutMs gives 504, not retried', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const a = await startBackend(t, 'cafe-1');
  const b = await startBackend(t, 'cafe-2');
  const arrived = deferred();
  a.handler = () => arrived.resolve(); // never answers
  const edge = await startEdge(t, [a, b], { requestTimeoutMs: 150 });

  const answer = await request(edge.port, { path: '/slow' });
  await arrived.promise;
  assert.equal(answer.status, 504);
  assert.equal(answeredBy(answer), 'cafe-1');
  const { error } = answer.json as ErrorBody;
  assert.equal(error.code, 'LAB_EDGE_TIMEOUT');
  assert.match(error.message, /^replica cafe-1 of cafe \(.+\) sent nothing for 150 ms \(requestTimeoutMs\); not retried/);
  assert.equal(b.seen.length, 0);
  assert.equal(edge.backends()[0]?.healthy, true, 'a slow backend stays in rotation');
  assert.equal(edge.backends()[0]?.failures, 1);
});

test('a response cut mid-body (backend gone or silent) cuts the client connection instead of ending cleanly', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const a = await startBackend(t, 'cafe-1');
  a.handler = (req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('first part;');
    if (req.url === '/reset') setImmediate(() => req.socket.destroy());
    // '/stall' just stops sending.
  };
  const edge = await startEdge(t, [a], { requestTimeoutMs: 150 });

  for (const path of ['/reset', '/stall']) {
    const req = http.request({ host: '127.0.0.1', port: edge.port, path, agent: false });
    req.end();
    const [res] = (await once(req, 'response')) as [http.IncomingMessage];
    assert.equal(res.statusCode, 200, `${path}: the headers were already sent`);
    let received = '';
    res.setEncoding('utf8').on('data', (d: string) => (received += d));
    const [err] = (await once(res, 'error')) as [Error];
    assert.match(err.message, /aborted/, `${path}: the client sees an aborted body, not a complete one`);
    assert.equal(received, 'first part;');
    assert.equal(res.complete, false);
  }
  assert.equal(edge.backends()[0]?.failures, 2);
});
