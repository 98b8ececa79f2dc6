/**
 * The recorded_orders invariant's logic as a unit: which recorded requests count as
 * acknowledged, and how missing and duplicated orders are found and worded. The
 * capacity search over the load's per-second intervals, also as a unit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acknowledgedKeys, checkRecordedOrders, createCapacityTracker } from '../../src/drill/index.js';
import { readRecordedRequests } from '../../src/drill/run/invariants.js';
import type { Interval } from '../../src/load/index.js';

test('acknowledged keys: only statuses in the list, each key once, requests without a key or answer left out', () => {
  const keys = acknowledgedKeys(
    [
      { idempotencyKey: 'k1', status: 201 },
      { idempotencyKey: 'k2', status: 503 },
      { idempotencyKey: 'k3', status: 200 },
      { idempotencyKey: 'k1', status: 201 },
      { idempotencyKey: null, status: 201 },
      { idempotencyKey: 'k4', status: null },
    ],
    [200, 201],
  );
  assert.deepEqual(keys, ['k1', 'k3']);
  assert.deepEqual(acknowledgedKeys([{ idempotencyKey: 'k3', status: 200 }], [201]), []);
});

test('every acknowledged order exactly once passes; missing and duplicated ones fail with their keys', () => {
  const all = checkRecordedOrders(['k1', 'k2'], new Map([['k1', 1], ['k2', 1], ['unacknowledged', 1]]));
  assert.deepEqual(all, { ok: true, acknowledged: 2, missing: [], duplicated: [], detail: 'all 2 acknowledged orders exist exactly once' });

  const missing = checkRecordedOrders(['k1', 'k2', 'k3', 'k4'], new Map([['k2', 1]]));
  assert.equal(missing.ok, false);
  assert.deepEqual(missing.missing, ['k1', 'k3', 'k4']);
  assert.equal(missing.detail, '3 acknowledged orders missing: k1, k3, k4 (of 4 acknowledged)');

  const twice = checkRecordedOrders(['k1', 'k2'], new Map([['k1', 2], ['k2', 1]]));
  assert.deepEqual(twice.duplicated, [{ key: 'k1', rows: 2 }]);
  assert.equal(twice.detail, '1 acknowledged order stored more than once: k1 (2 rows) (of 2 acknowledged)');

  const many = checkRecordedOrders(Array.from({ length: 12 }, (_, i) => `k${i}`), new Map());
  assert.match(many.detail, /^12 acknowledged orders missing: k0, k1, k2, k3, k4, k5, k6, k7, k8, k9, \.\.\. \(2 more\)/);

  assert.equal(checkRecordedOrders([], new Map()).detail, 'no acknowledged orders were recorded: nothing to check');
});

test('the load\'s record file is read line by line; a line cut short is skipped', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'cloudlab-drill-orders-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'orders.jsonl');
  await writeFile(file, [
    JSON.stringify({ task: 'order', method: 'POST', path: '/orders', idempotencyKey: 'a', status: 201, body: { id: 1 }, timeMs: 1, error: null }),
    JSON.stringify({ task: 'order', method: 'POST', path: '/orders', idempotencyKey: 'b', status: null, body: null, timeMs: 2, error: 'timeout' }),
    '{"task":"order","idempot',
  ].join('\n'));
  assert.deepEqual(await readRecordedRequests(file), [{ idempotencyKey: 'a', status: 201 }, { idempotencyKey: 'b', status: null }]);
  assert.deepEqual(await readRecordedRequests(join(dir, 'none.jsonl')), []);
});

const second = (n: number, requests: number, p95: number): Interval => ({ second: n, users: 10, requests, errors: {}, p50: p95 / 2, p95, p99: p95 });

test('capacity: crossed after `for` consecutive seconds over the objective; capacity is the best second before', () => {
  const tracker = createCapacityTracker({ objectiveP95Ms: 250, forMs: 3000, minRps: 50 });
  const feed = [second(1, 20, 80), second(2, 40, 120), second(3, 60, 300), second(4, 55, 200), second(5, 70, 260), second(6, 72, 280)];
  assert.deepEqual(feed.map((i) => tracker.push(i)), [false, false, false, false, false, false]);
  assert.equal(tracker.push(second(7, 71, 400)), true, 'seconds 5, 6 and 7 over 250 ms');
  assert.deepEqual(tracker.result(), { objectiveP95Ms: 250, forMs: 3000, minRps: 50, crossed: true, capacityRps: 55, crossedAtSecond: 5, ok: true });

  const low = createCapacityTracker({ objectiveP95Ms: 100, forMs: 1000, minRps: 50 });
  low.push(second(1, 30, 50));
  low.push(second(2, 45, 150));
  assert.deepEqual([low.result().capacityRps, low.result().crossed, low.result().ok], [30, true, false]);

  const never = createCapacityTracker({ objectiveP95Ms: 1000, forMs: 1000, minRps: null });
  never.push(second(1, 10, 5));
  never.push(second(2, 0, 0));
  never.push(second(3, 90, 5));
  assert.deepEqual([never.result().capacityRps, never.result().crossed, never.result().ok], [90, false, true]);
});
