/** GET /api/logs through a real HTTP server: the record shape, each filter, and every refusal. */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { LogStore } from '../../../src/telemetry/logs/index.js';
import { createLogsApi } from '../../../src/telemetry/query/logs-api.js';
import { rfc3339Micros } from '../../../src/telemetry/query/logs-json.js';
import { parseTimeUs } from '../../../src/telemetry/query/logs-params.js';
import { T0_US, log } from '../logs/fixtures.js';
import { getJson, serveRoute } from './jaeger-serve.js';

const TRACE = '5b8efff798038103d269b633813fc60c';

interface LogsBody {
  data: { body: unknown }[];
  stats: { returned: number; matched: number; stored: number; dropped: number };
}

async function startApi(t: TestContext): Promise<{ url: string; store: LogStore }> {
  const store = new LogStore({ limits: { maxLogs: 5, retentionMs: 3_600_000 }, clock: () => T0_US / 1000 });
  store.add([
    log({ body: 'dropped first', timeUs: T0_US }),
    log({ body: 'menu served', timeUs: T0_US + 1_000_001, attributes: { route: '/menu' } }),
    log({ body: 'cache miss', timeUs: T0_US + 2_000_000, severityNumber: 5, severityText: 'DEBUG' }),
    log({ body: 'payment slow', timeUs: T0_US + 3_000_000, severityNumber: 13, severityText: '', service: 'payments' }),
    log({ body: 'order failed', timeUs: T0_US + 4_000_000, severityNumber: 17, severityText: 'ERROR', traceId: TRACE, spanId: '051581bf3cb55c13', attributes: { 'error.type': 'Timeout' } }),
    log({ body: 'shutdown', timeUs: T0_US + 5_000_000, severityNumber: 21, severityText: 'FATAL' }),
  ]);
  const served = await serveRoute(t, createLogsApi({ logs: store, clock: () => T0_US / 1000 }));
  return { url: served.url, store };
}

async function bodies(url: string, query: string): Promise<unknown[]> {
  const res = await getJson(`${url}/api/logs?${query}`);
  assert.equal(res.status, 200, `${query}: ${JSON.stringify(res.body)}`);
  return (res.body as LogsBody).data.map((r) => r.body);
}

async function refused(url: string, query: string, message: string): Promise<void> {
  const res = await getJson(`${url}/api/logs?${query}`);
  assert.equal(res.status, 400, query);
  assert.equal(res.headers.get('content-type'), 'application/json');
  assert.deepEqual(res.body, { error: { code: 'LAB_LOGS_BAD_PARAM', message } }, query);
}

test('GET /api/logs answers records newest first, with their fields, and stats', async (t) => {
  const { url } = await startApi(t);
  const res = await getJson(`${url}/api/logs?traceId=${TRACE}`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/json');
  assert.deepEqual(res.body, {
    data: [
      {
        time: '2024-05-01T10:40:04.000000Z',
        timeUnixUs: T0_US + 4_000_000,
        observedTimeUnixUs: T0_US,
        severity: 'ERROR',
        severityNumber: 17,
        body: 'order failed',
        attributes: { 'error.type': 'Timeout' },
        resource: { 'service.name': 'cafe' },
        scope: { name: 'pino', version: '9.0.0' },
        traceId: TRACE,
        spanId: '051581bf3cb55c13',
        service: 'cafe',
      },
    ],
    stats: { returned: 1, matched: 1, stored: 5, dropped: 1 },
  });
  assert.deepEqual(await bodies(url, ''), ['shutdown', 'order failed', 'payment slow', 'cache miss', 'menu served']);
  const limited = (await getJson(`${url}/api/logs?limit=2`)).body as LogsBody;
  assert.deepEqual(limited.data.map((r) => r.body), ['shutdown', 'order failed']);
  assert.deepEqual(limited.stats, { returned: 2, matched: 5, stored: 5, dropped: 1 });
});

test('a record without severity text shows the short name of its number', async (t) => {
  const { url } = await startApi(t);
  const res = (await getJson(`${url}/api/logs?service=payments`)).body as { data: { severity: string; time: string }[] };
  assert.equal(res.data[0]?.severity, 'WARN');
});

test('filters: service, severity, q, traceId, start and end', async (t) => {
  const { url } = await startApi(t);
  assert.deepEqual(await bodies(url, 'service=payments'), ['payment slow']);
  assert.deepEqual(await bodies(url, 'severity=WARN'), ['shutdown', 'order failed', 'payment slow']);
  assert.deepEqual(await bodies(url, 'severity=error'), ['shutdown', 'order failed']);
  assert.deepEqual(await bodies(url, 'severity=21'), ['shutdown']);
  assert.deepEqual(await bodies(url, 'q=TIMEOUT'), ['order failed']);
  assert.deepEqual(await bodies(url, 'q=menu'), ['menu served']);
  assert.deepEqual(await bodies(url, `traceId=${TRACE.toUpperCase()}`), ['order failed']);
  assert.deepEqual(await bodies(url, `start=${T0_US + 3_000_000}&end=${T0_US + 4_000_000}`), ['order failed', 'payment slow']);
  assert.deepEqual(await bodies(url, 'start=2024-05-01T10:40:03Z&end=2024-05-01T10:40:04.000000Z'), ['order failed', 'payment slow']);
  assert.deepEqual(await bodies(url, `start=${T0_US / 1e6 + 4.5}`), ['shutdown']);
  assert.deepEqual(await bodies(url, `end=${T0_US / 1000 + 1_500}`), ['menu served']);
  assert.deepEqual(await bodies(url, 'service=cafe&severity=ERROR&q=order'), ['order failed']);
});

test('times: RFC 3339 with up to nine fraction digits, or Unix s, ms, µs or ns by size', () => {
  assert.equal(parseTimeUs('2024-05-01T10:40:00Z'), T0_US);
  assert.equal(parseTimeUs('2024-05-01T10:40:00.123456789Z'), T0_US + 123_456);
  assert.equal(parseTimeUs('2024-05-01T12:40:00.5+02:00'), T0_US + 500_000);
  assert.equal(parseTimeUs(String(T0_US / 1e6)), T0_US);
  assert.equal(parseTimeUs(String(T0_US / 1e3)), T0_US);
  assert.equal(parseTimeUs(String(T0_US)), T0_US);
  assert.equal(parseTimeUs(`${T0_US}000`), T0_US);
  assert.equal(parseTimeUs('yesterday'), undefined);
  assert.equal(parseTimeUs('2024-13-01T00:00:00Z'), undefined);
  assert.equal(rfc3339Micros(T0_US + 1), '2024-05-01T10:40:00.000001Z');
  assert.equal(rfc3339Micros(T0_US + 999_999), '2024-05-01T10:40:00.999999Z');
});

test('every bad parameter is 400 LAB_LOGS_BAD_PARAM naming it', async (t) => {
  const { url } = await startApi(t);
  const severity = 'severity must be an integer 0-24 or a name (TRACE, DEBUG, INFO, WARN, ERROR, FATAL), received';
  await refused(url, 'severity=LOUD', `${severity} "LOUD"`);
  await refused(url, 'severity=25', `${severity} "25"`);
  await refused(url, 'traceId=abc', 'traceId must be 32 hex digits, received "abc"');
  const time = 'an RFC 3339 time (2024-05-01T12:00:00.000001Z) or a Unix time in s, ms, µs or ns';
  await refused(url, 'start=yesterday', `start must be ${time}, received "yesterday"`);
  await refused(url, 'end=-5', `end must be ${time}, received "-5"`);
  await refused(url, `start=${T0_US + 2}&end=${T0_US + 1}`, `end must be at or after start (${T0_US + 2}), received "${T0_US + 1}"`);
  await refused(url, 'limit=0', 'limit must be an integer from 1 to 10000, received "0"');
  await refused(url, 'limit=10001', 'limit must be an integer from 1 to 10000, received "10001"');
  await refused(url, 'limit=many', 'limit must be an integer from 1 to 10000, received "many"');
});

test('other methods are 405 with Allow; other paths are left to other routes', async (t) => {
  const { url } = await startApi(t);
  for (const path of ['/api/logs', '/api/logs/tail']) {
    const res = await getJson(`${url}${path}`, { method: 'DELETE' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET, HEAD');
    assert.deepEqual(res.body, { error: { code: 'LAB_QUERY_METHOD_NOT_ALLOWED', message: `method DELETE not allowed on ${path}; use GET` } });
  }
  for (const path of ['/api/logs/', '/api/logs/x', '/api/traces', '/api/v1/query']) {
    const res = await fetch(`${url}${path}`);
    assert.equal(await res.text(), 'not mine', path);
  }
});
