/**
 * The default trace sampler: each second keeps its first requests' traces, up to a
 * reservoir plus a ratio of the second before's requests beyond it, at most a cap,
 * behind ParentBased. A pure unit with an
 * injected clock; the end-to-end telemetry test covers a caller's traceparent through
 * a real service.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT_CONTEXT, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { tracing } from '@opentelemetry/sdk-node';
import { MAX_PER_SECOND, ROOT_DECISION, ReservoirSampler, defaultRootSampler, defaultSampler } from '../src/shared/sampler.js';

const { SamplingDecision } = tracing;

/** Beyond a decision taken ahead, the sampler never reads the trace id: any one will do. */
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

function decide(sampler: tracing.Sampler, context = ROOT_CONTEXT): tracing.SamplingDecision {
  return sampler.shouldSample(context, TRACE_ID, 'GET /menu', SpanKind.SERVER, {}, []).decision;
}

test('the reservoir keeps the first N traces of each second, then the ratio decides', () => {
  let now = 10_000;
  const sampler = new ReservoirSampler({ perSecond: 3, ratio: 0, now: () => now });
  assert.deepEqual(Array.from({ length: 5 }, () => decide(sampler)), [
    SamplingDecision.RECORD_AND_SAMPLED, SamplingDecision.RECORD_AND_SAMPLED, SamplingDecision.RECORD_AND_SAMPLED,
    SamplingDecision.NOT_RECORD, SamplingDecision.NOT_RECORD,
  ]);
  now += 999; // still the same second
  assert.equal(decide(sampler), SamplingDecision.NOT_RECORD);
  now += 1; // the next second: the reservoir is full again
  assert.equal(decide(sampler), SamplingDecision.RECORD_AND_SAMPLED);
});

test('beyond the reservoir, the ratio of the second before is kept, as a run at the start of the second', () => {
  let now = 5_000;
  const sampler = new ReservoirSampler({ perSecond: 2, ratio: 0.25, now: () => now });
  const decisions = (n: number) => Array.from({ length: n }, () => sampler.sampleRoot());
  // The first second has no second before it: the reservoir only.
  assert.deepEqual(decisions(42), [true, true, ...Array<boolean>(40).fill(false)]);
  now += 1000; // 2 + a quarter of the 40 beyond the reservoir: the first 12 of this second
  assert.deepEqual(decisions(30), [...Array<boolean>(12).fill(true), ...Array<boolean>(18).fill(false)]);
  now += 1000; // 2 + a quarter of 28
  assert.equal(decisions(30).lastIndexOf(true), 8);
  // shouldSample decides from the same budget.
  now += 1000;
  assert.deepEqual(Array.from({ length: 10 }, () => decide(sampler)), [...Array<tracing.SamplingDecision>(9).fill(SamplingDecision.RECORD_AND_SAMPLED), SamplingDecision.NOT_RECORD]);
});

test('a fraction of a trace carries to the next second, so the ratio keeps its share over time', () => {
  let now = 60_000;
  const sampler = new ReservoirSampler({ perSecond: 0, ratio: 0.05, now: () => now });
  const kept: number[] = [];
  for (let second = 0; second < 11; second++, now += 1000) {
    kept.push(Array.from({ length: 30 }, () => sampler.sampleRoot()).filter(Boolean).length);
  }
  // 5% of 30 is 1.5 a second: 1 and 2 in turn, after the first second (nothing before it).
  assert.deepEqual(kept, [0, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2]);
});

test('a second after a quiet one, or after the clock stepped back, starts from the reservoir', () => {
  let now = 70_000;
  const sampler = new ReservoirSampler({ perSecond: 1, ratio: 0.5, now: () => now });
  const keptOf = (n: number) => Array.from({ length: n }, () => sampler.sampleRoot()).filter(Boolean).length;
  keptOf(21);
  now += 1000;
  assert.equal(keptOf(21), 11, '1 + half of the 20 beyond it');
  now += 2000; // a second with no roots at all in between
  assert.equal(keptOf(21), 1);
  now += 1000;
  assert.equal(keptOf(21), 11);
  now -= 5000; // the clock stepped back: the counts are for a later second
  assert.equal(keptOf(21), 1);
});

test('the cap keeps at most maxPerSecond traces a second, for both ways of deciding', () => {
  let now = 30_000;
  const sampler = new ReservoirSampler({ perSecond: 2, ratio: 1, maxPerSecond: 4, now: () => now });
  // A ratio of 1 keeps every root up to the cap, from the first second on.
  assert.deepEqual(Array.from({ length: 6 }, () => sampler.sampleRoot()), [true, true, true, true, false, false]);
  assert.equal(decide(sampler), SamplingDecision.NOT_RECORD, 'shouldSample takes from the same budget');
  now += 1000;
  assert.deepEqual(Array.from({ length: 5 }, () => decide(sampler)), [
    ...Array<tracing.SamplingDecision>(4).fill(SamplingDecision.RECORD_AND_SAMPLED), SamplingDecision.NOT_RECORD,
  ]);
  // A decision taken ahead is followed whatever the budget holds.
  assert.equal(decide(sampler, ROOT_CONTEXT.setValue(ROOT_DECISION, true)), SamplingDecision.RECORD_AND_SAMPLED);
});

test('the default sampler keeps the first 10 of 50,000 roots in a second, then the first MAX_PER_SECOND of the next', () => {
  assert.equal(MAX_PER_SECOND, 100);
  let now = 40_000;
  const sampler = defaultRootSampler(() => now);
  const decisions = (n: number) => Array.from({ length: n }, () => sampler.sampleRoot());
  const first = decisions(50_000);
  assert.equal(first.filter(Boolean).length, 10);
  now += 1000;
  // 10 from the reservoir and 5% of the 49,990 beyond it would be 2,509.5; the cap keeps 100.
  const next = decisions(50_000);
  assert.equal(next.filter(Boolean).length, MAX_PER_SECOND);
  assert.equal(next.lastIndexOf(true), MAX_PER_SECOND - 1, 'a run at the start of the second');
  assert.match(sampler.toString(), /perSecond=10, ratio=0\.05, maxPerSecond=100/);
});

test('a bad reservoir, ratio or cap is refused with the values received', () => {
  assert.throws(() => new ReservoirSampler({ perSecond: -1, ratio: 0.1 }), /perSecond and maxPerSecond must be >= 0 .* received perSecond -1/);
  assert.throws(() => new ReservoirSampler({ perSecond: 1, ratio: 2 }), /ratio within \[0, 1\]; received perSecond 1, ratio 2/);
  assert.throws(() => new ReservoirSampler({ perSecond: 1, ratio: 0.1, maxPerSecond: Number.NaN }), /received perSecond 1, ratio 0\.1, maxPerSecond NaN/);
});

test('the default sampler follows a remote parent\'s decision', () => {
  const sampler = defaultSampler();
  const parent = (flags: TraceFlags) => trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: '00f067aa0ba902b7', traceFlags: flags, isRemote: true });
  assert.equal(decide(sampler, parent(TraceFlags.SAMPLED)), SamplingDecision.RECORD_AND_SAMPLED);
  assert.equal(decide(sampler, parent(TraceFlags.NONE)), SamplingDecision.NOT_RECORD);
  assert.equal(decide(sampler), SamplingDecision.RECORD_AND_SAMPLED, 'a root span: the reservoir has room');
});

test('sampleRoot decides before a trace id exists, from the same reservoir, and a decision taken ahead is followed', () => {
  let now = 20_000;
  const sampler = new ReservoirSampler({ perSecond: 2, ratio: 0, now: () => now });
  assert.equal(sampler.sampleRoot(), true);
  assert.equal(decide(sampler), SamplingDecision.RECORD_AND_SAMPLED, 'the second of two reservoir places');
  assert.equal(sampler.sampleRoot(), false, 'the reservoir is empty and the ratio is 0');

  // A root started in a context holding the decision follows it, and takes no place.
  assert.equal(decide(sampler, ROOT_CONTEXT.setValue(ROOT_DECISION, true)), SamplingDecision.RECORD_AND_SAMPLED);
  now += 1000;
  assert.equal(decide(sampler, ROOT_CONTEXT.setValue(ROOT_DECISION, false)), SamplingDecision.NOT_RECORD, 'dropped even with room in the reservoir');
  assert.equal(sampler.sampleRoot(), true);
  assert.equal(sampler.sampleRoot(), true);
  assert.equal(sampler.sampleRoot(), false, 'the new second had its two places');

  const always = new ReservoirSampler({ perSecond: 0, ratio: 1 });
  assert.equal(always.sampleRoot(), true, 'ratio 1 keeps every root');
});
