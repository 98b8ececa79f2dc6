/** The OTLP -> Prometheus mapping, table-driven, against what the Collector's Prometheus exporter writes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOtlpTranslator, formatGoFloat, otlpToPrometheus, prometheusLabelName, prometheusMetricName } from '../../../src/telemetry/metrics/index.js';
import type { PromKind } from '../../../src/telemetry/metrics/index.js';
import type { Attributes, MetricData, Sample } from '../../../src/telemetry/model.js';

const NAMES: [string, string, PromKind, string][] = [
  // name, unit, kind -> Prometheus name
  ['http.server.requests', '{request}', 'counter', 'http_server_requests_total'],
  ['requests.total', '1', 'counter', 'requests_total'],
  ['process.memory.usage', 'By', 'gauge', 'process_memory_usage_bytes'],
  ['cpu.utilization', '1', 'gauge', 'cpu_utilization_ratio'],
  ['cpu.utilization', '1', 'non-monotonic-counter', 'cpu_utilization'],
  ['db.connections', '{connection}', 'non-monotonic-counter', 'db_connections'],
  ['http.server.duration', 'ms', 'histogram', 'http_server_duration_milliseconds'],
  ['http.server.request.duration', 's', 'histogram', 'http_server_request_duration_seconds'],
  ['request.duration.seconds', 's', 'histogram', 'request_duration_seconds'],
  ['net.io', 'By/s', 'gauge', 'net_io_bytes_per_second'],
  ['queue.rate', '{message}/s', 'gauge', 'queue_rate_per_second'],
  ['room.temp', 'Cel', 'gauge', 'room_temp_celsius'],
  ['disk.free', '%', 'gauge', 'disk_free_percent'],
  ['jvm.gc.time', 'us', 'counter', 'jvm_gc_time_microseconds_total'],
  ['my-metric.name/x', '', 'gauge', 'my_metric_name_x'],
  ['2xx.count', '', 'counter', '_2xx_count_total'],
  ['a__b', '', 'gauge', 'a_b'],
  ['ns:sub.metric', 'KiBy', 'gauge', 'ns:sub_metric_kibibytes'],
];

for (const [name, unit, kind, expected] of NAMES) {
  test(`metric name ${name} [${unit}] ${kind} -> ${expected}`, () => {
    assert.equal(prometheusMetricName(name, unit, kind), expected);
  });
}

test('label names: invalid characters to _, key_ before a digit, key before a single _', () => {
  const cases: [string, string][] = [
    ['http.route', 'http_route'], ['1st', 'key_1st'], ['_private', 'key_private'], ['__dunder', '__dunder'],
    ['k8s.pod.name', 'k8s_pod_name'], ['a-b c', 'a_b_c'], ['ünï', 'key_n_'],
  ];
  for (const [key, label] of cases) assert.equal(prometheusLabelName(key), label, key);
});

test('le and quantile values are written as Go formats floats (shortest, exponent from 1e6 and below 1e-4)', () => {
  const cases: [number, string][] = [
    [0.005, '0.005'], [1, '1'], [2.5, '2.5'], [250000, '250000'], [1e6, '1e+06'], [2.5e6, '2.5e+06'],
    [0.0001, '0.0001'], [0.00001, '1e-05'], [1.4142135623730951, '1.4142135623730951'], [-1, '-1'], [Infinity, '+Inf'],
  ];
  for (const [value, text] of cases) assert.equal(formatGoFloat(value), text, String(value));
});

const RESOURCE = {
  attributes: {
    'service.name': 'cafe',
    'service.namespace': 'shop',
    'service.instance.id': 'i-1',
    'host.name': 'box',
    'telemetry.sdk.language': 'nodejs',
  } as Attributes,
};
const SCOPE = { name: 'cafe-meter', version: '1.2.0' };
const T_US = 1_700_000_000_123_456;
const T_MS = 1_700_000_000_123;

/** The labels every sample of RESOURCE/SCOPE carries. */
const COMMON = {
  job: 'shop/cafe',
  instance: 'i-1',
  service_name: 'cafe',
  service_namespace: 'shop',
  service_instance_id: 'i-1',
  host_name: 'box',
  telemetry_sdk_language: 'nodejs',
  otel_scope_name: 'cafe-meter',
  otel_scope_version: '1.2.0',
};

function metric(m: Record<string, unknown>): MetricData {
  return { description: '', unit: '', resource: RESOURCE, scope: SCOPE, ...m } as unknown as MetricData;
}

/** Samples as `name{labels} value @ms`, the labels minus COMMON, sorted. */
function lines(samples: Sample[]): string[] {
  return samples
    .filter((s) => s.labels['__name__'] !== 'target_info')
    .map((s) => {
      const { __name__: name, ...labels } = s.labels;
      for (const [k, v] of Object.entries(COMMON)) if (labels[k] === v) delete labels[k];
      const body = Object.keys(labels).sort().map((k) => `${k}="${labels[k]}"`).join(',');
      return `${name}{${body}} ${s.value} @${s.timeMs}`;
    })
    .sort();
}

const point = (value: number, attributes: Attributes = {}, startUs = 0, timeUs = T_US) => ({ attributes, startUs, timeUs, value });

const MAPPINGS: [string, MetricData[], string[]][] = [
  [
    'gauge with attributes of every type',
    [metric({ name: 'queue.depth', unit: '{item}', type: 'gauge', points: [point(3, { 'queue.name': 'q', code: 200, ok: true, ratio: 1.5, tags: ['a', 1] })] })],
    [`queue_depth{code="200",ok="true",queue_name="q",ratio="1.5",tags="["a",1]"} 3 @1700000000123`],
  ],
  [
    'cumulative monotonic sum -> counter',
    [metric({ name: 'http.server.requests', unit: '{request}', type: 'sum', temporality: 'cumulative', monotonic: true, points: [point(42, { 'http.route': '/menu' })] })],
    ['http_server_requests_total{http_route="/menu"} 42 @1700000000123'],
  ],
  [
    'cumulative non-monotonic sum -> gauge',
    [metric({ name: 'db.connections', unit: '{connection}', type: 'sum', temporality: 'cumulative', monotonic: false, points: [point(-2)] })],
    ['db_connections{} -2 @1700000000123'],
  ],
  [
    'attributes colliding once sanitized are joined with ; in key order',
    [metric({ name: 'x', unit: '', type: 'gauge', points: [point(1, { a_b: '2', 'a.b': '1' })] })],
    ['x{a_b="1;2"} 1 @1700000000123'],
  ],
  [
    'explicit-bucket histogram -> _bucket (cumulative, le="+Inf" = count), _sum, _count',
    [metric({
      name: 'http.server.duration', unit: 'ms', type: 'histogram', temporality: 'cumulative',
      points: [{ attributes: {}, startUs: 0, timeUs: T_US, count: 6, sum: 42.5, bounds: [5, 10, 1e6], bucketCounts: [1, 2, 0, 3] }],
    })],
    [
      'http_server_duration_milliseconds_bucket{le="+Inf"} 6 @1700000000123',
      'http_server_duration_milliseconds_bucket{le="10"} 3 @1700000000123',
      'http_server_duration_milliseconds_bucket{le="1e+06"} 3 @1700000000123',
      'http_server_duration_milliseconds_bucket{le="5"} 1 @1700000000123',
      'http_server_duration_milliseconds_count{} 6 @1700000000123',
      'http_server_duration_milliseconds_sum{} 42.5 @1700000000123',
    ],
  ],
  [
    // scale 0: base 2. Negative index 0 holds [-2, -1) -> le -1; zero bucket -> le 0;
    // positive index 0 holds (1, 2] -> le 2, index 1 holds (2, 4] -> le 4. Cumulative from the bottom.
    'exponential histogram -> classic buckets from scale and offsets',
    [metric({
      name: 'latency', unit: 's', type: 'exponential_histogram', temporality: 'cumulative',
      points: [{ attributes: {}, startUs: 0, timeUs: T_US, count: 5, sum: 4, scale: 0, zeroCount: 1, positive: { offset: 0, bucketCounts: [1, 2] }, negative: { offset: 0, bucketCounts: [1] } }],
    })],
    [
      'latency_seconds_bucket{le="+Inf"} 5 @1700000000123',
      'latency_seconds_bucket{le="-1"} 1 @1700000000123',
      'latency_seconds_bucket{le="0"} 2 @1700000000123',
      'latency_seconds_bucket{le="2"} 3 @1700000000123',
      'latency_seconds_bucket{le="4"} 5 @1700000000123',
      'latency_seconds_count{} 5 @1700000000123',
      'latency_seconds_sum{} 4 @1700000000123',
    ],
  ],
  [
    // scale 1: base sqrt(2); offset 2 means index 2 holds (2, 2^1.5] and index 3 holds (2^1.5, 4].
    'exponential histogram at scale 1 with an offset',
    [metric({
      name: 'size', unit: 'By', type: 'exponential_histogram', temporality: 'cumulative',
      points: [{ attributes: {}, startUs: 0, timeUs: T_US, count: 3, sum: undefined, scale: 1, zeroCount: 0, positive: { offset: 2, bucketCounts: [1, 2] }, negative: { offset: 0, bucketCounts: [] } }],
    })],
    [
      'size_bytes_bucket{le="+Inf"} 3 @1700000000123',
      'size_bytes_bucket{le="2.8284271247461903"} 1 @1700000000123',
      'size_bytes_bucket{le="4"} 3 @1700000000123',
      'size_bytes_count{} 3 @1700000000123',
    ],
  ],
  [
    'summary -> quantile series, _sum, _count',
    [metric({
      name: 'rpc.duration', unit: 'ms', type: 'summary',
      points: [{ attributes: {}, startUs: 0, timeUs: T_US, count: 10, sum: 55, quantiles: [{ quantile: 0.5, value: 4 }, { quantile: 0.99, value: 9 }] }],
    })],
    [
      'rpc_duration_milliseconds_count{} 10 @1700000000123',
      'rpc_duration_milliseconds_sum{} 55 @1700000000123',
      'rpc_duration_milliseconds{quantile="0.5"} 4 @1700000000123',
      'rpc_duration_milliseconds{quantile="0.99"} 9 @1700000000123',
    ],
  ],
];

for (const [name, input, expected] of MAPPINGS) {
  test(`mapping: ${name}`, () => {
    assert.deepEqual(lines(otlpToPrometheus(input)), expected);
  });
}

test('every sample carries job, instance, the resource attributes and the scope; target_info once per resource', () => {
  const samples = otlpToPrometheus([metric({ name: 'up', unit: '', type: 'gauge', points: [point(1, { 'host.name': 'point-level' })] })]);
  const up = samples.find((s) => s.labels['__name__'] === 'up')!;
  // A resource attribute wins over a point attribute of the same key (resource_to_telemetry_conversion).
  assert.deepEqual(up.labels, { __name__: 'up', ...COMMON });
  assert.equal(up.timeMs, T_MS);
  const info = samples.filter((s) => s.labels['__name__'] === 'target_info');
  assert.deepEqual(info, [{ labels: { __name__: 'target_info', job: 'shop/cafe', instance: 'i-1', host_name: 'box', telemetry_sdk_language: 'nodejs' }, timeMs: T_MS, value: 1 }]);
});

test('job is service.name alone without a namespace; options turn resource labels, scope labels and target_info off', () => {
  const resource = { attributes: { 'service.name': 'api' } as Attributes };
  const m = { name: 'g', description: '', unit: '', resource, scope: { name: '', version: '' }, type: 'gauge', points: [point(1)] } as MetricData;
  assert.deepEqual(otlpToPrometheus([m]), [{ labels: { __name__: 'g', job: 'api', service_name: 'api' }, timeMs: T_MS, value: 1 }]);
  const bare = otlpToPrometheus([metric({ name: 'g', unit: '', type: 'gauge', points: [point(1)] })], { resourceToTelemetry: false, scopeLabels: false, targetInfo: false });
  assert.deepEqual(bare, [{ labels: { __name__: 'g', job: 'shop/cafe', instance: 'i-1' }, timeMs: T_MS, value: 1 }]);
});

test('delta sums accumulate into a counter; a gap restarts it; an old point is dropped', () => {
  const translator = createOtlpTranslator();
  const delta = (value: number, startS: number, endS: number) =>
    metric({ name: 'orders', unit: '{order}', type: 'sum', temporality: 'delta', monotonic: true, points: [point(value, {}, startS * 1e6, endS * 1e6)] });
  const values = (m: MetricData) => translator.translate([m]).filter((s) => s.labels['__name__'] === 'orders_total').map((s) => [s.timeMs / 1000, s.value]);
  assert.deepEqual(values(delta(5, 0, 10)), [[10, 5]]);
  assert.deepEqual(values(delta(3, 10, 20)), [[20, 8]]);
  assert.deepEqual(values(delta(1, 5, 15)), []); // not newer than 20 s: dropped
  assert.deepEqual(values(delta(2, 40, 50)), [[50, 2]]); // starts after 20 s: a restart
  assert.equal(translator.stats().droppedDeltaPoints, 1);
  assert.equal(translator.stats().deltaSeries, 1);
});

test('delta histograms accumulate bucket by bucket', () => {
  const translator = createOtlpTranslator();
  const delta = (counts: number[], startS: number, endS: number) => metric({
    name: 'lat', unit: 's', type: 'histogram', temporality: 'delta',
    points: [{ attributes: {}, startUs: startS * 1e6, timeUs: endS * 1e6, count: counts.reduce((a, b) => a + b, 0), sum: 1, bounds: [0.1, 1], bucketCounts: counts }],
  });
  translator.translate([delta([1, 1, 0], 0, 10)]);
  const out = translator.translate([delta([2, 0, 1], 10, 20)]);
  assert.deepEqual(lines(out), [
    'lat_seconds_bucket{le="+Inf"} 5 @20000',
    'lat_seconds_bucket{le="0.1"} 3 @20000',
    'lat_seconds_bucket{le="1"} 4 @20000',
    'lat_seconds_count{} 5 @20000',
    'lat_seconds_sum{} 2 @20000',
  ]);
});

test('delta exponential histograms accumulate, downscaling to the lower scale', () => {
  const translator = createOtlpTranslator();
  const delta = (scale: number, offset: number, counts: number[], startS: number, endS: number) => metric({
    name: 'e', unit: '', type: 'exponential_histogram', temporality: 'delta',
    points: [{ attributes: {}, startUs: startS * 1e6, timeUs: endS * 1e6, count: counts.reduce((a, b) => a + b, 0), sum: undefined, scale, zeroCount: 0, positive: { offset, bucketCounts: counts }, negative: { offset: 0, bucketCounts: [] } }],
  });
  translator.translate([delta(1, 0, [1, 1], 0, 10)]); // scale 1: (1, 1.41], (1.41, 2]
  const out = translator.translate([delta(0, 0, [3], 10, 20)]); // scale 0: (1, 2]
  // At scale 0 the two scale-1 buckets merge into (1, 2]: 2 + 3 = 5.
  assert.deepEqual(lines(out), ['e_bucket{le="+Inf"} 5 @20000', 'e_bucket{le="2"} 5 @20000', 'e_count{} 5 @20000']);
});

test('delta state is bounded: the least recently updated series is forgotten', () => {
  const translator = createOtlpTranslator({ maxSeries: 2 });
  const delta = (series: string, value: number, startS: number, endS: number) =>
    metric({ name: 'd', unit: '', type: 'sum', temporality: 'delta', monotonic: true, points: [point(value, { s: series }, startS * 1e6, endS * 1e6)] });
  translator.translate([delta('a', 1, 0, 10), delta('b', 1, 0, 10), delta('c', 1, 0, 10)]);
  assert.equal(translator.stats().deltaSeries, 2);
  const out = translator.translate([delta('a', 1, 10, 20)]);
  // a was forgotten: it starts again from this point's value.
  assert.equal(out.find((s) => s.labels['s'] === 'a')!.value, 1);
});
