import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TopK } from '../../../src/telemetry/traces/top-k.js';

test('keeps the k largest, largest first, ties in the order offered', () => {
  const top = new TopK<[string, number]>(3, ([, n]) => n);
  for (const item of [['a', 1], ['b', 5], ['c', 3], ['d', 5], ['e', 0], ['f', 4]] as [string, number][]) top.offer(item);
  assert.deepEqual(top.items().map(([name]) => name), ['b', 'd', 'f']);
  const none = new TopK<number>(0, (n) => n);
  none.offer(1);
  assert.deepEqual(none.items(), []);
});

test('property: equals a stable sort by key, descending, cut at k', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 60 }), fc.integer({ min: 0, max: 10 }), (keys, k) => {
      const items = keys.map((key, i) => ({ key, i }));
      const top = new TopK<{ key: number; i: number }>(k, (item) => item.key);
      for (const item of items) top.offer(item);
      const want = [...items].sort((a, b) => b.key - a.key).slice(0, k);
      assert.deepEqual(top.items(), want);
    }),
  );
});
