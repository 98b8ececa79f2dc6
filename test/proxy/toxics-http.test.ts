/**
 * The HTTP-aware toxics (cloudlab extensions) with a real node:http upstream behind
 * the proxy and a keep-alive client: http_error answers matching requests itself,
 * http_latency delays only matching requests.
 */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { addToxic, assertBetween, now, startProxy } from '../helpers/toxic-lab.js';
import type { ToxicLab } from '../helpers/toxic-lab.js';

/** A hung socket fails the test instead of the run. */
const TEST_TIMEOUT_MS = 10_000;
/** The http_latency toxic's delay. */
const LATENCY_MS = 300;

interface Upstream {
  /** "METHOD /path body-length" of every request that reached the upstream. */
  requests: string[];
  connections: number;
}

/** A node:http upstream on 127.0.0.1:0 answering "<METHOD> <path>" after reading the body. */
async function httpUpstream(t: TestContext): Promise<{ upstream: Upstream; port: number }> {
  const upstream: Upstream = { requests: [], connections: 0 };
  const server = http.createServer((req, res) => {
    let size = 0;
    req.on('data', (chunk: Buffer) => (size += chunk.length));
    req.on('end', () => {
      upstream.requests.push(`${req.method} ${req.url} ${size}`);
      res.end(`${req.method} ${req.url}`);
    });
  });
  server.on('connection', () => upstream.connections++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  });
  return { upstream, port: (server.address() as AddressInfo).port };
}

interface Answer {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
  reused: boolean;
  ms: number;
}

/** A keep-alive client with one socket: every request goes over the same connection. */
function keepAliveClient(t: TestContext, port: number): (method: string, path: string, body?: { text: string; chunked?: boolean }) => Promise<Answer> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  t.after(() => agent.destroy());
  return (method, path, body) =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = {};
      if (body && !body.chunked) headers['content-length'] = Buffer.byteLength(body.text);
      const started = now();
      const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers, reused: req.reusedSocket, ms: now() - started }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      if (body?.chunked) {
        // Two writes without content-length: a chunked body in two chunks.
        const half = Math.floor(body.text.length / 2);
        req.write(body.text.slice(0, half));
        req.end(body.text.slice(half));
      } else {
        req.end(body?.text);
      }
    });
}

async function lab(t: TestContext): Promise<{ proxy: ToxicLab; upstream: Upstream; request: ReturnType<typeof keepAliveClient> }> {
  const { upstream, port } = await httpUpstream(t);
  const proxy = await startProxy(t, port);
  return { proxy, upstream, request: keepAliveClient(t, proxy.port) };
}

test('http_error answers matching requests with the status code without reaching the upstream; others pass on the same connection', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { proxy, upstream, request } = await lab(t);
  const toxic = await addToxic(proxy, {
    type: 'http_error',
    attributes: { status_code: 503, method: 'POST', path_prefix: '/fail', probability: 1 },
  });
  assert.equal(toxic.stream, 'upstream', 'an HTTP toxic acts on requests: upstream by default');

  const ok1 = await request('GET', '/ok');
  assert.equal(ok1.status, 200);
  assert.equal(ok1.body, 'GET /ok');
  assert.equal(upstream.requests.length, 1);

  const failed = await request('POST', '/fail/now', { text: 'x'.repeat(2000) });
  assert.equal(failed.status, 503);
  assert.equal(failed.headers['x-cloudlab-toxic'], 'http_error');
  assert.equal(upstream.requests.length, 1, 'the failed request never reached the upstream');

  const wrongMethod = await request('GET', '/fail/now');
  assert.equal(wrongMethod.status, 200, 'GET does not match method POST');
  const wrongPath = await request('POST', '/other', { text: 'body' });
  assert.equal(wrongPath.status, 200, '/other does not match path_prefix /fail');

  const failedChunked = await request('POST', '/failing', { text: 'y'.repeat(3000), chunked: true });
  assert.equal(failedChunked.status, 503, 'a chunked body is consumed and answered too');
  const ok2 = await request('GET', '/ok');
  assert.equal(ok2.status, 200);
  assert.equal(ok2.body, 'GET /ok', 'the answer after an injected one is not shifted');

  assert.deepEqual(upstream.requests, ['GET /ok 0', 'GET /fail/now 0', 'POST /other 4', 'GET /ok 0']);
  assert.equal(upstream.connections, 1, 'one upstream connection for the whole keep-alive session');
  assert.deepEqual(
    [ok1, failed, wrongMethod, wrongPath, failedChunked, ok2].map((a) => a.reused),
    [false, true, true, true, true, true],
    'every request after the first reused the client connection',
  );
});

test('http_error with a custom body and status', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { proxy, upstream, request } = await lab(t);
  await addToxic(proxy, { type: 'http_error', attributes: { status_code: 429, body: '{"error":"slow down"}', path_prefix: '/api' } });
  const answer = await request('GET', '/api/items');
  assert.equal(answer.status, 429);
  assert.equal(answer.body, '{"error":"slow down"}');
  assert.match(answer.headers['content-type'] ?? '', /^application\/json/);
  assert.equal((await request('GET', '/health')).status, 200);
  assert.deepEqual(upstream.requests, ['GET /health 0']);
});

test('http_latency delays only matching requests, on the same keep-alive connection', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { proxy, upstream, request } = await lab(t);
  await addToxic(proxy, { type: 'http_latency', attributes: { latency: LATENCY_MS, path_prefix: '/slow' } });
  const fast1 = await request('GET', '/fast');
  const slow = await request('GET', '/slow/report', { text: 'q'.repeat(100) });
  const fast2 = await request('GET', '/fast');
  t.diagnostic(`fast ${fast1.ms.toFixed(1)} ms, slow ${slow.ms.toFixed(1)} ms, fast ${fast2.ms.toFixed(1)} ms`);
  // Half the latency separates "not delayed" from "delayed", with room for a loaded machine.
  assertBetween(fast1.ms, 0, LATENCY_MS / 2, 'a non-matching request');
  assertBetween(slow.ms, LATENCY_MS - 5, LATENCY_MS + 250, `a matching request with latency ${LATENCY_MS}`);
  assertBetween(fast2.ms, 0, LATENCY_MS / 2, 'a non-matching request after a delayed one');
  assert.deepEqual([fast1, slow, fast2].map((a) => a.status), [200, 200, 200]);
  assert.deepEqual(upstream.requests, ['GET /fast 0', 'GET /slow/report 100', 'GET /fast 0']);
  assert.equal(upstream.connections, 1);
});
