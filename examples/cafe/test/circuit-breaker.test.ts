/**
 * The circuit breaker around the payments call: it opens when payments fails
 * (orders then answer 503 fast, without waiting on payments), and closes again
 * once payments recovers. Payments sits behind the stack's TCP proxy, so a
 * recovered payments (a new process with PAYMENTS_ERROR_RATE=0) takes over the
 * address the cafe was given.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { REDIS_SERVER, skipUnless } from './harness/binaries.js';
import { request } from './harness/net.js';
import { sampleValue } from './harness/metrics.js';
import { getMenu, newKey, postOrder, simpleOrder } from './harness/orders.js';
import type { Order } from './harness/orders.js';
import { ledger } from './harness/ledger.js';
import { pollUntil } from './harness/wait.js';
import { startStack, useDeps } from './harness/stack.js';

const BREAKER = { closed: 0, halfOpen: 1, open: 2 } as const;
const PAYMENTS_TIMEOUT_MS = 500;
/** The cafe's CIRCUIT_HALF_OPEN_AFTER_MS (5 s by default), short to keep the test short. */
const HALF_OPEN_AFTER_MS = 500;

async function breakerState(cafeUrl: string): Promise<number | undefined> {
  const res = await request(`${cafeUrl}/metrics`);
  assert.equal(res.status, 200, res.text);
  return sampleValue(res.text, 'cafe_circuit_breaker_state');
}

describe('circuit breaker on payments', { skip: skipUnless(REDIS_SERVER) }, () => {
  const deps = useDeps();

  test('opens when payments fails, answers 503 fast while open, closes after payments recovers', async (t) => {
    const stack = await startStack(t, deps(), {
      paymentsEnv: { PAYMENTS_ERROR_RATE: '1' },
      cafeEnv: { PAYMENTS_TIMEOUT_MS: String(PAYMENTS_TIMEOUT_MS), CIRCUIT_HALF_OPEN_AFTER_MS: String(HALF_OPEN_AFTER_MS) },
    });
    const url = stack.cafe.url;
    const menu = await getMenu(url);
    const { body } = simpleOrder(menu, 1);
    assert.equal(await breakerState(url), BREAKER.closed, 'closed at start');

    // Every order fails at payments; after enough failures the breaker opens.
    await pollUntil(
      async () => {
        const res = await postOrder(url, body, newKey('failing'));
        assert.equal(res.status, 503, `payments failing: ${res.status} ${res.text}`);
        assert.match(String(res.headers['retry-after']), /^\d+$/, 'Retry-After in seconds');
        return (await breakerState(url)) === BREAKER.open ? true : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 0, what: 'cafe_circuit_breaker_state to reach 2 (open)' },
    );

    // Open: an order is refused at once, without a payments round trip.
    const started = performance.now();
    const refused = await postOrder(url, body, newKey('open'));
    const elapsedMs = performance.now() - started;
    assert.equal(refused.status, 503, refused.text);
    assert.match(String(refused.headers['retry-after']), /^\d+$/);
    assert.ok(elapsedMs < PAYMENTS_TIMEOUT_MS, `503 while open took ${Math.round(elapsedMs)} ms, expected under the payments timeout (${PAYMENTS_TIMEOUT_MS} ms)`);
    const ready = await request(`${url}/ready`);
    assert.match(JSON.stringify(ready.json<{ checks: Record<string, unknown> }>().checks.payments), /degraded|open|down|fail|error/i, `/ready reports payments: ${ready.text}`);

    // Payments recovers. The breaker lets a trial call through only after its
    // half-open delay, a timer inside the cafe: the bounded poll below is inherent.
    await stack.replacePayments({ PAYMENTS_ERROR_RATE: '0' });
    const key = newKey('recovered');
    const order = await pollUntil(
      async () => {
        const res = await postOrder(url, body, key);
        if (res.status === 503) return undefined;
        assert.ok(res.status === 201 || res.status === 200, `after recovery: ${res.status} ${res.text}`);
        return res.json<Order>();
      },
      { timeoutMs: 30_000, intervalMs: 200, what: 'an order to succeed once payments recovered' },
    );
    assert.equal(order.status, 'paid');
    assert.equal(await breakerState(url), BREAKER.closed, 'closed again after a successful call');

    // Later orders go straight through.
    const next = await postOrder(url, body, newKey('after'));
    assert.equal(next.status, 201, next.text);

    // None of the refused orders was charged; the successful ones once each.
    const charges = await ledger(deps().postgres, stack.cafeDb, stack.paymentsDb).chargesByOrder();
    for (const [orderId, n] of charges) assert.equal(n, 1, `order ${orderId} charged ${n} times`);
    assert.equal(charges.get(String(order.id)), 1);
    assert.equal(charges.size, 2, `only the two successful orders were charged: ${JSON.stringify([...charges])}`);
  });
});
