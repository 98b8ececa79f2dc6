/**
 * Property-based fuzzing of the decoders and the HTTP receiver with fast-check: real
 * SDK payloads (all three signals, protobuf and JSON) mutated by bit flips, truncation,
 * splices and duplication, JSON trees with random values grafted in, and random JSON.
 * Whatever arrives, the decoders throw nothing but LAB_OTLP_BAD_PAYLOAD, hand back only
 * valid items, and a valid payload afterwards still decodes exactly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LabError } from '../../../src/errors.js';
import { decodeLogs, decodeMetrics, decodeTraces } from '../../../src/telemetry/otlp/index.js';
import type { OtlpEncoding, OtlpSignal } from '../../../src/telemetry/otlp/index.js';
import type { Decoded, LogData, MetricData, SpanData } from '../../../src/telemetry/model.js';
import { JSON_TYPE, PROTOBUF, httpReceiver, post } from './helpers.js';
import { capturePayloads } from './payloads.js';

const SIGNALS: OtlpSignal[] = ['traces', 'metrics', 'logs'];
const ENCODINGS: OtlpEncoding[] = ['protobuf', 'json'];
const RUNS = 4000;
/** Fixed, so a run is repeatable and the outcome checks below cannot flake; FUZZ_SEED=<n> explores other cases. */
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261124);
const TIMEOUT_MS = 60_000;

const payloads = await capturePayloads();

function decode(signal: OtlpSignal, body: Uint8Array, encoding: OtlpEncoding): Decoded<SpanData | MetricData | LogData> {
  if (signal === 'traces') return decodeTraces(body, encoding);
  if (signal === 'metrics') return decodeMetrics(body, encoding);
  return decodeLogs(body, encoding, { clock: () => 1_700_000_000_000 });
}

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;

/** What the decoders hand the stores is always valid, however wild the input. */
function checkValid(signal: OtlpSignal, d: Decoded<SpanData | MetricData | LogData>): void {
  assert.ok(Number.isInteger(d.rejected) && d.rejected >= 0);
  assert.ok(d.errors.length <= 10 && (d.rejected > 0 || d.errors.length === 0));
  for (const item of d.items) {
    if (signal === 'traces') {
      const s = item as SpanData;
      assert.ok(HEX32.test(s.traceId) && s.traceId !== '0'.repeat(32));
      assert.ok(HEX16.test(s.spanId) && s.spanId !== '0'.repeat(16));
      assert.ok(s.parentSpanId === '' || HEX16.test(s.parentSpanId));
      assert.ok(Number.isInteger(s.durationUs) && s.durationUs >= 0 && s.startUs >= 0);
    } else if (signal === 'logs') {
      const l = item as LogData;
      assert.ok(Number.isInteger(l.severityNumber) && l.severityNumber >= 0 && l.severityNumber <= 24);
      assert.ok(l.traceId === '' || HEX32.test(l.traceId));
      assert.ok(l.spanId === '' || HEX16.test(l.spanId));
    } else {
      const m = item as MetricData;
      assert.ok(m.name !== '' && m.points.length > 0);
      if (m.type === 'histogram') for (const p of m.points) assert.equal(p.bucketCounts.length, p.bounds.length + 1);
    }
  }
}

type Outcome = 'refused' | 'partial' | 'accepted';

/** Runs the decoder; a LabError LAB_OTLP_BAD_PAYLOAD is a fine answer, anything else fails. */
function survives(signal: OtlpSignal, body: Uint8Array, encoding: OtlpEncoding, seen: Set<Outcome>): void {
  let decoded;
  try {
    decoded = decode(signal, body, encoding);
  } catch (err) {
    if (err instanceof LabError && err.code === 'LAB_OTLP_BAD_PAYLOAD' && err.statusCode === 400) {
      seen.add('refused');
      return;
    }
    throw err;
  }
  checkValid(signal, decoded);
  seen.add(decoded.rejected > 0 ? 'partial' : 'accepted');
}

type Mutation =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'set'; at: number; byte: number }
  | { op: 'truncate'; at: number }
  | { op: 'delete'; at: number; length: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'duplicate'; at: number; length: number; to: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), byte: fc.oneof(fc.constantFrom(0, 0x0a, 0x12, 0x7f, 0x80, 0xff, 0x22, 0x7b, 0x5b), fc.nat({ max: 255 })) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 256 }), to: fc.nat() }),
);

function mutate(seed: Buffer, mutations: Mutation[]): Buffer {
  let b = seed;
  for (const m of mutations) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    switch (m.op) {
      case 'flip':
        b = Buffer.from(b);
        if (b.length > 0) b[at] = b[at]! ^ (1 << m.bit);
        break;
      case 'set':
        b = Buffer.from(b);
        if (b.length > 0) b[at] = m.byte;
        break;
      case 'truncate':
        b = b.subarray(0, at);
        break;
      case 'delete':
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.length)]);
        break;
      case 'insert':
        b = Buffer.concat([b.subarray(0, at), m.bytes, b.subarray(at)]);
        break;
      case 'duplicate': {
        const to = b.length === 0 ? 0 : m.to % b.length;
        b = Buffer.concat([b.subarray(0, to), b.subarray(at, at + m.length), b.subarray(to)]);
      }
    }
  }
  return b;
}

const mutations = fc.array(mutation, { minLength: 1, maxLength: 4 });

/** Replaces the node at a random path of a JSON tree with a random JSON value. */
function graft(tree: unknown, path: number[], value: unknown): unknown {
  if (path.length === 0 || tree === null || typeof tree !== 'object') return value;
  const [step, ...rest] = path as [number, ...number[]];
  if (Array.isArray(tree)) {
    if (tree.length === 0) return value;
    const i = step % tree.length;
    return (tree as unknown[]).map((x, j) => (j === i ? graft(x, rest, value) : x));
  }
  const keys = Object.keys(tree);
  if (keys.length === 0) return value;
  const key = keys[step % keys.length]!;
  return { ...(tree as Record<string, unknown>), [key]: graft((tree as Record<string, unknown>)[key], rest, value) };
}

for (const signal of SIGNALS) {
  for (const encoding of ENCODINGS) {
    test(`fuzz ${signal} ${encoding}: mutated real payloads`, { timeout: TIMEOUT_MS }, () => {
      const seed = payloads[signal][encoding];
      const baseline = decode(signal, seed, encoding);
      assert.ok(baseline.items.length > 0 && baseline.rejected === 0);
      const seen = new Set<Outcome>();
      fc.assert(fc.property(mutations, (ms) => survives(signal, mutate(seed, ms), encoding, seen)), { numRuns: RUNS, seed: SEED });
      assert.ok(seen.has('refused') && seen.has('accepted'), `the mutations reach both outcomes: ${[...seen].join(', ')}`);
      assert.deepEqual(decode(signal, seed, encoding), baseline, 'a valid payload still decodes exactly');
    });
  }

  test(`fuzz ${signal} json: random values grafted into the tree, and random documents`, { timeout: TIMEOUT_MS }, () => {
    const seed = payloads[signal].json;
    const tree = JSON.parse(seed.toString()) as unknown;
    const baseline = decode(signal, seed, 'json');
    const grafted = fc.tuple(fc.array(fc.nat(), { maxLength: 12 }), fc.jsonValue({ maxDepth: 3 })).map(([path, value]) => Buffer.from(JSON.stringify(graft(tree, path, value))));
    const anyDocument = fc.oneof(fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? 'null')), fc.string().map((s) => Buffer.from(s)));
    const seen = new Set<Outcome>();
    fc.assert(fc.property(fc.oneof({ weight: 4, arbitrary: grafted }, { weight: 1, arbitrary: anyDocument }), (body) => survives(signal, body, 'json', seen)), { numRuns: RUNS, seed: SEED });
    assert.equal(seen.size, 3, `grafts reach all three outcomes: ${[...seen].join(', ')}`);
    assert.deepEqual(decode(signal, seed, 'json'), baseline, 'a valid payload still decodes exactly');
  });
}

test('fuzz over real HTTP: every answer is 200 or 400, and the receiver still stores a valid payload exactly', { timeout: TIMEOUT_MS }, async (t) => {
  const { url, sink } = await httpReceiver(t);
  const paths: Record<OtlpSignal, string> = { traces: '/v1/traces', metrics: '/v1/metrics', logs: '/v1/logs' };
  const headers: Record<OtlpEncoding, Record<string, string>> = { protobuf: PROTOBUF, json: JSON_TYPE };
  const cases = fc.tuple(fc.constantFrom(...SIGNALS), fc.constantFrom(...ENCODINGS), mutations);
  await fc.assert(
    fc.asyncProperty(cases, async ([signal, encoding, ms]) => {
      const reply = await post(`${url}${paths[signal]}`, mutate(payloads[signal][encoding], ms), headers[encoding]);
      assert.ok(reply.status === 200 || reply.status === 400, `status ${reply.status}`);
    }),
    { numRuns: 300, seed: SEED },
  );
  for (const signal of SIGNALS) {
    for (const encoding of ENCODINGS) {
      sink.spans.length = 0;
      sink.metrics.length = 0;
      sink.logs.length = 0;
      const reply = await post(`${url}${paths[signal]}`, payloads[signal][encoding], headers[encoding]);
      assert.equal(reply.status, 200);
      const stored = signal === 'traces' ? sink.spans : signal === 'metrics' ? sink.metrics : sink.logs;
      const expected = decode(signal, payloads[signal][encoding], encoding).items;
      assert.deepEqual(stored, expected, `${signal} ${encoding}`);
    }
  }
});
