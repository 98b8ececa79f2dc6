import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHub } from '../../../src/telemetry/index.js';
import { createLoadOtlpExporter, otlpMetricsUrl } from '../../../src/load/otlp.js';
import { LOAD_DURATION_BOUNDS_MS } from '../../../src/load/types.js';
import type { Interval } from '../../../src/load/types.js';

type Vector = Array<{ metric: Record<string, string>; value: [number, string] }>;

async function startHub(t: TestContext): Promise<{ otlp: string; query: (q: string) => Promise<Vector> }> {
  const hub = createHub({ otlpHttpPort: 0, otlpGrpcPort: 0, queryPort: 0 });
  const addresses = await hub.listen();
  t.after(() => hub.close());
  return {
    otlp: addresses.otlpHttp.url,
    query: async (q) => {
      const res = await fetch(`${addresses.query.url}/api/v1/query?${new URLSearchParams({ query: q }).toString()}`);
      const body = (await res.json()) as { data: { result: Vector } };
      return body.data.result;
    },
  };
}

function counts(at: Record<number, number>): number[] {
  const out = new Array<number>(LOAD_DURATION_BOUNDS_MS.length + 1).fill(0);
  for (const [i, n] of Object.entries(at)) out[Number(i)] = n;
  return out;
}

test('otlpMetricsUrl: explicit, then the OTLP environment variables', () => {
  assert.equal(otlpMetricsUrl('http://h:4318/', {}), 'http://h:4318/v1/metrics');
  assert.equal(otlpMetricsUrl(null, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://e:4318' }), 'http://e:4318/v1/metrics');
  assert.equal(otlpMetricsUrl(undefined, { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://m:1/v1/metrics', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://e:4318' }), 'http://m:1/v1/metrics');
  assert.equal(otlpMetricsUrl(undefined, {}), null);
});

test('the exporter sends users, requests by task and outcome, and latency by task to the real hub', async (t) => {
  const hub = await startHub(t);
  const exporter = createLoadOtlpExporter({ endpoint: hub.otlp, instanceId: 'test-1', exportIntervalMs: 60_000 });
  t.after(() => exporter.close());
  const second = (n: number, users: number): Interval => ({
    second: n, users, requests: 12, errors: { http_5xx: 1, dropped: 2 }, p50: 3, p95: 9, p99: 40,
    tasks: [
      { name: 'menu', requests: 10, errors: { http_5xx: 1 }, durationCounts: counts({ 2: 6, 3: 4 }), durationSumMs: 60 },
      { name: 'order', requests: 2, errors: { dropped: 2 }, durationCounts: counts({ 5: 2 }), durationSumMs: 80 },
    ],
  });
  exporter.record(second(1, 4));
  exporter.record(second(2, 7));
  await exporter.flush();
  assert.deepEqual(exporter.stats(), { sent: 1, failed: 0, lastError: null });

  const users = await hub.query('cloudlab_load_active_users');
  assert.equal(users.length, 1);
  assert.equal(users[0]!.metric['job'], 'cloudlab-load');
  assert.equal(users[0]!.value[1], '7');

  const requests = await hub.query('cloudlab_load_requests_total');
  const byKey = Object.fromEntries(requests.map((r) => [`${r.metric['task']}/${r.metric['outcome']}`, r.value[1]]));
  assert.deepEqual(byKey, { 'menu/ok': '18', 'menu/http_5xx': '2', 'order/ok': '4', 'order/dropped': '4' });

  const count = await hub.query('cloudlab_load_request_duration_seconds_count');
  assert.deepEqual(Object.fromEntries(count.map((r) => [r.metric['task'], r.value[1]])), { menu: '20', order: '4' });
  const sum = await hub.query('cloudlab_load_request_duration_seconds_sum{task="order"}');
  assert.equal(Number(sum[0]!.value[1]), 0.16);
  const le10ms = await hub.query('cloudlab_load_request_duration_seconds_bucket{task="menu",le="0.01"}');
  assert.equal(le10ms[0]!.value[1], '20');
  const le5ms = await hub.query('cloudlab_load_request_duration_seconds_bucket{task="menu",le="0.005"}');
  assert.equal(le5ms[0]!.value[1], '12');
});

test('an Interval without tasks is exported as task "all", and a failed export is counted, not thrown', async (t) => {
  const hub = await startHub(t);
  const exporter = createLoadOtlpExporter({ endpoint: hub.otlp, exportIntervalMs: 60_000 });
  t.after(() => exporter.close());
  exporter.record({ second: 1, users: 3, requests: 100, errors: { timeout: 5 }, p50: 4, p95: 30, p99: 200 });
  await exporter.flush();
  const requests = await hub.query('cloudlab_load_requests_total{task="all"}');
  assert.deepEqual(Object.fromEntries(requests.map((r) => [r.metric['outcome'], r.value[1]])), { ok: '95', timeout: '5' });
  const count = await hub.query('cloudlab_load_request_duration_seconds_count{task="all"}');
  assert.equal(count[0]!.value[1], '100');

  const dead = createLoadOtlpExporter({ endpoint: 'http://127.0.0.1:9', exportIntervalMs: 60_000 });
  await dead.close();
  assert.equal(dead.stats().failed, 1);
  assert.match(dead.stats().lastError ?? '', /127\.0\.0\.1:9/);
});
