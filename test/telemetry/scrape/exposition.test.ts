/** The text exposition format through parse-prometheus-text-format, with the fixes exposition.ts makes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExposition, parseSampleValue } from '../../../src/telemetry/scrape/index.js';
import type { ExposedSample } from '../../../src/telemetry/scrape/index.js';

function flat(samples: ExposedSample[]): string[] {
  return samples.map((s) => {
    const labels = Object.entries(s.labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',');
    return `${s.name}{${labels}} ${String(s.value)}${s.timestampMs === undefined ? '' : ` @${s.timestampMs}`}`;
  });
}

test('counters, gauges, untyped, labelled histograms and summaries come back as Prometheus stores them', () => {
  const text = [
    '# HELP http_requests_total The total number of HTTP requests.',
    '# TYPE http_requests_total counter',
    'http_requests_total{method="post",code="200"} 1027 1395066363000',
    'http_requests_total{method="post",code="400"}    3 1395066363000',
    '',
    '# TYPE temperature gauge',
    'temperature 21.5',
    'untyped_thing{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9',
    '# HELP latency_seconds Request latency.',
    '# TYPE latency_seconds histogram',
    'latency_seconds_bucket{route="/a",le="0.1"} 1',
    'latency_seconds_bucket{route="/a",le="+Inf"} 2',
    'latency_seconds_sum{route="/a"} 0.3',
    'latency_seconds_count{route="/a"} 2',
    'latency_seconds_bucket{route="/b",le="0.1"} 0',
    'latency_seconds_bucket{route="/b",le="+Inf"} 5',
    'latency_seconds_sum{route="/b"} 7',
    'latency_seconds_count{route="/b"} 5',
    '# TYPE rpc_seconds summary',
    'rpc_seconds{service="x",quantile="0.5"} 0.01',
    'rpc_seconds{service="x",quantile="0.99"} 0.2',
    'rpc_seconds_sum{service="x"} 12',
    'rpc_seconds_count{service="x"} 300',
    '# a plain comment',
    '#no space comment',
    'last_line_without_newline 7',
  ].join('\n');
  const { samples, metadata } = parseExposition(text);
  assert.deepEqual(flat(samples), [
    'http_requests_total{method="post",code="200"} 1027 @1395066363000',
    'http_requests_total{method="post",code="400"} 3 @1395066363000',
    'temperature{} 21.5',
    'untyped_thing{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1458255915',
    'latency_seconds_bucket{route="/a",le="0.1"} 1',
    'latency_seconds_bucket{route="/a",le="+Inf"} 2',
    'latency_seconds_sum{route="/a"} 0.3',
    'latency_seconds_count{route="/a"} 2',
    'latency_seconds_bucket{route="/b",le="0.1"} 0',
    'latency_seconds_bucket{route="/b",le="+Inf"} 5',
    'latency_seconds_sum{route="/b"} 7',
    'latency_seconds_count{route="/b"} 5',
    'rpc_seconds{service="x",quantile="0.5"} 0.01',
    'rpc_seconds{service="x",quantile="0.99"} 0.2',
    'rpc_seconds_sum{service="x"} 12',
    'rpc_seconds_count{service="x"} 300',
    'last_line_without_newline{} 7',
  ]);
  assert.deepEqual(Object.fromEntries(metadata), {
    http_requests_total: { type: 'counter', help: 'The total number of HTTP requests.', unit: '' },
    temperature: { type: 'gauge', help: '', unit: '' },
    latency_seconds: { type: 'histogram', help: 'Request latency.', unit: '' },
    rpc_seconds: { type: 'summary', help: '', unit: '' },
  });
});

test('special values, CRLF, a HELP without text and an empty label set parse', () => {
  const { samples, metadata } = parseExposition('# HELP a\r\n# TYPE a gauge\r\na{} NaN\r\nb +Inf -5\r\nc -Inf\r\n');
  assert.ok(Number.isNaN(samples[0]!.value));
  assert.equal(samples[1]!.value, Infinity);
  assert.equal(samples[1]!.timestampMs, -5);
  assert.equal(samples[2]!.value, -Infinity);
  assert.deepEqual(metadata.get('a'), { type: 'gauge', help: '', unit: '' });
  assert.deepEqual(parseExposition('').samples, []);
  assert.equal(parseSampleValue('1_000'), undefined);
  assert.equal(parseSampleValue('.5e1'), 5);
  assert.equal(parseSampleValue('Inf'), Infinity);
});

test('malformed expositions throw with the metric and what was wrong', () => {
  const cases: [string, RegExp][] = [
    ['x abc\n', /metric "x" has value "abc", expected a float/],
    ['x 1 12.5\n', /metric "x" has timestamp "12.5", expected integer milliseconds/],
    ['x{a="1" 1\n', /invalid exposition: Encountered invalid line: x\{a="1" 1/],
    ['x{a=1} 1\n', /invalid exposition: Encountered invalid line/],
    ['9x 1\n', /metric name "9x" is not/],
    ['x{a-b="1"} 1\n', /metric "x" has label name "a-b"/],
    ['# TYPE x widget\nx 1\n', /unknown metric type "widget"/],
    ['x\n', /metric "x" has value "", expected a float/],
  ];
  for (const [text, pattern] of cases) assert.throws(() => parseExposition(text), pattern, JSON.stringify(text));
});
