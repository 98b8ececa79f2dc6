/**
 * Degradation when the database goes away. A TCP proxy of our own sits between
 * the cafe and Postgres, so the test can cut the cafe's database (every connection
 * reset, new ones refused), or silence it (a partition), while payments and the
 * test's own checks keep theirs.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { REDIS_SERVER, skipUnless } from './harness/binaries.js';
import { request } from './harness/net.js';
import { getMenu, newKey, postOrder, simpleOrder } from './harness/orders.js';
import type { MenuItem, Order } from './harness/orders.js';
import { ledger } from './harness/ledger.js';
import { pollUntil } from './harness/wait.js';
import { startStack, useDeps } from './harness/stack.js';

const TTL_S = 1;
const STATEMENT_TIMEOUT_MS = 1000;
const PAYMENTS_TIMEOUT_MS = 1000;
/** "Fast" when the database refuses: well under the order path's own timeouts. */
const FAST_MS = STATEMENT_TIMEOUT_MS + PAYMENTS_TIMEOUT_MS;
/**
 * When the database goes silent the cafe can only learn from its timeouts: the
 * statement timeout plus the pool's client-side margin (1 s), and some slack.
 */
const SILENT_MS = STATEMENT_TIMEOUT_MS + 1000 + 1000;

describe('degradation: the database goes down and comes back', { skip: skipUnless(REDIS_SERVER) }, () => {
  const deps = useDeps();

  test('stale menu from cache, fast 503 orders, then recovery with every acknowledged order once', async (t) => {
    const stack = await startStack(t, deps(), {
      dbProxy: true,
      cafeEnv: { MENU_CACHE_TTL_S: String(TTL_S), DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS), PAYMENTS_TIMEOUT_MS: String(PAYMENTS_TIMEOUT_MS) },
    });
    const proxy = stack.dbProxy!;
    const url = stack.cafe.url;
    const books = ledger(deps().postgres, stack.cafeDb, stack.paymentsDb);

    // Healthy: warm the cache and take a few orders.
    const menu = await getMenu(url);
    const { body } = simpleOrder(menu, 1);
    const acknowledged = new Map<string, Order>();
    for (let i = 0; i < 3; i++) {
      const key = newKey('before');
      const res = await postOrder(url, body, key);
      assert.equal(res.status, 201, res.text);
      acknowledged.set(key, res.json<Order>());
    }

    proxy.cut();
    const cutAt = performance.now();

    // The menu keeps answering from the cache; once the entry is past its TTL the
    // cafe tries the database, fails, and serves the stale entry saying so. Waiting
    // for the TTL is inherent (a timer in the cafe), hence the bounded poll.
    const stale = await pollUntil(
      async () => {
        const res = await request(`${url}/menu`);
        assert.equal(res.status, 200, `GET /menu with the database down: ${res.status} ${res.text}`);
        assert.ok(res.headers['x-cache'] === 'hit' || res.headers['x-cache'] === 'stale', `x-cache ${String(res.headers['x-cache'])}`);
        return res.headers['x-cache'] === 'stale' ? res : undefined;
      },
      { timeoutMs: TTL_S * 1000 + 5000, intervalMs: 200, what: 'GET /menu to answer x-cache: stale' },
    );
    assert.deepEqual(stale.json<{ items: MenuItem[] }>().items, menu);
    t.diagnostic(`x-cache: stale ${Math.round(performance.now() - cutAt)} ms after the cut`);

    const ready = await request(`${url}/ready`);
    assert.equal(ready.status, 503, `/ready with the database down: ${ready.text}`);
    assert.match(JSON.stringify(ready.json<{ checks: Record<string, unknown> }>().checks.database), /degraded|down|fail|error|unavailable/i);
    assert.equal((await request(`${url}/health`)).status, 200, 'liveness does not depend on the database');

    // Orders cannot be durable: 503 fast, with Retry-After.
    const refused: string[] = [];
    for (let i = 0; i < 3; i++) {
      const key = newKey('during');
      const started = performance.now();
      const res = await postOrder(url, body, key);
      const elapsedMs = performance.now() - started;
      assert.equal(res.status, 503, `POST /orders with the database down: ${res.status} ${res.text}`);
      assert.match(String(res.headers['retry-after']), /^\d+$/, 'Retry-After in seconds');
      assert.ok(elapsedMs < FAST_MS, `503 took ${Math.round(elapsedMs)} ms, expected under ${FAST_MS} ms`);
      refused.push(key);
      t.diagnostic(`503 in ${Math.round(elapsedMs)} ms, Retry-After ${String(res.headers['retry-after'])}`);
    }

    proxy.restore();
    const restoredAt = performance.now();

    // The clients retry with the same keys until the order is taken. The pool
    // notices the database is back on its next connection attempt.
    for (const key of refused) {
      const order = await pollUntil(
        async () => {
          const res = await postOrder(url, body, key);
          if (res.status === 503) return undefined;
          assert.ok(res.status === 201 || res.status === 200, `after recovery: ${res.status} ${res.text}`);
          return res.json<Order>();
        },
        { timeoutMs: 10_000, intervalMs: 100, what: `order ${key} to be accepted after the database returns` },
      );
      assert.equal(order.status, 'paid');
      acknowledged.set(key, order);
    }
    t.diagnostic(`refused orders accepted ${Math.round(performance.now() - restoredAt)} ms after the database returned`);
    const fresh = await pollUntil(
      async () => {
        const res = await request(`${url}/menu`);
        return res.status === 200 && res.headers['x-cache'] !== 'stale' ? res : undefined;
      },
      { timeoutMs: 5000, what: 'GET /menu to stop serving stale' },
    );
    assert.equal(fresh.status, 200);
    assert.equal((await request(`${url}/ready`)).status, 200, '/ready again');

    // The invariant: every acknowledged order exists exactly once, none charged twice.
    const rows = await books.ordersByKey([...acknowledged.keys()]);
    for (const [key, order] of acknowledged) {
      assert.equal(rows.get(key), 1, `order for key ${key} stored once`);
      assert.equal(await books.orderCount(order.id), 1, `order ${String(order.id)} exists once`);
    }
    assert.equal(await books.totalOrders(), acknowledged.size, 'no order that was not acknowledged');
    const charges = await books.chargesByOrder();
    for (const [orderId, n] of charges) assert.equal(n, 1, `order ${orderId} charged ${n} times`);
    for (const order of acknowledged.values()) assert.equal(charges.get(String(order.id)), 1, `order ${String(order.id)} charged once`);
  });

  test('database silent (a partition): 503 within the timeouts, then the order succeeds once', async (t) => {
    const stack = await startStack(t, deps(), {
      dbProxy: true,
      cafeEnv: { DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS), PAYMENTS_TIMEOUT_MS: String(PAYMENTS_TIMEOUT_MS) },
    });
    const proxy = stack.dbProxy!;
    const url = stack.cafe.url;
    const { body } = simpleOrder(await getMenu(url), 1);
    const warm = await postOrder(url, body);
    assert.equal(warm.status, 201, warm.text);

    // Nothing answers and nothing closes: the pooled connections hang, new ones
    // never complete their handshake. The cafe can only rely on its own timeouts.
    proxy.stall();
    const key = newKey('silent');
    const started = performance.now();
    const res = await postOrder(url, body, key, SILENT_MS + 10_000);
    const elapsedMs = performance.now() - started;
    t.diagnostic(`database silent: ${res.status} in ${Math.round(elapsedMs)} ms`);
    assert.equal(res.status, 503, `POST /orders with the database silent: ${res.status} ${res.text}`);
    assert.match(String(res.headers['retry-after']), /^\d+$/, 'Retry-After in seconds');
    assert.ok(elapsedMs < SILENT_MS, `503 took ${Math.round(elapsedMs)} ms with the database silent, expected under ${SILENT_MS} ms (DB_STATEMENT_TIMEOUT_MS=${STATEMENT_TIMEOUT_MS} plus the pool's 1 s query-timeout margin and 1 s slack)`);

    proxy.restore();
    const order = await pollUntil(
      async () => {
        const retry = await postOrder(url, body, key);
        if (retry.status === 503) return undefined;
        assert.ok(retry.status === 201 || retry.status === 200, `after the partition: ${retry.status} ${retry.text}`);
        return retry.json<Order>();
      },
      { timeoutMs: 10_000, intervalMs: 100, what: `order ${key} to be accepted after the partition` },
    );
    const books = ledger(deps().postgres, stack.cafeDb, stack.paymentsDb);
    assert.equal((await books.ordersByKey([key])).get(key), 1, 'stored once');
    assert.equal((await books.chargesByOrder()).get(String(order.id)), 1, 'charged once');
  });
});
