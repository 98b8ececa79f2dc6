/**
 * The cafe's and payments' HTTP contract against real processes, a real Postgres
 * and a real redis-server: every route, every 4xx path and the error body shape.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { REDIS_SERVER, skipUnless } from './harness/binaries.js';
import { request } from './harness/net.js';
import type { HttpResponse } from './harness/net.js';
import { sampleValue } from './harness/metrics.js';
import { getMenu, newKey, postOrder, simpleOrder } from './harness/orders.js';
import type { ErrorBody, MenuItem, Order } from './harness/orders.js';
import { useDeps, useStack } from './harness/stack.js';

/** Asserts a { error: { code, message } } body with this status; returns the message. */
export function assertError(res: HttpResponse, status: number, mentions?: RegExp): string {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  const body = res.json<ErrorBody>();
  assert.equal(typeof body.error?.code, 'string', `error.code missing in ${res.text}`);
  assert.ok(body.error.code.length > 0, `error.code is empty in ${res.text}`);
  assert.equal(typeof body.error.message, 'string', `error.message missing in ${res.text}`);
  if (mentions !== undefined) assert.match(body.error.message, mentions);
  return body.error.message;
}

/** An id of the menu's type that no item has. */
function missingId(menu: MenuItem[]): number | string {
  return typeof menu[0]?.id === 'number' ? 999_999 : 'no-such-item';
}

describe('cafe and payments HTTP contract', { skip: skipUnless(REDIS_SERVER) }, () => {
  const deps = useDeps();
  const stack = useStack(deps);
  const cafe = (): string => stack().cafe.url;
  const payments = (): string => stack().payments.url;

  describe('menu', () => {
    test('GET /menu: the seeded items, a miss then a hit', async () => {
      const first = await request(`${cafe()}/menu`);
      assert.equal(first.status, 200, first.text);
      assert.match(String(first.headers['content-type']), /application\/json/);
      assert.equal(first.headers['x-cache'], 'miss');
      const { items } = first.json<{ items: MenuItem[] }>();
      assert.ok(Array.isArray(items) && items.length > 0, 'the menu is seeded');
      for (const item of items) {
        assert.ok(typeof item.id === 'number' || typeof item.id === 'string', `id of ${JSON.stringify(item)}`);
        assert.equal(typeof item.name, 'string');
        assert.ok(Number.isInteger(item.priceCents) && item.priceCents > 0, `priceCents of ${JSON.stringify(item)}`);
      }
      assert.equal(new Set(items.map((i) => i.id)).size, items.length, 'ids are unique');

      const second = await request(`${cafe()}/menu`);
      assert.equal(second.status, 200);
      assert.equal(second.headers['x-cache'], 'hit');
      assert.deepEqual(second.json(), first.json());
    });

    test('GET /menu/:id: one item; 404 for a missing one; 400 for a malformed id', async () => {
      const menu = await getMenu(cafe());
      const item = menu[0]!;
      const res = await request(`${cafe()}/menu/${encodeURIComponent(String(item.id))}`);
      assert.equal(res.status, 200, res.text);
      // The item itself, or wrapped as { item }.
      const body = res.json<MenuItem & { item?: MenuItem }>();
      const got = body.item ?? body;
      assert.equal(got.id, item.id);
      assert.equal(got.priceCents, item.priceCents);

      assertError(await request(`${cafe()}/menu/${missingId(menu)}`), 404);
      if (typeof item.id === 'number') {
        assertError(await request(`${cafe()}/menu/not-a-number`), 400, /id/i);
        assertError(await request(`${cafe()}/menu/-1`), 400, /id/i);
      }
    });
  });

  describe('orders', () => {
    test('POST /orders: 201 paid with the total, readable by GET /orders/:id', async () => {
      const menu = await getMenu(cafe());
      const a = menu[0]!;
      const b = menu[1] ?? a;
      const body = { items: [{ menuItemId: a.id, quantity: 2 }, { menuItemId: b.id, quantity: 1 }], customer: 'ada' };
      const res = await postOrder(cafe(), body);
      assert.equal(res.status, 201, res.text);
      const order = res.json<Order>();
      assert.equal(order.status, 'paid');
      assert.equal(order.totalCents, a.priceCents * 2 + b.priceCents);
      assert.ok(order.id !== undefined && order.id !== '', 'order id');
      assert.ok(order.paymentId !== undefined && order.paymentId !== '', 'payment id');
      assert.equal(order.items.length, 2);

      const read = await request(`${cafe()}/orders/${encodeURIComponent(String(order.id))}`);
      assert.equal(read.status, 200, read.text);
      const stored = read.json<Order>();
      assert.equal(stored.id, order.id);
      assert.equal(stored.status, 'paid');
      assert.equal(stored.totalCents, order.totalCents);
      assert.equal(stored.paymentId, order.paymentId);
    });

    test('the same Idempotency-Key again answers the same order and charges once', async () => {
      const menu = await getMenu(cafe());
      const { body } = simpleOrder(menu, 3);
      const key = newKey();
      const first = await postOrder(cafe(), body, key);
      assert.equal(first.status, 201, first.text);
      const again = await postOrder(cafe(), body, key);
      assert.ok(again.status === 200 || again.status === 201, `replay answered ${again.status}: ${again.text}`);
      assert.deepEqual(again.json(), first.json());

      const order = first.json<Order>();
      const charges = await request(`${payments()}/charges?orderId=${encodeURIComponent(String(order.id))}`);
      assert.equal(charges.status, 200, charges.text);
      assert.equal(charges.json<{ charges: unknown[] }>().charges.length, 1, `one charge for the order: ${charges.text}`);
    });

    test('400 without an Idempotency-Key, naming the header', async () => {
      const { body } = simpleOrder(await getMenu(cafe()));
      assertError(await postOrder(cafe(), body, null), 400, /idempotency-key/i);
      assertError(await postOrder(cafe(), body, ''), 400, /idempotency-key/i);
    });

    test('400 for every malformed body, naming the field', async (t) => {
      const menu = await getMenu(cafe());
      const id = menu[0]!.id;
      const cases: [string, unknown, RegExp][] = [
        ['no items', {}, /items/],
        ['items not an array', { items: 'coffee' }, /items/],
        ['items empty', { items: [] }, /items/],
        ['an item not an object', { items: [7] }, /items/],
        ['menuItemId missing', { items: [{ quantity: 1 }] }, /menuItemId/],
        ['quantity missing', { items: [{ menuItemId: id }] }, /quantity/],
        ['quantity 0', { items: [{ menuItemId: id, quantity: 0 }] }, /quantity/],
        ['quantity 21', { items: [{ menuItemId: id, quantity: 21 }] }, /quantity/],
        ['quantity 1.5', { items: [{ menuItemId: id, quantity: 1.5 }] }, /quantity/],
        ['quantity a string', { items: [{ menuItemId: id, quantity: 'two' }] }, /quantity/],
        ['customer not a string', { items: [{ menuItemId: id, quantity: 1 }], customer: 42 }, /customer/],
      ];
      for (const [label, body, field] of cases) {
        const res = await postOrder(cafe(), body);
        await t.test(label, () => {
          assertError(res, 400, field);
        });
      }
    });

    test('400 for a body that is not JSON', async () => {
      const res = await request(`${cafe()}/orders`, { method: 'POST', headers: { 'idempotency-key': newKey(), 'content-type': 'application/json' }, body: '{"items": [' });
      assert.equal(res.status, 400, res.text);
      assert.equal(typeof res.json<ErrorBody>().error?.message, 'string', res.text);
    });

    test('4xx for a body that is not JSON at all (text/plain)', async () => {
      const res = await request(`${cafe()}/orders`, { method: 'POST', headers: { 'idempotency-key': newKey(), 'content-type': 'text/plain' }, body: 'two coffees' });
      assert.ok(res.status === 400 || res.status === 415, `expected 400 or 415, got ${res.status}: ${res.text}`);
      assert.equal(typeof res.json<ErrorBody>().error?.code, 'string', res.text);
    });

    test('an unknown menu item is refused, naming the item, and nothing is charged', async () => {
      const menu = await getMenu(cafe());
      const res = await postOrder(cafe(), { items: [{ menuItemId: missingId(menu), quantity: 1 }] });
      assert.ok(res.status === 400 || res.status === 404 || res.status === 422, `expected 400/404/422, got ${res.status}: ${res.text}`);
      assert.match(res.json<ErrorBody>().error.message, /menuItemId|menu item|no-such-item|999999/i);
    });

    test('422 for the same Idempotency-Key with a different body', async () => {
      const menu = await getMenu(cafe());
      const key = newKey();
      const first = await postOrder(cafe(), simpleOrder(menu, 1).body, key);
      assert.equal(first.status, 201, first.text);
      assertError(await postOrder(cafe(), simpleOrder(menu, 2).body, key), 422, /idempotency/i);
    });

    test('GET /orders/:id: 404 for an order that does not exist', async () => {
      const order = (await postOrder(cafe(), simpleOrder(await getMenu(cafe())).body)).json<Order>();
      const missing = typeof order.id === 'number' ? 999_999_999 : '00000000-0000-4000-8000-000000000000';
      assertError(await request(`${cafe()}/orders/${missing}`), 404);
      const malformed = await request(`${cafe()}/orders/not%20an%20id`);
      assert.ok(malformed.status === 400 || malformed.status === 404, `expected 400 or 404, got ${malformed.status}: ${malformed.text}`);
      assertError(malformed, malformed.status);
    });
  });

  describe('operations', () => {
    test('/health is 200; /ready is 200 with every check', async () => {
      const health = await request(`${cafe()}/health`);
      assert.equal(health.status, 200, health.text);
      const ready = await request(`${cafe()}/ready`);
      assert.equal(ready.status, 200, ready.text);
      const { checks } = ready.json<{ checks: Record<string, unknown> }>();
      for (const name of ['database', 'cache', 'payments']) assert.ok(name in checks, `/ready checks ${name}: ${ready.text}`);
    });

    test('/crash answers 500 with an error body, and the service lives on', async () => {
      assertError(await request(`${cafe()}/crash`), 500);
      assert.equal((await request(`${cafe()}/health`)).status, 200);
    });

    test('404 with an error body for an unknown route', async () => {
      assertError(await request(`${cafe()}/no/such/route`), 404);
    });

    test('/metrics: Prometheus text with the cafe metrics', async () => {
      await request(`${cafe()}/menu`);
      const res = await request(`${cafe()}/metrics`);
      assert.equal(res.status, 200, res.text);
      assert.match(String(res.headers['content-type']), /text\/plain/);
      assert.ok((sampleValue(res.text, 'cafe_orders_created_total') ?? 0) >= 1, 'orders created counted');
      assert.ok((sampleValue(res.text, 'cafe_cache_requests_total', { result: 'hit' }) ?? 0) >= 1, 'cache hits counted');
      assert.ok((sampleValue(res.text, 'cafe_cache_requests_total', { result: 'miss' }) ?? 0) >= 1, 'cache misses counted');
      assert.equal(sampleValue(res.text, 'cafe_circuit_breaker_state'), 0, 'the breaker is closed');
    });
  });

  describe('payments', () => {
    test('POST /charges is idempotent; GET /charges?orderId= lists the charge', async () => {
      // An order id no cafe order has: payments does not know about the cafe's orders.
      const orderId = 2_000_000_000 + Math.floor(Math.random() * 100_000_000);
      const body = { orderId, amountCents: 1250, idempotencyKey: newKey('charge') };
      const first = await request(`${payments()}/charges`, { method: 'POST', body });
      assert.equal(first.status, 201, first.text);
      const again = await request(`${payments()}/charges`, { method: 'POST', body });
      assert.ok(again.status === 200 || again.status === 201, `replay answered ${again.status}: ${again.text}`);
      assert.deepEqual(again.json(), first.json());

      const list = await request(`${payments()}/charges?orderId=${orderId}`);
      assert.equal(list.status, 200, list.text);
      assert.deepEqual(list.json<{ charges: unknown[] }>().charges, [first.json()]);
    });

    test('POST /charges: 400 naming the field', async () => {
      const cases: [unknown, RegExp][] = [
        [{ amountCents: 100, idempotencyKey: 'k1' }, /orderId/],
        [{ orderId: 'o-1', amountCents: 100, idempotencyKey: 'k1' }, /orderId/],
        [{ orderId: 1, idempotencyKey: 'k2' }, /amountCents/],
        [{ orderId: 1, amountCents: -5, idempotencyKey: 'k3' }, /amountCents/],
        [{ orderId: 1, amountCents: 100 }, /idempotencyKey/],
      ];
      for (const [body, field] of cases) assertError(await request(`${payments()}/charges`, { method: 'POST', body }), 400, field);
      assertError(await request(`${payments()}/charges?orderId=abc`), 400, /orderId/);
    });
  });
});
