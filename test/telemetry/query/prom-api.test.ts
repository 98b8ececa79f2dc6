/**
 * The Prometheus HTTP API through a real HTTP server, with a recording fake engine so
 * each test sees exactly what the API parsed from the request: every endpoint, GET
 * and form POST, and every error path with Prometheus's envelope and status.
 */
/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call -- reply bodies are parsed JSON, walked by the assertions */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { LabError } from '../../../src/errors.js';
import { createPromApi } from '../../../src/telemetry/query/prom-api.js';
import type { PromApiOptions, PromEngine } from '../../../src/telemetry/query/prom-api.js';
import type { QueryOptions, QueryResult } from '../../../src/telemetry/promql/index.js';
import { parseSeriesSelector } from '../../../src/telemetry/promql/index.js';
import type { MetricMetadata, ScrapeTargetHealth } from '../../../src/telemetry/scrape/index.js';
import { call, fixedSource, postForm, servePromRoute } from './prom-serve.js';

const NOW_MS = 1_700_000_000_000;

interface EngineCall {
  kind: 'instant' | 'range';
  query: string;
  timeMs?: number;
  startMs?: number;
  endMs?: number;
  stepMs?: number;
  options?: QueryOptions;
}

function recordingEngine(answer: (call: EngineCall) => QueryResult = () => ({ resultType: 'vector', result: [] })): { engine: PromEngine; calls: EngineCall[] } {
  const calls: EngineCall[] = [];
  return {
    calls,
    engine: {
      instantQuery(_source, query, timeMs, options) {
        const c: EngineCall = { kind: 'instant', query, timeMs, options };
        calls.push(c);
        return answer(c);
      },
      rangeQuery(_source, query, startMs, endMs, stepMs, options) {
        const c: EngineCall = { kind: 'range', query, startMs, endMs, stepMs, options };
        calls.push(c);
        return answer(c);
      },
      parseSeriesSelector,
    },
  };
}

const source = fixedSource([
  { labels: { __name__: 'http_requests_total', job: 'api', route: '/a' }, samples: [[NOW_MS - 60_000, 1], [NOW_MS, 2]] },
  { labels: { __name__: 'http_requests_total', job: 'api', route: '/b' }, samples: [[NOW_MS, 5]] },
  { labels: { __name__: 'up', job: 'api', instance: '127.0.0.1:8000' }, samples: [[NOW_MS - 3_600_000, 1]] },
  { labels: { __name__: 'weird', 'odd label': 'x y' }, samples: [[NOW_MS, 1]] },
]);

async function serve(t: TestContext, options: Partial<PromApiOptions> = {}): Promise<{ url: string; calls: EngineCall[] }> {
  const { engine, calls } = recordingEngine();
  const url = await servePromRoute(t, createPromApi({ source, engine, clock: () => NOW_MS, ...options }));
  return { url, calls };
}

function assertBadData(reply: { status: number; json: any }, ...fragments: string[]): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.equal(reply.status, 400, JSON.stringify(reply.json));
  assert.equal(reply.json.status, 'error');
  assert.equal(reply.json.errorType, 'bad_data');
  for (const f of fragments) assert.ok(String(reply.json.error).includes(f), `${JSON.stringify(reply.json.error)} should include ${JSON.stringify(f)}`);
}

test('/api/v1/query answers the engine result in the Prometheus envelope; time as unix seconds, RFC3339 or now', async (t) => {
  const vector: QueryResult = { resultType: 'vector', result: [{ metric: { __name__: 'up' }, value: [1700000000.5, '1'] }] };
  const { engine, calls } = recordingEngine(() => vector);
  const url = await servePromRoute(t, createPromApi({ source, engine, clock: () => NOW_MS }));

  const r = await call(`${url}/api/v1/query?query=up&time=1700000000.5`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
  assert.deepEqual(r.json, { status: 'success', data: vector });
  assert.deepEqual(calls.at(-1), { kind: 'instant', query: 'up', timeMs: 1_700_000_000_500, options: {} });

  await call(`${url}/api/v1/query?query=up&time=2023-11-14T22:13:20.1239Z`);
  assert.equal(calls.at(-1)?.timeMs, 1_700_000_000_123);
  await call(`${url}/api/v1/query?query=up&time=${encodeURIComponent('2023-11-14T23:13:20+01:00')}`);
  assert.equal(calls.at(-1)?.timeMs, 1_700_000_000_000);
  await call(`${url}/api/v1/query?query=up`);
  assert.equal(calls.at(-1)?.timeMs, NOW_MS, 'no time: the clock');
  await call(`${url}/api/v1/query?query=up&time=1.7e9`);
  assert.equal(calls.at(-1)?.timeMs, 1_700_000_000_000);
});

test('/api/v1/query takes a form POST (as Grafana sends it), the body winning over the URL', async (t) => {
  const { url, calls } = await serve(t);
  const r = await postForm(`${url}/api/v1/query?query=ignored&time=1`, { query: 'sum(rate(x[5m]))', time: '4' });
  assert.equal(r.status, 200);
  assert.deepEqual(calls.at(-1), { kind: 'instant', query: 'sum(rate(x[5m]))', timeMs: 4000, options: {} });
  const urlOnly = await call(`${url}/api/v1/query?query=up&time=5`, { method: 'POST' });
  assert.equal(urlOnly.status, 200);
  assert.equal(calls.at(-1)?.timeMs, 5000, 'a POST without a body reads the URL');
});

test('/api/v1/query: lookback_delta and the configured query options reach the engine', async (t) => {
  const { url, calls } = await serve(t, { queryOptions: { closedWindows: true } });
  await call(`${url}/api/v1/query?query=up&lookback_delta=1m`);
  assert.deepEqual(calls.at(-1)?.options, { closedWindows: true, lookbackDeltaMs: 60_000 });
  assertBadData(await call(`${url}/api/v1/query?query=up&lookback_delta=0`), '"lookback_delta"', 'positive duration', '"0"');
});

test('/api/v1/query: bad and missing parameters are bad_data naming the parameter, the expectation and the value', async (t) => {
  const { url, calls } = await serve(t);
  assertBadData(await call(`${url}/api/v1/query`), 'invalid parameter "query"', 'expected a PromQL expression', 'received nothing');
  assertBadData(await call(`${url}/api/v1/query?query=`), 'invalid parameter "query"', 'received nothing');
  assertBadData(await call(`${url}/api/v1/query?query=up&time=yesterday`), 'invalid parameter "time"', 'unix seconds', 'RFC3339', 'received "yesterday"');
  assertBadData(await call(`${url}/api/v1/query?query=up&time=2023-02-30T00:00:00Z`), 'invalid parameter "time"', '"2023-02-30T00:00:00Z"');
  assertBadData(await call(`${url}/api/v1/query?query=up&time=1e400`), 'invalid parameter "time"', '"1e400"');
  assertBadData(await call(`${url}/api/v1/query?query=up&timeout=soon`), 'invalid parameter "timeout"', 'duration', 'received "soon"');
  assertBadData(await call(`${url}/api/v1/query?query=up&timeout=-1`), 'invalid parameter "timeout"', 'positive duration', '"-1"');
  assert.equal(calls.length, 0, 'the engine was never called');
});

test('/api/v1/query: a POST body that is not form-encoded is bad_data naming the Content-Type', async (t) => {
  const { url } = await serve(t);
  const r = await call(`${url}/api/v1/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"up"}' });
  assertBadData(r, 'application/x-www-form-urlencoded', 'received "application/json"');
});

test('/api/v1/query: a body over 10 MiB is answered 413', async (t) => {
  const { url } = await serve(t);
  const r = await call(`${url}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `query=${'a'.repeat(10 * 1024 * 1024 + 1)}`,
  });
  assert.equal(r.status, 413);
  assert.equal(r.json.errorType, 'bad_data');
  assert.match(r.json.error, /larger than 10485760 bytes/);
});

test('engine errors map to Prometheus error types: parse 400 bad_data, execution 422, a bug 500 internal', async (t) => {
  const failures: Record<string, Error> = {
    parse: new LabError('LAB_PROMQL_BAD_QUERY', '1:6: parse error: unexpected end of input'),
    unsupported: new LabError('LAB_PROMQL_UNSUPPORTED', '1:1: function holt_winters is not supported'),
    exec: new LabError('LAB_PROMQL_EXECUTION', 'found duplicate series for the match group'),
    bug: new TypeError('cannot read properties of undefined'),
  };
  const { engine } = recordingEngine((c) => {
    throw failures[c.query]!;
  });
  const url = await servePromRoute(t, createPromApi({ source, engine, clock: () => NOW_MS }));
  const parse = await call(`${url}/api/v1/query?query=parse`);
  assert.deepEqual(parse.json, { status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": 1:6: parse error: unexpected end of input' });
  assert.equal(parse.status, 400);
  assertBadData(await call(`${url}/api/v1/query?query=unsupported`), 'invalid parameter "query"', 'holt_winters is not supported');
  const exec = await call(`${url}/api/v1/query_range?query=exec&start=0&end=60&step=15`);
  assert.equal(exec.status, 422);
  assert.deepEqual(exec.json, { status: 'error', errorType: 'execution', error: 'found duplicate series for the match group' });
  const bug = await call(`${url}/api/v1/query?query=bug`);
  assert.equal(bug.status, 500);
  assert.equal(bug.json.errorType, 'internal');
});

test('a query that outlives its timeout is answered 503 timeout', async (t) => {
  let now = NOW_MS;
  const { engine } = recordingEngine((c) => {
    now += c.query === '6' ? 6000 : 3000; // the evaluation "takes" 3 s (or 6 s) of the clock
    return { resultType: 'scalar', result: [0, '1'] };
  });
  const url = await servePromRoute(t, createPromApi({ source, engine, clock: () => now, defaultTimeoutMs: 5000 }));
  const late = await call(`${url}/api/v1/query?query=1&time=0&timeout=2s`);
  assert.equal(late.status, 503);
  assert.equal(late.json.errorType, 'timeout');
  assert.match(late.json.error, /query timed out in expression evaluation: took 3000ms, timeout 2000ms/);
  assert.equal((await call(`${url}/api/v1/query?query=1&time=0`)).status, 200, 'within the 5 s default');
  assert.equal((await call(`${url}/api/v1/query?query=1&time=0&timeout=2.5`)).status, 503, 'timeout in float seconds');
  assert.equal((await call(`${url}/api/v1/query?query=1&time=0&timeout=1m`)).status, 200);
  const slow = await call(`${url}/api/v1/query?query=6&time=0&timeout=1m`);
  assert.equal(slow.status, 503, 'a timeout over the server limit is the limit');
  assert.match(slow.json.error, /took 6000ms, timeout 5000ms/);
});

test('/api/v1/query_range parses start, end and step (float seconds or a duration)', async (t) => {
  const matrix: QueryResult = { resultType: 'matrix', result: [{ metric: {}, values: [[0, '1'], [15, '1']] }] };
  const { engine, calls } = recordingEngine(() => matrix);
  const url = await servePromRoute(t, createPromApi({ source, engine, clock: () => NOW_MS }));
  const r = await call(`${url}/api/v1/query_range?query=up&start=1700000000&end=1700003600&step=15s`);
  assert.deepEqual(r.json, { status: 'success', data: matrix });
  assert.deepEqual(calls.at(-1), { kind: 'range', query: 'up', startMs: 1_700_000_000_000, endMs: 1_700_003_600_000, stepMs: 15_000, options: {} });
  await postForm(`${url}/api/v1/query_range`, { query: 'up', start: '2023-11-14T22:13:20Z', end: '2023-11-14T22:14:20Z', step: '0.5' });
  assert.deepEqual(calls.at(-1), { kind: 'range', query: 'up', startMs: 1_700_000_000_000, endMs: 1_700_000_060_000, stepMs: 500, options: {} });
  await call(`${url}/api/v1/query_range?query=up&start=0&end=5400&step=1h30m`);
  assert.equal(calls.at(-1)?.stepMs, 5_400_000);
  await call(`${url}/api/v1/query_range?query=up&start=0&end=11000&step=1`);
  assert.equal(calls.at(-1)?.endMs, 11_000_000, '11,001 points (11,000 steps) is the most Prometheus allows');
});

test('/api/v1/query_range: every bad parameter is bad_data naming it', async (t) => {
  const { url, calls } = await serve(t);
  const q = `${url}/api/v1/query_range?query=up`;
  assertBadData(await call(`${url}/api/v1/query_range?start=0&end=1&step=1`), '"query"', 'received nothing');
  assertBadData(await call(`${q}&end=1&step=1`), 'invalid parameter "start"', 'received nothing');
  assertBadData(await call(`${q}&start=0&step=1`), 'invalid parameter "end"', 'received nothing');
  assertBadData(await call(`${q}&start=0&end=1`), 'invalid parameter "step"', 'received nothing');
  assertBadData(await call(`${q}&start=abc&end=1&step=1`), 'invalid parameter "start"', 'received "abc"');
  assertBadData(await call(`${q}&start=10&end=5&step=1`), 'invalid parameter "end"', 'end timestamp must not be before start time', 'at or after 10s', 'received 5s');
  assertBadData(await call(`${q}&start=0&end=1&step=fast`), 'invalid parameter "step"', 'received "fast"');
  assertBadData(await call(`${q}&start=0&end=1&step=0`), 'invalid parameter "step"', 'zero or negative query resolution step widths are not accepted', 'received "0"');
  assertBadData(await call(`${q}&start=0&end=1&step=-5s`), 'invalid parameter "step"', 'received "-5s"');
  assertBadData(await call(`${q}&start=0&end=1&step=0.0001`), 'invalid parameter "step"', 'at least 1ms');
  assertBadData(
    await call(`${q}&start=0&end=11001&step=1`),
    'invalid parameter "step"',
    'exceeded maximum resolution of 11,000 points per timeseries',
    'received step "1" over 11001s, 11002 points',
  );
  assert.equal(calls.length, 0);
});

test('/api/v1/series: the union of the match[] selectors, sorted, within start/end; match[] is required', async (t) => {
  const { url } = await serve(t);
  const both = await call(`${url}/api/v1/series?match[]=http_requests_total{route="/b"}&match[]=up`);
  assert.deepEqual(both.json, {
    status: 'success',
    data: [
      { __name__: 'http_requests_total', job: 'api', route: '/b' },
      { __name__: 'up', instance: '127.0.0.1:8000', job: 'api' },
    ],
  });
  const recent = await postForm(`${url}/api/v1/series`, { 'match[]': ['{job="api"}', 'http_requests_total'], start: String((NOW_MS - 120_000) / 1000) });
  assert.deepEqual(recent.json.data.map((l: Record<string, string>) => l['route'] ?? l['__name__']), ['/a', '/b'], 'up has no sample after start');
  const limited = await call(`${url}/api/v1/series?match[]={job="api"}&limit=1`);
  assert.equal(limited.json.data.length, 1);
  assert.deepEqual(limited.json.warnings, ['results truncated due to limit']);

  assertBadData(await call(`${url}/api/v1/series`), 'invalid parameter "match[]"', 'no match[] parameter provided');
  assertBadData(await call(`${url}/api/v1/series?match[]=rate(up[5m])`), 'invalid parameter "match[]"', 'rate(up[5m])');
  assertBadData(await call(`${url}/api/v1/series?match[]=up{`), 'invalid parameter "match[]"', 'parse error');
  assertBadData(await call(`${url}/api/v1/series?match[]=up&start=never`), 'invalid parameter "start"', '"never"');
  assertBadData(await call(`${url}/api/v1/series?match[]=up&limit=-1`), 'invalid parameter "limit"', 'non-negative integer', '"-1"');
});

test('/api/v1/labels and /api/v1/label/{name}/values, with and without match[]', async (t) => {
  const { url } = await serve(t);
  assert.deepEqual((await call(`${url}/api/v1/labels`)).json, { status: 'success', data: ['__name__', 'instance', 'job', 'odd label', 'route'] });
  assert.deepEqual((await postForm(`${url}/api/v1/labels`, { 'match[]': 'http_requests_total' })).json.data, ['__name__', 'job', 'route']);
  assert.deepEqual((await call(`${url}/api/v1/label/__name__/values`)).json, { status: 'success', data: ['http_requests_total', 'up', 'weird'] });
  assert.deepEqual((await call(`${url}/api/v1/label/route/values?match[]={route="/a"}`)).json.data, ['/a']);
  assert.deepEqual((await call(`${url}/api/v1/label/${encodeURIComponent('odd label')}/values`)).json.data, ['x y']);
  assert.deepEqual((await call(`${url}/api/v1/label/nothing/values`)).json.data, []);
  assert.deepEqual((await call(`${url}/api/v1/label/job/values?start=${NOW_MS / 1000 + 1}`)).json.data, [], 'nothing after start');
  assertBadData(await call(`${url}/api/v1/label/%E0%A4%A/values`), 'invalid parameter "name"', '%-encoded label name', '"%E0%A4%A"');
  assertBadData(await call(`${url}/api/v1/labels?match[]=1+1`), 'invalid parameter "match[]"');
  assertBadData(await call(`${url}/api/v1/label/job/values?end=x`), 'invalid parameter "end"');
});

test('/api/v1/metadata reports what the scraper saw (or nothing); metric and limit filter it', async (t) => {
  const meta = new Map<string, MetricMetadata[]>([
    ['http_requests_total', [{ type: 'counter', help: 'Requests.', unit: '' }]],
    ['latency_seconds', [{ type: 'histogram', help: 'Latency.', unit: '' }]],
  ]);
  const { url } = await serve(t, { metadata: () => meta });
  assert.deepEqual((await call(`${url}/api/v1/metadata`)).json, {
    status: 'success',
    data: { http_requests_total: [{ type: 'counter', help: 'Requests.', unit: '' }], latency_seconds: [{ type: 'histogram', help: 'Latency.', unit: '' }] },
  });
  assert.deepEqual(Object.keys((await call(`${url}/api/v1/metadata?metric=latency_seconds`)).json.data), ['latency_seconds']);
  assert.deepEqual(Object.keys((await call(`${url}/api/v1/metadata?limit=1`)).json.data), ['http_requests_total']);
  const bare = await serve(t);
  assert.deepEqual((await call(`${bare.url}/api/v1/metadata`)).json, { status: 'success', data: {} });
});

test('buildinfo, exemplars, rules, alerts and targets answer what Grafana and Prometheus clients expect', async (t) => {
  const health: ScrapeTargetHealth[] = [{
    url: 'http://127.0.0.1:8000/metrics', job: 'cafe', instance: '127.0.0.1:8000', intervalMs: 15_000, timeoutMs: 10_000,
    health: 'up', lastError: '', lastScrapeMs: NOW_MS, lastDurationSeconds: 0.002, lastSamples: 12,
  }];
  const { url } = await serve(t, { targets: () => health });
  const info = await call(`${url}/api/v1/status/buildinfo`);
  assert.equal(info.json.status, 'success');
  assert.match(info.json.data.version, /^2\.\d+\.\d+$/);
  assert.equal(info.json.data.features, undefined, 'no features: Grafana treats the source as Prometheus');
  assert.deepEqual((await postForm(`${url}/api/v1/query_exemplars`, { query: 'up', start: '0', end: '10' })).json, { status: 'success', data: [] });
  assertBadData(await call(`${url}/api/v1/query_exemplars`), '"query"');
  assert.deepEqual((await call(`${url}/api/v1/rules`)).json, { status: 'success', data: { groups: [] } });
  assert.deepEqual((await call(`${url}/api/v1/alerts`)).json, { status: 'success', data: { alerts: [] } });
  const targets = await call(`${url}/api/v1/targets`);
  assert.deepEqual(targets.json.data.activeTargets[0], {
    discoveredLabels: { __address__: '127.0.0.1:8000', __metrics_path__: '/metrics', __scheme__: 'http', job: 'cafe' },
    labels: { instance: '127.0.0.1:8000', job: 'cafe' },
    scrapePool: 'cafe',
    scrapeUrl: 'http://127.0.0.1:8000/metrics',
    globalUrl: 'http://127.0.0.1:8000/metrics',
    lastError: '',
    lastScrape: new Date(NOW_MS).toISOString(),
    lastScrapeDuration: 0.002,
    health: 'up',
    scrapeInterval: '15s',
    scrapeTimeout: '10s',
  });
  assert.deepEqual((await call(`${url}/api/v1/targets?state=dropped`)).json.data, { activeTargets: [], droppedTargets: [] });
  assertBadData(await call(`${url}/api/v1/targets?state=sleeping`), '"state"', '"sleeping"');
});

test('/-/ready and /-/healthy answer as Prometheus; wrong methods get 405 with Allow; other paths fall through', async (t) => {
  const { url } = await serve(t);
  const ready = await call(`${url}/-/ready`);
  assert.equal(ready.status, 200);
  assert.equal(ready.text, 'Prometheus Server is Ready.\n');
  assert.equal((await call(`${url}/-/healthy`)).text, 'Prometheus Server is Healthy.\n');
  const head = await call(`${url}/-/ready`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.text, '');

  const put = await call(`${url}/api/v1/query?query=up`, { method: 'PUT' });
  assert.equal(put.status, 405);
  assert.equal(put.headers.get('allow'), 'GET, HEAD, POST');
  assert.deepEqual(put.json, { status: 'error', errorType: 'bad_data', error: 'method PUT not allowed on /api/v1/query; use GET, HEAD, POST' });
  const postValues = await postForm(`${url}/api/v1/label/job/values`, {});
  assert.equal(postValues.status, 405);
  assert.equal(postValues.headers.get('allow'), 'GET, HEAD');
  assert.equal((await call(`${url}/-/healthy`, { method: 'DELETE' })).status, 405);

  for (const path of ['/api/v1/nothing', '/api/services', '/metrics', '/api/v1/label/job']) {
    const r = await call(`${url}${path}`);
    assert.equal(r.status, 404, path);
    assert.equal(r.text, 'not mine', path);
  }
});
