/**
 * Idempotency under contention: 50 concurrent POST /orders with one
 * Idempotency-Key create exactly one order row and one charge row, and every
 * success answers the same order.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { REDIS_SERVER, skipUnless } from './harness/binaries.js';
import { getMenu, newKey, postOrder, simpleOrder } from './harness/orders.js';
import type { Order } from './harness/orders.js';
import { ledger } from './harness/ledger.js';
import { startStack, useDeps } from './harness/stack.js';

const CONCURRENCY = 50;

describe('idempotency', { skip: skipUnless(REDIS_SERVER) }, () => {
  const deps = useDeps();

  test(`${CONCURRENCY} concurrent POSTs with one key: one order, one charge, one answer`, async (t) => {
    // Some payment latency widens the window in which the duplicates overlap.
    const stack = await startStack(t, deps(), { paymentsEnv: { PAYMENTS_LATENCY_MS: '100' } });
    const menu = await getMenu(stack.cafe.url);
    const { body, totalCents } = simpleOrder(menu, 2);
    const key = newKey('contended');

    const responses = await Promise.all(Array.from({ length: CONCURRENCY }, () => postOrder(stack.cafe.url, body, key, 30_000)));
    const statuses = responses.map((r) => r.status);
    const counts = new Map<number, number>();
    for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
    t.diagnostic(`statuses: ${[...counts].map(([status, n]) => `${n}x${status}`).join(', ')}`);
    const ok = responses.filter((r) => r.status === 200 || r.status === 201);
    // A duplicate that arrives while the first is still in flight may be told to retry
    // (409 or 503 with Retry-After); it must never create a second order.
    const other = responses.filter((r) => !(r.status === 200 || r.status === 201 || r.status === 409 || r.status === 503));
    assert.deepEqual(other.map((r) => `${r.status} ${r.text}`), [], `statuses: ${statuses.join(',')}`);
    for (const r of responses.filter((r) => r.status === 409 || r.status === 503)) assert.ok(r.headers['retry-after'] !== undefined || r.status === 409, `a ${r.status} says when to retry: ${r.text}`);
    assert.ok(ok.length >= 1, `at least one success; statuses: ${statuses.join(',')}`);

    const first = ok[0]!.json<Order>();
    assert.equal(first.status, 'paid');
    assert.equal(first.totalCents, totalCents);
    for (const r of ok) assert.deepEqual(r.json(), first, 'every success answers the same order');

    // Retrying after the dust settles answers the same order too.
    const replay = await postOrder(stack.cafe.url, body, key);
    assert.ok(replay.status === 200 || replay.status === 201, replay.text);
    assert.deepEqual(replay.json(), first);

    const books = ledger(deps().postgres, stack.cafeDb, stack.paymentsDb);
    assert.deepEqual([...(await books.ordersByKey([key])).entries()], [[key, 1]], 'exactly one order row for the key');
    assert.equal(await books.totalOrders(), 1);
    const charges = await books.chargesByOrder();
    assert.deepEqual([...charges.entries()], [[String(first.id), 1]], 'exactly one charge row, for that order');
  });
});
