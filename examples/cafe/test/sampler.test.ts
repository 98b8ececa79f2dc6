/**
 * The default trace sampler: a reservoir of traces per second, then a ratio of the
 * rest, at most a cap per second in all, behind ParentBased. A pure unit with an
 * injected clock; the end-to-end telemetry test covers a caller's traceparent through
 * a real service.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT_CONTEXT, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { tracing } from '@opentelemetry/sdk-node';
import { MAX_PER_SECOND, ROOT_DECISION, ReservoirSampler, defaultRootSampler, defaultSampler } from '../src/shared/sampler.js';

const { SamplingDecision } = tracing;

/** Trace ids spread over the id space, as random ones are. */
function traceIds(n: number): string[] {
  return Array.from({ length: n }, (_, i) => (((i * 2654435761) >>> 0).toString(16).padStart(8, '0') + 'ab'.repeat(12)).slice(0, 32));
}

function decide(sampler: tracing.Sampler, traceId: string, context = ROOT_CONTEXT): tracing.SamplingDecision {
  return sampler.shouldSample(context, traceId, 'GET /menu', SpanKind.SERVER, {}, []).decision;
}

test('the reservoir keeps the first N traces of each second, then the ratio decides', () => {
  let now = 10_000;
  const sampler = new ReservoirSampler({ perSecond: 3, ratio: 0, now: () => now });
  const ids = traceIds(10);
  assert.deepEqual(ids.slice(0, 5).map((id) => decide(sampler, id)), [
    SamplingDecision.RECORD_AND_SAMPLED, SamplingDecision.RECORD_AND_SAMPLED, SamplingDecision.RECORD_AND_SAMPLED,
    SamplingDecision.NOT_RECORD, SamplingDecision.NOT_RECORD,
  ]);
  now += 999; // still the same second
  assert.equal(decide(sampler, ids[5]!), SamplingDecision.NOT_RECORD);
  now += 1; // the next second: the reservoir is full again
  assert.equal(decide(sampler, ids[6]!), SamplingDecision.RECORD_AND_SAMPLED);
});

test('beyond the reservoir, about the ratio of traces is kept, decided by the trace id', () => {
  const now = 5_000;
  const sampler = new ReservoirSampler({ perSecond: 0, ratio: 0.25, now: () => now });
  const ids = traceIds(4000);
  const kept = ids.filter((id) => decide(sampler, id) === SamplingDecision.RECORD_AND_SAMPLED).length;
  assert.ok(kept > 800 && kept < 1200, `about a quarter of 4000 kept: ${kept}`);
  // The same trace id gets the same decision (every service deciding alone would agree).
  for (const id of ids.slice(0, 50)) assert.equal(decide(sampler, id), decide(sampler, id));
});

test('the cap keeps at most maxPerSecond traces a second, refilled over the second, for both ways of deciding', () => {
  let now = 30_000;
  const sampler = new ReservoirSampler({ perSecond: 2, ratio: 1, maxPerSecond: 4, now: () => now });
  const ids = traceIds(20);
  // A full bucket: two reservoir places and two by the ratio, then nothing at all.
  assert.deepEqual(Array.from({ length: 6 }, () => sampler.sampleRoot()), [true, true, true, true, false, false]);
  assert.equal(decide(sampler, ids[0]!), SamplingDecision.NOT_RECORD, 'shouldSample takes from the same bucket');
  now += 250; // a quarter of a second refills one place of four
  assert.equal(sampler.sampleRoot(), true);
  assert.equal(sampler.sampleRoot(), false);
  now += 500; // two more places, and the ratio (1) keeps them through shouldSample too
  assert.deepEqual(ids.slice(1, 4).map((id) => decide(sampler, id)), [SamplingDecision.RECORD_AND_SAMPLED, SamplingDecision.RECORD_AND_SAMPLED, SamplingDecision.NOT_RECORD]);
  now += 60_000; // a long quiet spell fills the bucket to one second's worth, no more
  assert.equal(Array.from({ length: 10 }, () => sampler.sampleRoot()).filter(Boolean).length, 4);

  // A decision taken ahead is followed whatever the bucket holds.
  assert.equal(decide(sampler, ids[5]!, ROOT_CONTEXT.setValue(ROOT_DECISION, true)), SamplingDecision.RECORD_AND_SAMPLED);
});

test('the default sampler keeps MAX_PER_SECOND of 50,000 roots in one second, then MAX_PER_SECOND the next second', () => {
  assert.equal(MAX_PER_SECOND, 100);
  let now = 40_000;
  const sampler = defaultRootSampler(() => now);
  const keptOf = (n: number) => Array.from({ length: n }, () => sampler.sampleRoot()).filter(Boolean).length;
  // 10 from the reservoir and 5% of the rest would be 2,509.5 on average; the cap keeps 100.
  assert.equal(keptOf(50_000), MAX_PER_SECOND);
  now += 1000;
  assert.equal(keptOf(50_000), MAX_PER_SECOND);
  assert.match(sampler.toString(), /perSecond=10, ratio=0\.05, maxPerSecond=100/);
});

test('a bad reservoir, ratio or cap is refused with the values received', () => {
  assert.throws(() => new ReservoirSampler({ perSecond: -1, ratio: 0.1 }), /perSecond and maxPerSecond must be >= 0 .* received perSecond -1/);
  assert.throws(() => new ReservoirSampler({ perSecond: 1, ratio: 2 }), /ratio within \[0, 1\]; received perSecond 1, ratio 2/);
  assert.throws(() => new ReservoirSampler({ perSecond: 1, ratio: 0.1, maxPerSecond: Number.NaN }), /received perSecond 1, ratio 0\.1, maxPerSecond NaN/);
});

test('the default sampler follows a remote parent\'s decision', () => {
  const sampler = defaultSampler();
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const parent = (flags: TraceFlags) => trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId: '00f067aa0ba902b7', traceFlags: flags, isRemote: true });
  assert.equal(decide(sampler, traceId, parent(TraceFlags.SAMPLED)), SamplingDecision.RECORD_AND_SAMPLED);
  assert.equal(decide(sampler, traceId, parent(TraceFlags.NONE)), SamplingDecision.NOT_RECORD);
  assert.equal(decide(sampler, traceId), SamplingDecision.RECORD_AND_SAMPLED, 'a root span: the reservoir has room');
});

test('sampleRoot decides before a trace id exists, from the same reservoir, and a decision taken ahead is followed', () => {
  let now = 20_000;
  const sampler = new ReservoirSampler({ perSecond: 2, ratio: 0, now: () => now });
  const [id] = traceIds(1) as [string];
  assert.equal(sampler.sampleRoot(), true);
  assert.equal(decide(sampler, id), SamplingDecision.RECORD_AND_SAMPLED, 'the second of two reservoir places');
  assert.equal(sampler.sampleRoot(), false, 'the reservoir is empty and the ratio is 0');

  // A root started in a context holding the decision follows it, and takes no place.
  assert.equal(decide(sampler, id, ROOT_CONTEXT.setValue(ROOT_DECISION, true)), SamplingDecision.RECORD_AND_SAMPLED);
  now += 1000;
  assert.equal(decide(sampler, id, ROOT_CONTEXT.setValue(ROOT_DECISION, false)), SamplingDecision.NOT_RECORD, 'dropped even with room in the reservoir');
  assert.equal(sampler.sampleRoot(), true);
  assert.equal(sampler.sampleRoot(), true);
  assert.equal(sampler.sampleRoot(), false, 'the new second had its two places');

  const always = new ReservoirSampler({ perSecond: 0, ratio: 1 });
  assert.equal(always.sampleRoot(), true, 'ratio 1 keeps every root');
});
