// The cafe benchmark's load: autocannon (programmatic API) against GET /menu and
// POST /orders, each order with its own Idempotency-Key, so every one is a new order
// (a transaction in Postgres, a charge through payments, a second commit).
import process from 'node:process';
import autocannon from 'autocannon';

export const ORDER_BODY = JSON.stringify({ items: [{ menuItemId: 1, quantity: 2 }, { menuItemId: 2, quantity: 1 }], customer: 'bench' });

/** The q-quantile (0..1) of sorted values, nearest rank. */
function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** The autocannon request list of one test. `keyPrefix` makes this run's idempotency keys unique. */
function requestsFor(test, keyPrefix) {
  if (test === 'menu') return [{ method: 'GET', path: '/menu' }];
  let counter = 0;
  return [
    {
      method: 'POST',
      path: '/orders',
      headers: { 'content-type': 'application/json' },
      body: ORDER_BODY,
      // Called for every request autocannon builds (on every connection): a new key each time.
      setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'idempotency-key': `${keyPrefix}-${++counter}` } }),
    },
  ];
}

/** The instance in flight, so a Ctrl-C can stop it. */
let current;
export function stopLoad() {
  current?.stop();
}

/**
 * Runs autocannon for `durationS` seconds against `url` with one test ('menu' or
 * 'orders'). Latencies come from autocannon's 'response' events (process.hrtime, in ms,
 * for 2xx answers only), since its own histogram has 1 ms steps.
 * @returns {Promise<{ reqPerS: number, okPerS: number, p50Ms: number, p99Ms: number, requests: number, ok: number, statuses: Record<string, number>, non2xx: number, errors: number, timeouts: number, elapsedS: number }>}
 */
export async function runLoad({ url, test, connections, durationS, keyPrefix, onTick = () => undefined }) {
  const latencies = [];
  const statuses = {};
  const instance = autocannon({ url, connections, duration: durationS, pipelining: 1, requests: requestsFor(test, keyPrefix) });
  current = instance;
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  let second = 0;
  instance.on('tick', ({ counter }) => onTick(++second, counter));
  const started = process.hrtime.bigint();
  try {
    const result = await instance;
    const elapsedS = Number(process.hrtime.bigint() - started) / 1e9;
    latencies.sort((a, b) => a - b);
    const requests = Object.values(statuses).reduce((a, b) => a + b, 0);
    return {
      reqPerS: requests / elapsedS,
      okPerS: latencies.length / elapsedS,
      p50Ms: quantile(latencies, 0.5),
      p99Ms: quantile(latencies, 0.99),
      requests,
      ok: latencies.length,
      statuses,
      non2xx: requests - latencies.length,
      errors: result.errors,
      timeouts: result.timeouts,
      elapsedS,
    };
  } finally {
    current = undefined;
  }
}
