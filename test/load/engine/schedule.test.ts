import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arrivalTimesMs, rateAt, totalDurationMs, usersAt } from '../../../src/load/engine/index.js';
import { shareOf } from '../../../src/load/engine/schedule.js';
import type { ClosedModel, OpenModel } from '../../../src/load/types.js';

const rush: ClosedModel = { kind: 'closed', startUsers: 0, stages: [{ durationMs: 10_000, target: 100 }, { durationMs: 20_000, target: 100 }, { durationMs: 10_000, target: 0 }] };

test('usersAt ramps linearly between stages, holds, ramps down and ends at 0', () => {
  assert.equal(totalDurationMs(rush), 40_000);
  assert.equal(usersAt(rush, 0), 0);
  assert.equal(usersAt(rush, 5_000), 50);
  assert.equal(usersAt(rush, 9_999), 99);
  assert.equal(usersAt(rush, 10_000), 100);
  assert.equal(usersAt(rush, 25_000), 100);
  assert.equal(usersAt(rush, 35_000), 50);
  assert.equal(usersAt(rush, 40_000), 0);
  assert.equal(usersAt({ ...rush, startUsers: 10 }, 5_000), 55);
});

test('rateAt follows the open model stages', () => {
  const model: OpenModel = { kind: 'open', startRate: 10, maxInFlight: 50, stages: [{ durationMs: 1000, target: 30 }, { durationMs: 1000, target: 30 }] };
  assert.equal(rateAt(model, 0), 10);
  assert.equal(rateAt(model, 500), 20);
  assert.equal(rateAt(model, 1500), 30);
  assert.equal(rateAt(model, 2000), 0);
});

test('arrivals come from the rate: constant 10/s is 50, 150, ... 950 ms', () => {
  const model: OpenModel = { kind: 'open', startRate: 10, maxInFlight: 50, stages: [{ durationMs: 1000, target: 10 }] };
  assert.deepEqual([...arrivalTimesMs(model)].map((t) => Math.round(t)), [50, 150, 250, 350, 450, 550, 650, 750, 850, 950]);
});

test('a ramp from 0 to 100/s over 10 s yields its integral, 500 arrivals, denser at the end', () => {
  const model: OpenModel = { kind: 'open', startRate: 0, maxInFlight: 50, stages: [{ durationMs: 10_000, target: 100 }, { durationMs: 0, target: 5 }] };
  const times = [...arrivalTimesMs(model)];
  assert.equal(times.length, 500);
  const firstHalf = times.filter((t) => t < 5000).length;
  assert.equal(firstHalf, 125); // ∫0..5 of 10t dt = 125
  for (let i = 1; i < times.length; i++) assert.ok((times[i] ?? 0) >= (times[i - 1] ?? 0));
});

test('shareOf splits a total exactly over shards', () => {
  for (const total of [0, 1, 7, 50, 101]) {
    for (const count of [1, 2, 3, 4]) {
      const parts = Array.from({ length: count }, (_, i) => shareOf(total, i, count));
      assert.equal(parts.reduce((a, b) => a + b, 0), total);
      assert.ok(Math.max(...parts) - Math.min(...parts) <= 1);
    }
  }
});
