import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LatencyHistogram } from '../../../src/load/engine/index.js';
import { RunMetrics, mergeSnapshots } from '../../../src/load/engine/metrics.js';

/** A deterministic pseudo-random stream (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('percentiles are right to 0.1% on known samples', () => {
  const h = new LatencyHistogram();
  for (let i = 1; i <= 10_000; i++) h.recordMs(i / 10); // 0.1 .. 1000 ms
  const s = h.summary();
  assert.equal(s.count, 10_000);
  for (const [got, want] of [[s.p50, 500], [s.p90, 900], [s.p99, 990], [s.max, 1000], [s.min, 0.1]] as const) {
    assert.ok(Math.abs(got - want) <= want * 0.001 + 0.001, `${got} vs ${want}`);
  }
  assert.ok(Math.abs(s.mean - 500.05) < 0.5);
});

test('the merge of raw buckets equals one histogram fed every sample, exactly', () => {
  const random = rng(42);
  const all = new LatencyHistogram();
  const parts = [new LatencyHistogram(), new LatencyHistogram(), new LatencyHistogram()];
  for (let i = 0; i < 50_000; i++) {
    const ms = random() < 0.95 ? random() * 50 : 50 + random() * 5000; // a long tail
    all.recordMs(ms);
    parts[i % 3]?.recordMs(ms);
  }
  const merged = new LatencyHistogram();
  for (const part of parts) merged.addBuckets(part.toBuckets());
  assert.deepEqual(merged.summary(), all.summary());
  for (const p of [1, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100]) assert.equal(merged.percentileMs(p), all.percentileMs(p));
});

test('shard snapshots merge exactly: counters summed, per task and overall', () => {
  const random = rng(7);
  const single = new RunMetrics(['menu', 'order']);
  const shards = [new RunMetrics(['menu', 'order']), new RunMetrics(['menu', 'order'])];
  for (let i = 0; i < 20_000; i++) {
    const taskIndex = random() < 0.8 ? 0 : 1;
    const service = random() * 100;
    const response = service + (random() < 0.01 ? 1000 : 0);
    const error = random() < 0.02 ? 'http_5xx' : null;
    single.recordResponse(taskIndex, response, service, error);
    shards[i % 2]?.recordResponse(taskIndex, response, service, error);
    if (i % 1000 === 0) {
      single.recordError(taskIndex, 'reset');
      shards[(i / 1000) % 2]?.recordError(taskIndex, 'reset');
    }
  }
  assert.deepEqual(mergeSnapshots(shards.map((s) => s.snapshot())), mergeSnapshots([single.snapshot()]));
});
