import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TraceStore } from '../../../src/telemetry/traces/index.js';
import { manualClock, span, traceId } from './fixtures.js';

test('over maxSpans, whole traces go in the order their first span arrived, and are counted', () => {
  const store = new TraceStore({ limits: { maxSpans: 5, retentionMs: 60_000 }, clock: manualClock().now });
  store.add([span({ traceId: traceId(1) }), span({ traceId: traceId(1) })]);
  store.add([span({ traceId: traceId(2) }), span({ traceId: traceId(2) })]);
  // A late span of trace 1 does not make it younger: it still arrived first.
  store.add([span({ traceId: traceId(1) })]);
  assert.deepEqual(store.stats(), { traces: 2, spans: 5, droppedSpans: 0 });
  store.add([span({ traceId: traceId(3) })]);
  assert.equal(store.get(traceId(1)), undefined);
  assert.deepEqual(store.stats(), { traces: 2, spans: 3, droppedSpans: 3 });
  store.add([span({ traceId: traceId(4) }), span({ traceId: traceId(4) }), span({ traceId: traceId(4) })]);
  assert.equal(store.get(traceId(2)), undefined);
  assert.deepEqual(store.stats(), { traces: 2, spans: 4, droppedSpans: 5 });
  assert.ok(store.get(traceId(3)) && store.get(traceId(4)));
});

test('one trace alone over maxSpans keeps its newest spans', () => {
  const store = new TraceStore({ limits: { maxSpans: 3, retentionMs: 60_000 }, clock: manualClock().now });
  const spans = [1, 2, 3, 4, 5].map((n) => span({ traceId: traceId(1), name: `s${n}`, startUs: n, durationUs: 1 }));
  store.add(spans);
  const trace = store.get(traceId(1));
  assert.deepEqual(trace?.spans.map((s) => s.name), ['s3', 's4', 's5']);
  assert.equal(trace?.startUs, 3);
  assert.equal(trace?.endUs, 6);
  assert.deepEqual(store.stats(), { traces: 1, spans: 3, droppedSpans: 2 });
  assert.deepEqual(store.operations('cafe').map((o) => o.name), ['s3', 's4', 's5']);
});

test('evicted spans leave services and operations', () => {
  const store = new TraceStore({ limits: { maxSpans: 1, retentionMs: 60_000 }, clock: manualClock().now });
  store.add([span({ traceId: traceId(1), service: 'a', name: 'x' })]);
  store.add([span({ traceId: traceId(2), service: 'b', name: 'y' })]);
  assert.deepEqual(store.services(), ['b']);
  assert.deepEqual(store.operations('a'), []);
  assert.deepEqual(store.operations('b'), [{ name: 'y', spanKind: 'server' }]);
});

test('traces expire retentionMs after their first span arrived, read from the injected clock', () => {
  const clock = manualClock();
  const store = new TraceStore({ limits: { maxSpans: 100, retentionMs: 10_000 }, clock: clock.now });
  store.add([span({ traceId: traceId(1) })]);
  clock.advance(6_000);
  store.add([span({ traceId: traceId(2) }), span({ traceId: traceId(1) })]);
  clock.advance(4_000); // trace 1 is exactly 10 s old: kept
  assert.deepEqual(store.stats(), { traces: 2, spans: 3, droppedSpans: 0 });
  clock.advance(1);
  assert.equal(store.get(traceId(1)), undefined);
  assert.ok(store.get(traceId(2)));
  assert.deepEqual(store.stats(), { traces: 1, spans: 1, droppedSpans: 2 });
  clock.advance(6_000);
  assert.deepEqual(store.search({}), []);
  assert.deepEqual(store.services(), []);
  assert.deepEqual(store.stats(), { traces: 0, spans: 0, droppedSpans: 3 });
});

test('property: the store never holds more than maxSpans, and stored + dropped = added', () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant('add' as const), traces: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 0, maxLength: 12 }) }),
    fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 4_000 }) }),
  );
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 20 }), fc.array(op, { maxLength: 40 }), (maxSpans, ops) => {
      const clock = manualClock(0);
      const store = new TraceStore({ limits: { maxSpans, retentionMs: 10_000 }, clock: clock.now });
      let added = 0;
      for (const o of ops) {
        if (o.kind === 'tick') clock.advance(o.ms);
        else {
          store.add(o.traces.map((n) => span({ traceId: traceId(n) })));
          added += o.traces.length;
        }
        const stats = store.stats();
        assert.ok(stats.spans <= maxSpans);
        assert.equal(stats.spans + stats.droppedSpans, added);
        const held = store.search({ limit: 1_000 }).reduce((sum, t) => sum + t.spans.length, 0);
        assert.equal(held, stats.spans);
      }
    }),
    { numRuns: 300 },
  );
});
