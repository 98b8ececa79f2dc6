/** The decoders in process: both encodings, value types, exact times, refusals, bad shapes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LabError } from '../../../src/errors.js';
import { OTLP_TYPES, decodeLogs, decodeMetrics, decodeTraces } from '../../../src/telemetry/otlp/index.js';
import type { OtlpEncoding } from '../../../src/telemetry/otlp/index.js';

const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = 'eee19b7ec3c1b174';

function pbTraces(request: object): Uint8Array {
  return OTLP_TYPES.traceRequest.encode(OTLP_TYPES.traceRequest.fromObject(request)).finish();
}

/** The same request as protobuf (ids as bytes) and JSON (ids as hex). */
function both(spans: Record<string, unknown>[]): Record<OtlpEncoding, Uint8Array | string> {
  const withBytes = spans.map((s) => {
    const out: Record<string, unknown> = { ...s };
    for (const k of ['traceId', 'spanId', 'parentSpanId']) if (typeof s[k] === 'string') out[k] = Buffer.from(s[k], 'hex');
    return out;
  });
  const request = (list: unknown[]): object => ({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] }, scopeSpans: [{ scope: { name: 'lib', version: '1' }, spans: list }] }] });
  return { protobuf: pbTraces(request(withBytes)), json: JSON.stringify(request(spans)) };
}

const BASE = { traceId: TRACE, spanId: SPAN, name: 'op', startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000000001000' };

test('every AnyValue kind decodes the same from protobuf and JSON, unset and zero values kept apart', () => {
  const attributes = [
    { key: 'empty-string', value: { stringValue: '' } },
    { key: 'zero-int', value: { intValue: 0 } },
    { key: 'false', value: { boolValue: false } },
    { key: 'zero-double', value: { doubleValue: 0 } },
    { key: 'empty', value: {} },
    { key: 'no-value' },
    { key: 'int', value: { intValue: '-42' } },
    { key: 'huge-int', value: { intValue: '9007199254740993' } },
    { key: 'double', value: { doubleValue: 1.25 } },
    { key: 'list', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: 1 }, { arrayValue: {} }] } } },
    { key: 'map', value: { kvlistValue: { values: [{ key: 'k', value: { boolValue: true } }] } } },
    { key: '__proto__', value: { stringValue: 'safe' } },
  ];
  const pbAttributes = [...attributes, { key: 'bytes', value: { bytesValue: Buffer.from([1, 2, 255]) } }];
  const jsonAttributes = [...attributes, { key: 'bytes', value: { bytesValue: 'AQL/' } }];
  const pb = decodeTraces(both([{ ...BASE, attributes: pbAttributes }]).protobuf, 'protobuf');
  const json = decodeTraces(both([{ ...BASE, attributes: jsonAttributes }]).json, 'json');
  assert.deepEqual(pb, json);
  const got = pb.items[0]!.attributes;
  assert.equal(got['empty-string'], '');
  assert.equal(got['zero-int'], 0);
  assert.equal(got['false'], false);
  assert.equal(got['zero-double'], 0);
  assert.equal(got['empty'], null);
  assert.equal(got['no-value'], null);
  assert.equal(got['int'], -42);
  assert.equal(got['huge-int'], '9007199254740993', 'beyond 2^53 an int stays exact as a decimal string');
  assert.deepEqual(got['list'], ['a', 1, []]);
  assert.deepEqual(got['map'], { k: true });
  assert.equal(got['bytes'], 'AQL/');
  assert.equal(Object.getPrototypeOf(got), Object.prototype, 'a __proto__ key does not replace the prototype');
  assert.equal(Object.getOwnPropertyDescriptor(got, '__proto__')?.value, 'safe');
});

test('times are exact to the microsecond where float math on nanoseconds is not', () => {
  // 1700000000123456999 ns is 1700000000123457024 as a double: float math would say ...457 us.
  const span = { ...BASE, startTimeUnixNano: '1700000000123456999', endTimeUnixNano: '1700000000123457998', events: [{ timeUnixNano: '1700000000999999999', name: 'e' }] };
  for (const [encoding, body] of Object.entries(both([span])) as [OtlpEncoding, Uint8Array | string][]) {
    const s = decodeTraces(body, encoding).items[0]!;
    assert.equal(s.startUs, 1_700_000_000_123_456, encoding);
    assert.equal(s.durationUs, 0, `${encoding}: 999 ns is 0 us`);
    assert.equal(s.events[0]!.timeUs, 1_700_000_000_999_999, encoding);
  }
  const late = { ...BASE, startTimeUnixNano: '18446744073709551615', endTimeUnixNano: '18446744073709551615' };
  for (const [encoding, body] of Object.entries(both([late])) as [OtlpEncoding, Uint8Array | string][]) {
    assert.equal(decodeTraces(body, encoding).items[0]!.durationUs, 0, `${encoding}: the largest fixed64 decodes`);
  }
});

test('OTLP/JSON: enum names, int64 as numbers, uppercase hex, unknown fields, special doubles', () => {
  const body = JSON.stringify({
    resourceSpans: [
      {
        futureField: { anything: [1, 2] },
        scopeSpans: [
          {
            spans: [
              {
                ...BASE,
                traceId: TRACE.toUpperCase(),
                startTimeUnixNano: 1_700_000_000_000_000,
                endTimeUnixNano: '1700000000002000000',
                kind: 'SPAN_KIND_SERVER',
                status: { code: 'STATUS_CODE_ERROR', message: 'x' },
                attributes: [{ key: 'nan', value: { doubleValue: 'NaN' } }, { key: 'inf', value: { doubleValue: '-Infinity' } }],
                unknown: true,
              },
            ],
          },
        ],
      },
    ],
  });
  const span = decodeTraces(body, 'json').items[0]!;
  assert.equal(span.traceId, TRACE);
  assert.equal(span.kind, 'server');
  assert.deepEqual(span.status, { code: 'error', message: 'x' });
  assert.equal(span.startUs, 1_700_000_000_000);
  assert.equal(span.durationUs, 1_700_000_000_002_000 - 1_700_000_000_000);
  assert.ok(Number.isNaN(span.attributes['nan']));
  assert.equal(span.attributes['inf'], -Infinity);
  assert.deepEqual(span.resource, { attributes: {} });
  assert.deepEqual(span.scope, { name: '', version: '' });
});

test('invalid spans are refused and counted with reasons; the rest are kept', () => {
  const spans = [
    BASE,
    { ...BASE, traceId: TRACE.slice(2) },
    { ...BASE, spanId: '0000000000000000' },
    { ...BASE, traceId: '' },
    { ...BASE, endTimeUnixNano: '1699999999999999999' },
    { ...BASE, startTimeUnixNano: '0' },
    { ...BASE, parentSpanId: 'abcd' },
    { ...BASE, links: [{ traceId: TRACE, spanId: '00' }] },
    { ...BASE, parentSpanId: '0000000000000000' },
  ];
  for (const [encoding, body] of Object.entries(both(spans)) as [OtlpEncoding, Uint8Array | string][]) {
    const d = decodeTraces(body, encoding);
    assert.equal(d.items.length, 2, encoding);
    assert.equal(d.items[1]!.parentSpanId, '', 'an all-zero parent is a root');
    assert.equal(d.rejected, 7, encoding);
    assert.equal(d.errors.length, 7);
    assert.match(d.errors[0]!, /^resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[1\]: traceId must be 16 bytes|32 hex digits/);
    assert.ok(d.errors.some((e) => e.includes('spans[4]: endTimeUnixNano must not be before startTimeUnixNano')));
  }
});

test('reasons are kept once each and at most ten', () => {
  const spans = Array.from({ length: 30 }, (_, i) => ({ ...BASE, traceId: i % 2 === 0 ? '' : 'ab'.repeat(i) }));
  const d = decodeTraces(both(spans).json, 'json');
  assert.equal(d.rejected, 30);
  assert.equal(d.errors.length, 10);
  assert.equal(d.errors.filter((e) => e.endsWith('received none')).length, 1);
});

/** A length-delimited protobuf field. */
function delimited(field: number, payload: Buffer): Buffer {
  const len: number[] = [];
  let n = payload.length;
  while (n > 127) {
    len.push((n & 127) | 128);
    n >>>= 7;
  }
  len.push(n);
  return Buffer.concat([Buffer.from([(field << 3) | 2, ...len]), payload]);
}

function badPayload(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => err instanceof LabError && err.code === 'LAB_OTLP_BAD_PAYLOAD' && err.statusCode === 400 && pattern.test(err.message));
}

test('malformed bodies throw LAB_OTLP_BAD_PAYLOAD with the reason', () => {
  badPayload(() => decodeTraces(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f]), 'protobuf'), /^protobuf body is not a valid ExportTraceServiceRequest: index out of range/);
  badPayload(() => decodeMetrics(Buffer.from([0x0f]), 'protobuf'), /ExportMetricsServiceRequest: invalid wire type 7/);
  badPayload(() => decodeLogs('{"resourceLogs": [', 'json'), /^JSON body is not valid JSON/);
  badPayload(() => decodeLogs('', 'json'), /^JSON body is not valid JSON/);
  badPayload(() => decodeTraces('[1]', 'json'), /^the body must be a JSON object, received \[1\]/);
  badPayload(() => decodeTraces('{"resourceSpans": {}}', 'json'), /^resourceSpans must be an array, received \{\}/);
  badPayload(() => decodeTraces(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ ...BASE, name: 5 }] }] }] }), 'json'), /^resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.name must be a string, received 5$/);
  badPayload(
    () => decodeTraces(JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'k', value: { arrayValue: { values: [1] } } }] } }] }), 'json'),
    /^resourceSpans\[0\]\.resource\.attributes\[0\]\.value\.arrayValue\.values\[0\] must be an AnyValue object, received 1$/,
  );
  badPayload(() => decodeTraces(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ ...BASE, startTimeUnixNano: '-5' }] }] }] }), 'json'), /startTimeUnixNano must be an unsigned decimal string/);
  badPayload(() => decodeTraces(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ ...BASE, traceId: 7 }] }] }] }), 'json'), /traceId must be a hex string, received 7/);
  const nested = (depth: number): string => `${'{"arrayValue":{"values":['.repeat(depth)}{}${']}}'.repeat(depth)}`;
  const deepJson = (depth: number): string => `{"resourceSpans":[{"scopeSpans":[{"spans":[${JSON.stringify({ ...BASE, attributes: [{ key: 'deep', value: 0 }] }).replace('"value":0', `"value":${nested(depth)}`)}]}]}]}`;
  badPayload(() => decodeTraces(deepJson(40), 'json'), /nested at most 32 deep/);
  assert.throws(() => decodeTraces(deepJson(100_000), 'json'), LabError, 'JSON deeper than the parser takes is a bad payload too');
  // Protobuf nested 200 AnyValues deep: past protobufjs's recursion limit of 100.
  let value = delimited(1, Buffer.from('x'));
  for (let i = 0; i < 200; i++) value = delimited(5, delimited(1, value));
  const span = delimited(9, Buffer.concat([delimited(1, Buffer.from('k')), delimited(2, value)]));
  badPayload(() => decodeTraces(delimited(1, delimited(2, delimited(2, span))), 'protobuf'), /max depth exceeded/);
});

test('log records: times fall back to the observed time, then to the clock; bad ids and severities are refused', () => {
  const record = (r: Record<string, unknown>): string => JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [r] }] }] });
  const clock = (): number => 1_234_567.891;
  const onlyObserved = decodeLogs(record({ observedTimeUnixNano: '1700000000000001000', body: { stringValue: 'x' } }), 'json', { clock }).items[0]!;
  assert.equal(onlyObserved.timeUs, 1_700_000_000_000_001);
  const none = decodeLogs(record({ severityNumber: 'SEVERITY_NUMBER_WARN' }), 'json', { clock }).items[0]!;
  assert.equal(none.timeUs, 1_234_567_891);
  assert.equal(none.observedUs, 1_234_567_891);
  assert.equal(none.severityNumber, 13);
  assert.equal(none.body, null);
  const bad = decodeLogs(record({ severityNumber: 99 }), 'json');
  assert.equal(bad.rejected, 1);
  assert.match(bad.errors[0]!, /severityNumber must be 0 to 24, received 99/);
  assert.equal(decodeLogs(record({ traceId: 'abc' }), 'json').rejected, 1);
  assert.equal(decodeLogs(record({ traceId: '00000000000000000000000000000000' }), 'json').items[0]!.traceId, '');
});

function metricsBody(metric: Record<string, unknown>): string {
  return JSON.stringify({ resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'm', ...metric }] }] }] });
}
const T = { timeUnixNano: '1700000000000000000', startTimeUnixNano: '1690000000000000000' };

test('metric points: summary, no recorded value, and the refusals', () => {
  const summary = decodeMetrics(metricsBody({ summary: { dataPoints: [{ ...T, count: '4', sum: 10, quantileValues: [{ quantile: 0.5, value: 2 }, { quantile: 1, value: 5 }] }] } }), 'json');
  assert.deepEqual(summary.items[0], {
    name: 'm',
    description: '',
    unit: '',
    resource: { attributes: {} },
    scope: { name: '', version: '' },
    type: 'summary',
    points: [{ attributes: {}, startUs: 1_690_000_000_000_000, timeUs: 1_700_000_000_000_000, count: 4, sum: 10, quantiles: [{ quantile: 0.5, value: 2 }, { quantile: 1, value: 5 }] }],
  });
  const gap = decodeMetrics(metricsBody({ gauge: { dataPoints: [{ ...T, flags: 1 }] } }), 'json');
  assert.ok(gap.items[0]?.type === 'gauge' && Number.isNaN(gap.items[0].points[0]!.value));

  const refused = (metric: Record<string, unknown>, points: number, pattern: RegExp): void => {
    const d = decodeMetrics(metricsBody(metric), 'json');
    assert.equal(d.rejected, points, JSON.stringify(metric));
    assert.match(d.errors.join('\n'), pattern);
  };
  refused({ gauge: { dataPoints: [{ ...T }] } }, 1, /must have asDouble or asInt/);
  refused({ gauge: { dataPoints: [{ asInt: 1 }] } }, 1, /timeUnixNano must be set/);
  refused({ sum: { dataPoints: [{ ...T, asInt: 1 }, { ...T, asInt: 2 }] } }, 2, /sum\.aggregationTemporality must be 1 \(delta\) or 2 \(cumulative\), received 0/);
  refused({ histogram: { aggregationTemporality: 2, dataPoints: [{ ...T, count: 3, bucketCounts: [1, 2], explicitBounds: [1, 2] }] } }, 1, /bucketCounts must have one more entry than explicitBounds \(3\), received 2/);
  refused({ histogram: { aggregationTemporality: 2, dataPoints: [{ ...T, count: 3, bucketCounts: [1, 1, 1], explicitBounds: [2, 1] }] } }, 1, /strictly increasing/);
  refused({ exponentialHistogram: { aggregationTemporality: 1, dataPoints: [{ ...T, scale: 21 }] } }, 1, /scale must be -10 to 20, received 21/);
  refused({ summary: { dataPoints: [{ ...T, quantileValues: [{ quantile: 2, value: 1 }] }] } }, 1, /quantile must be 0 to 1/);
  refused({ name: '', gauge: { dataPoints: [{ ...T, asDouble: 1 }] } }, 1, /metric name must not be empty/);

  const countOnly = decodeMetrics(metricsBody({ histogram: { aggregationTemporality: 1, dataPoints: [{ ...T, count: 7, sum: 3.5 }] } }), 'json');
  assert.ok(countOnly.items[0]?.type === 'histogram');
  assert.deepEqual(countOnly.items[0].points[0], { attributes: {}, startUs: 1_690_000_000_000_000, timeUs: 1_700_000_000_000_000, count: 7, sum: 3.5, bounds: [], bucketCounts: [7] });
  assert.equal(decodeMetrics(metricsBody({}), 'json').items.length, 0, 'a metric without data is skipped, not refused');
});

test('protobuf metrics: optional sum absent stays undefined, present zero stays 0', () => {
  const encode = (point: Record<string, unknown>): Uint8Array =>
    OTLP_TYPES.metricsRequest
      .encode(OTLP_TYPES.metricsRequest.fromObject({ resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'h', histogram: { aggregationTemporality: 2, dataPoints: [{ ...T, count: 1, bucketCounts: [1], ...point }] } }] }] }] }))
      .finish();
  const sumOf = (body: Uint8Array): number | undefined => {
    const m = decodeMetrics(body, 'protobuf').items[0];
    assert.ok(m?.type === 'histogram');
    return m.points[0]!.sum;
  };
  assert.equal(sumOf(encode({})), undefined);
  assert.equal(sumOf(encode({ sum: 0 })), 0);
});
