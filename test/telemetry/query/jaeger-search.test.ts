/** GET /api/traces: search parameters as Jaeger UI and Grafana send them, and every refusal. */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { TraceStore } from '../../../src/telemetry/traces/index.js';
import { createJaegerApi } from '../../../src/telemetry/query/jaeger-api.js';
import { T0_US, manualClock, span, traceId } from '../traces/fixtures.js';
import { getJson, serveRoute } from './jaeger-serve.js';

interface SearchBody {
  data: { traceID: string; spans: unknown[] }[] | null;
  errors: { code?: number; msg: string; traceID?: string }[] | null;
}

/** Two cafe traces (a fast menu read, a slow failed order) and one payments trace. */
async function startApi(t: TestContext, nowMs = T0_US / 1000 + 60_000): Promise<{ url: string; store: TraceStore }> {
  const clock = manualClock(nowMs);
  const store = new TraceStore({ clock: clock.now });
  store.add([
    span({ traceId: traceId(1), name: 'GET /menu', startUs: T0_US, durationUs: 5_000, attributes: { 'http.method': 'GET', 'http.status_code': 200 } }),
    span({ traceId: traceId(2), name: 'POST /orders', startUs: T0_US + 10_000, durationUs: 250_000, attributes: { 'http.method': 'POST', 'http.status_code': 503 }, status: { code: 'error', message: 'timeout' } }),
    span({ traceId: traceId(2), name: 'POST /charge', kind: 'client', startUs: T0_US + 11_000, durationUs: 200_000 }),
    span({ traceId: traceId(3), service: 'payments', name: 'POST /charge', startUs: T0_US + 12_000, durationUs: 150_000, status: { code: 'ok', message: '' } }),
  ]);
  const served = await serveRoute(t, createJaegerApi({ traces: store, clock: clock.now }));
  return { url: served.url, store };
}

async function found(url: string, query: string): Promise<string[]> {
  const res = await getJson(`${url}/api/traces?${query}`);
  assert.equal(res.status, 200, `${query}: ${JSON.stringify(res.body)}`);
  const body = res.body as SearchBody & { total: number; limit: number; offset: number };
  assert.equal(body.errors, null);
  assert.deepEqual([body.total, body.limit, body.offset], [0, 0, 0]);
  return (body.data ?? []).map((trace) => trace.traceID);
}

async function refused(url: string, query: string, msg: string): Promise<void> {
  const res = await getJson(`${url}/api/traces?${query}`);
  assert.equal(res.status, 400, query);
  assert.deepEqual(res.body, { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 400, msg }] }, query);
}

const q = (params: Record<string, string>): string => new URLSearchParams(params).toString();

test('search by service and operation answers whole traces, most recent first', async (t) => {
  const { url } = await startApi(t);
  assert.deepEqual(await found(url, 'service=cafe'), [traceId(2), traceId(1)]);
  assert.deepEqual(await found(url, q({ service: 'cafe', operation: 'POST /charge' })), [traceId(2)]);
  assert.deepEqual(await found(url, q({ service: 'payments', operation: 'GET /menu' })), []);
  const res = await getJson(`${url}/api/traces?service=cafe&operation=${encodeURIComponent('POST /charge')}`);
  assert.equal((res.body as SearchBody).data?.[0]?.spans.length, 2, 'every span of a matching trace comes back');
});

test('tags as Jaeger\'s JSON map, as tag=key:value, and as logfmt', async (t) => {
  const { url } = await startApi(t);
  assert.deepEqual(await found(url, q({ service: 'cafe', tags: '{"http.status_code":"503"}' })), [traceId(2)]);
  assert.deepEqual(await found(url, q({ service: 'cafe', tags: '{"http.status_code":503}' })), [traceId(2)]);
  assert.deepEqual(await found(url, q({ service: 'cafe', tags: '{"error":"true","span.kind":"server"}' })), [traceId(2)]);
  assert.deepEqual(await found(url, q({ service: 'payments', tags: '{"otel.status_code":"OK"}' })), [traceId(3)]);
  assert.deepEqual(await found(url, q({ service: 'cafe', tags: '{"http.status_code":"404"}' })), []);
  assert.deepEqual(await found(url, `service=cafe&tag=${encodeURIComponent('http.method:GET')}`), [traceId(1)]);
  assert.deepEqual(await found(url, q({ service: 'cafe', tags: 'http.method=POST error=true' })), [traceId(2)]);
  assert.deepEqual(await found(url, q({ service: 'cafe', tags: 'otel.status_description="timeout"' })), [traceId(2)]);
});

test('min and max duration as Go durations', async (t) => {
  const { url } = await startApi(t);
  assert.deepEqual(await found(url, 'service=cafe&minDuration=200ms'), [traceId(2)]);
  assert.deepEqual(await found(url, 'service=cafe&minDuration=0.3s'), []);
  assert.deepEqual(await found(url, 'service=cafe&maxDuration=5000us'), [traceId(1)]);
  assert.deepEqual(await found(url, `service=cafe&maxDuration=${encodeURIComponent('4999µs')}`), []);
  assert.deepEqual(await found(url, 'service=cafe&minDuration=1ms&maxDuration=1m'), [traceId(2), traceId(1)]);
  assert.deepEqual(await found(url, 'service=cafe&minDuration=0'), [traceId(2), traceId(1)]);
});

test('start and end in microseconds, lookback, and the two-day default window', async (t) => {
  const { url } = await startApi(t);
  assert.deepEqual(await found(url, `service=cafe&start=${T0_US + 1}&end=${T0_US + 10_000}`), [traceId(2)]);
  assert.deepEqual(await found(url, `service=cafe&end=${T0_US - 1}`), []);
  // Grafana sends start, end and lookback=custom; Jaeger UI sends start, end and lookback=1h.
  assert.deepEqual(await found(url, `service=cafe&start=${T0_US}&end=${T0_US + 1}&lookback=custom`), [traceId(1)]);
  assert.deepEqual(await found(url, `service=cafe&start=${T0_US}&end=${T0_US + 1}&lookback=1h`), [traceId(1)]);
  // Without start, the window is lookback (or two days) back from the injected clock (T0 + 60 s).
  assert.deepEqual(await found(url, 'service=cafe&lookback=2m'), [traceId(2), traceId(1)]);
  assert.deepEqual(await found(url, 'service=cafe&lookback=30s'), []);
  assert.deepEqual(await found(url, 'service=cafe&lookback=1d'), [traceId(2), traceId(1)]);
  assert.deepEqual(await found(url, 'service=cafe'), [traceId(2), traceId(1)]);
});

test('the window ends at the clock\'s now when end is not given', async (t) => {
  const { url } = await startApi(t, T0_US / 1000 + 5); // now is 5 ms after the first trace began
  assert.deepEqual(await found(url, 'service=cafe'), [traceId(1)]);
});

test('limit, prettyPrint, and search by traceID', async (t) => {
  const { url } = await startApi(t);
  assert.deepEqual(await found(url, 'service=cafe&limit=1'), [traceId(2)]);
  assert.deepEqual(await found(url, 'service=cafe&limit=0'), [traceId(2), traceId(1)]);
  const pretty = await fetch(`${url}/api/traces?service=payments&prettyPrint=true`);
  assert.match(await pretty.text(), /^\{\n {4}"data": \[/);
  const byId = await getJson(`${url}/api/traces?traceID=${traceId(3)}&traceID=${'9'.repeat(32)}`);
  assert.equal(byId.status, 200);
  const body = byId.body as SearchBody;
  assert.deepEqual(body.data?.map((trace) => trace.traceID), [traceId(3)]);
  assert.deepEqual(body.errors, [{ msg: 'trace not found', traceID: '9'.repeat(32) }]);
});

test('every bad parameter is 400 with Jaeger\'s message naming it', async (t) => {
  const { url } = await startApi(t);
  await refused(url, '', "parameter 'service' is required");
  await refused(url, 'operation=x', "parameter 'service' is required");
  await refused(url, 'service=cafe&minDuration=abc', 'unable to parse param \'minDuration\': time: invalid duration "abc"');
  await refused(url, 'service=cafe&minDuration=100', 'unable to parse param \'minDuration\': time: missing unit in duration "100"');
  await refused(url, 'service=cafe&maxDuration=1x', 'unable to parse param \'maxDuration\': time: unknown unit "x" in duration "1x"');
  await refused(url, 'service=cafe&minDuration=2s&maxDuration=1s', "'maxDuration' should be greater than 'minDuration'");
  await refused(url, 'service=cafe&start=abc', 'unable to parse param \'start\': strconv.ParseInt: parsing "abc": invalid syntax');
  await refused(url, 'service=cafe&end=1.5', 'unable to parse param \'end\': strconv.ParseInt: parsing "1.5": invalid syntax');
  await refused(url, 'service=cafe&limit=ten', 'unable to parse param \'limit\': strconv.ParseInt: parsing "ten": invalid syntax');
  await refused(url, 'service=cafe&lookback=forever', 'unable to parse param \'lookback\': time: invalid duration "forever"');
  await refused(url, q({ service: 'cafe', tags: '[1]' }), "malformed 'tags' parameter, expecting a JSON object of strings");
  await refused(url, q({ service: 'cafe', tags: '{"a":{"b":1}}' }), 'malformed \'tags\' parameter, the value of "a" must be a string, received {"b":1}');
  await refused(url, q({ service: 'cafe', tag: 'nocolon' }), "malformed 'tag' parameter, expecting key:value, received: nocolon");
  await refused(url, q({ service: 'cafe', tags: 'a="open' }), 'malformed \'tags\' parameter, expecting a JSON object or key=value pairs, received: a="open');
  await refused(url, q({ traceID: 'not-hex' }), 'unable to parse param \'traceID\': TraceID must be hex digits, received: "not-hex"');
  const badJson = await getJson(`${url}/api/traces?${q({ service: 'cafe', tags: '{bad' })}`);
  assert.equal(badJson.status, 400);
  assert.match((badJson.body as SearchBody).errors?.[0]?.msg ?? '', /^malformed 'tags' parameter, cannot unmarshal JSON: /);
});

test('other methods are 405 with Allow; other paths are left to other routes', async (t) => {
  const { url } = await startApi(t);
  for (const path of ['/api/traces', '/api/services', `/api/traces/${traceId(1)}`, '/api/services/cafe/operations', '/api/operations', '/api/dependencies']) {
    const res = await getJson(`${url}${path}`, { method: 'POST', body: '{}' });
    assert.equal(res.status, 405, path);
    assert.equal(res.headers.get('allow'), 'GET, HEAD');
    assert.deepEqual(res.body, { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 405, msg: `method POST not allowed on ${path}; use GET` }] });
  }
  for (const path of ['/api/v1/query', '/api/logs', '/api/traces/a/b', '/api/services/cafe', '/metrics', '/']) {
    const res = await fetch(`${url}${path}`);
    assert.equal(res.status, 404, path);
    assert.equal(await res.text(), 'not mine', path);
  }
  const post = await fetch(`${url}/api/v1/query`, { method: 'POST' });
  assert.equal(await post.text(), 'not mine');
  const head = await fetch(`${url}/api/services`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), '');
});

test('dependencies: service pairs with call counts, as Grafana\'s dependency graph reads them', async (t) => {
  const { url, store } = await startApi(t);
  const parent = span({ traceId: traceId(9), startUs: T0_US + 20_000 });
  store.add([parent, span({ traceId: traceId(9), service: 'payments', parentSpanId: parent.spanId, startUs: T0_US + 20_001 })]);
  const res = await getJson(`${url}/api/dependencies?endTs=${T0_US / 1000 + 60_000}&lookback=120000`);
  assert.deepEqual(res.body, { data: [{ parent: 'cafe', child: 'payments', callCount: 1 }], total: 0, limit: 0, offset: 0, errors: null });
  const none = await getJson(`${url}/api/dependencies?endTs=${T0_US / 1000 - 1}&lookback=1000`);
  assert.deepEqual((none.body as SearchBody).data, []);
  assert.equal((await getJson(`${url}/api/dependencies?endTs=x`)).status, 400);
});
