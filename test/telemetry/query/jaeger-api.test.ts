/**
 * The Jaeger query API through a real HTTP server: a hand-built trace (a server span
 * with an error status and an event, its client child with a link, and the server
 * span of another service under it) checked field by field in Jaeger's JSON.
 */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { TraceStore } from '../../../src/telemetry/traces/index.js';
import { createJaegerApi } from '../../../src/telemetry/query/jaeger-api.js';
import type { SpanData } from '../../../src/telemetry/model.js';
import { T0_US, manualClock, resourceOf, span } from '../traces/fixtures.js';
import { getJson, serveRoute } from './jaeger-serve.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const LINKED_TRACE = '0af7651916cd43dd8448eb211c80319c';
const SCOPE = { name: '@opentelemetry/instrumentation-http', version: '0.200.0' };

function handBuiltTrace(): SpanData[] {
  const cafe = resourceOf('cafe', { 'host.name': 'lab', 'process.pid': 42, 'telemetry.sdk.language': 'nodejs' });
  const payments = resourceOf('payments', { 'host.name': 'lab' });
  const root = span({
    traceId: TRACE,
    spanId: '00f067aa0ba902b7',
    name: 'POST /orders',
    kind: 'server',
    startUs: T0_US,
    durationUs: 250_000,
    attributes: { 'http.method': 'POST', 'http.status_code': 503, 'http.request.size': 1.5, 'tags.list': ['a', 'b'] },
    status: { code: 'error', message: 'payments timed out' },
    events: [
      { timeUs: T0_US + 100_000, name: 'retry', attributes: { attempt: 2 } },
      { timeUs: T0_US + 200_000, name: 'exception', attributes: { 'exception.type': 'TimeoutError', event: 'gave up' } },
    ],
    resource: cafe,
    scope: SCOPE,
  });
  const client = span({
    traceId: TRACE,
    spanId: '53995c3f42cd8ad8',
    parentSpanId: root.spanId,
    name: 'POST /charge',
    kind: 'client',
    startUs: T0_US + 1_000,
    durationUs: 200_000,
    links: [{ traceId: LINKED_TRACE, spanId: 'b7ad6b7169203331', attributes: { reason: 'batch' } }],
    resource: cafe,
    scope: { name: '@opentelemetry/instrumentation-undici', version: '' },
  });
  const charge = span({
    traceId: TRACE,
    spanId: 'a2fb4a1d1a96d312',
    parentSpanId: client.spanId,
    traceState: 'vendor=x',
    name: 'POST /charge',
    kind: 'server',
    startUs: T0_US + 2_000,
    durationUs: 150_000,
    status: { code: 'ok', message: '' },
    resource: payments,
    scope: { name: '', version: '' },
  });
  return [root, client, charge];
}

async function startApi(t: TestContext): Promise<{ url: string; store: TraceStore; clock: ReturnType<typeof manualClock> }> {
  const clock = manualClock(T0_US / 1000 + 60_000);
  const store = new TraceStore({ clock: clock.now });
  store.add(handBuiltTrace());
  const served = await serveRoute(t, createJaegerApi({ traces: store, clock: clock.now }));
  return { url: served.url, store, clock };
}

test('GET /api/traces/{id} answers the trace in Jaeger\'s JSON, field by field', async (t) => {
  const { url } = await startApi(t);
  const res = await getJson(`${url}/api/traces/${TRACE}`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/json');
  const str = (key: string, value: string) => ({ key, type: 'string', value });
  assert.deepEqual(res.body, {
    data: [
      {
        traceID: TRACE,
        spans: [
          {
            traceID: TRACE,
            spanID: '00f067aa0ba902b7',
            flags: 1,
            operationName: 'POST /orders',
            references: [],
            startTime: T0_US,
            duration: 250_000,
            tags: [
              { key: 'error', type: 'bool', value: true },
              str('http.method', 'POST'),
              { key: 'http.request.size', type: 'float64', value: 1.5 },
              { key: 'http.status_code', type: 'int64', value: 503 },
              str('otel.scope.name', '@opentelemetry/instrumentation-http'),
              str('otel.scope.version', '0.200.0'),
              str('otel.status_code', 'ERROR'),
              str('otel.status_description', 'payments timed out'),
              str('span.kind', 'server'),
              str('tags.list', '["a","b"]'),
            ],
            logs: [
              { timestamp: T0_US + 100_000, fields: [str('event', 'retry'), { key: 'attempt', type: 'int64', value: 2 }] },
              // An `event` attribute wins over the event's name, and comes first.
              { timestamp: T0_US + 200_000, fields: [str('event', 'gave up'), str('exception.type', 'TimeoutError')] },
            ],
            processID: 'p1',
            warnings: null,
          },
          {
            traceID: TRACE,
            spanID: '53995c3f42cd8ad8',
            flags: 1,
            operationName: 'POST /charge',
            references: [
              { refType: 'CHILD_OF', traceID: TRACE, spanID: '00f067aa0ba902b7' },
              { refType: 'FOLLOWS_FROM', traceID: LINKED_TRACE, spanID: 'b7ad6b7169203331' },
            ],
            startTime: T0_US + 1_000,
            duration: 200_000,
            tags: [str('otel.scope.name', '@opentelemetry/instrumentation-undici'), str('span.kind', 'client')],
            logs: [],
            processID: 'p1',
            warnings: null,
          },
          {
            traceID: TRACE,
            spanID: 'a2fb4a1d1a96d312',
            flags: 1,
            operationName: 'POST /charge',
            references: [{ refType: 'CHILD_OF', traceID: TRACE, spanID: '53995c3f42cd8ad8' }],
            startTime: T0_US + 2_000,
            duration: 150_000,
            tags: [str('otel.status_code', 'OK'), str('span.kind', 'server'), str('w3c.tracestate', 'vendor=x')],
            logs: [],
            processID: 'p2',
            warnings: null,
          },
        ],
        processes: {
          p1: {
            serviceName: 'cafe',
            tags: [str('host.name', 'lab'), { key: 'process.pid', type: 'int64', value: 42 }, str('telemetry.sdk.language', 'nodejs')],
          },
          p2: { serviceName: 'payments', tags: [str('host.name', 'lab')] },
        },
        warnings: null,
      },
    ],
    total: 0,
    limit: 0,
    offset: 0,
    errors: null,
  });
});

test('an unknown trace is 404 in Jaeger\'s error shape; a bad id is 400', async (t) => {
  const { url } = await startApi(t);
  const notFound = await getJson(`${url}/api/traces/${'1'.repeat(32)}`);
  assert.equal(notFound.status, 404);
  assert.deepEqual(notFound.body, { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 404, msg: 'trace not found' }] });
  const notHex = await getJson(`${url}/api/traces/xyz`);
  assert.equal(notHex.status, 400);
  assert.deepEqual(notHex.body, { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 400, msg: 'unable to parse param \'traceID\': TraceID must be hex digits, received: "xyz"' }] });
  const tooLong = await getJson(`${url}/api/traces/${'a'.repeat(33)}`);
  assert.equal(tooLong.status, 400);
  assert.match((tooLong.body as { errors: { msg: string }[] }).errors[0]?.msg ?? '', /^unable to parse param 'traceID': TraceID cannot be longer than 32 hex characters/);
  const badStart = await getJson(`${url}/api/traces/${TRACE}?start=soon`);
  assert.equal(badStart.status, 400);
});

test('a trace id with a zero high half is printed with 16 digits and found by them, as Jaeger does', async (t) => {
  const { url, store } = await startApi(t);
  const id = `0000000000000000${'c'.repeat(16)}`;
  store.add([span({ traceId: id, startUs: T0_US })]);
  for (const asked of [id, 'c'.repeat(16), id.toUpperCase()]) {
    const res = await getJson(`${url}/api/traces/${asked}`);
    assert.equal(res.status, 200, asked);
    const trace = (res.body as { data: { traceID: string; spans: { traceID: string }[] }[] }).data[0];
    assert.equal(trace?.traceID, 'c'.repeat(16));
    assert.equal(trace?.spans[0]?.traceID, 'c'.repeat(16));
  }
});

test('services and operations, in the legacy and the newer form', async (t) => {
  const { url } = await startApi(t);
  assert.deepEqual((await getJson(`${url}/api/services`)).body, { data: ['cafe', 'payments'], total: 2, limit: 0, offset: 0, errors: null });
  assert.deepEqual((await getJson(`${url}/api/services/cafe/operations`)).body, { data: ['POST /charge', 'POST /orders'], total: 2, limit: 0, offset: 0, errors: null });
  assert.deepEqual((await getJson(`${url}/api/services/nope/operations`)).body, { data: [], total: 0, limit: 0, offset: 0, errors: null });
  assert.deepEqual((await getJson(`${url}/api/operations?service=cafe`)).body, {
    data: [
      { name: 'POST /charge', spanKind: 'client' },
      { name: 'POST /orders', spanKind: 'server' },
    ],
    total: 2,
    limit: 0,
    offset: 0,
    errors: null,
  });
  assert.deepEqual((await getJson(`${url}/api/operations?service=cafe&spanKind=server`)).body, { data: [{ name: 'POST /orders', spanKind: 'server' }], total: 1, limit: 0, offset: 0, errors: null });
  const missing = await getJson(`${url}/api/operations`);
  assert.equal(missing.status, 400);
  assert.deepEqual(missing.body, { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 400, msg: "parameter 'service' is required" }] });
});

test('a service name with a slash, %-encoded in the path, is one segment', async (t) => {
  const { url, store } = await startApi(t);
  store.add([span({ traceId: 'b'.repeat(32), service: 'shop/web', name: 'GET /' })]);
  assert.deepEqual((await getJson(`${url}/api/services/shop%2Fweb/operations`)).body, { data: ['GET /'], total: 1, limit: 0, offset: 0, errors: null });
  const bad = await getJson(`${url}/api/services/%E0%A4%A/operations`);
  assert.equal(bad.status, 400);
});
