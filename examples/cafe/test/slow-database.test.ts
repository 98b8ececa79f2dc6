/**
 * A slow database (not a dead one): the menu query takes 1.5 s (the slowMenuQueryMs
 * flag sleeps inside the statement, so the database itself is slow). A menu request
 * past its TTL waits MENU_REFRESH_TIMEOUT_MS at most, then takes the stale copy; the
 * one slow query still refreshes the cache when it ends.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { REDIS_SERVER, skipUnless } from './harness/binaries.js';
import { request } from './harness/net.js';
import { getMenu } from './harness/orders.js';
import { pollUntil } from './harness/wait.js';
import { startStack, useDeps } from './harness/stack.js';

const TTL_S = 1;
const REFRESH_TIMEOUT_MS = 200;
const SLOW_QUERY_MS = 1500;

describe('a slow database: the menu serves its stale copy instead of waiting', { skip: skipUnless(REDIS_SERVER) }, () => {
  const deps = useDeps();

  test('past the TTL a request waits the refresh timeout, not the query; the slow refresh fills the cache later', async (t) => {
    const stack = await startStack(t, deps(), {
      cafeEnv: { MENU_CACHE_TTL_S: String(TTL_S), MENU_REFRESH_TIMEOUT_MS: String(REFRESH_TIMEOUT_MS), DB_STATEMENT_TIMEOUT_MS: '5000' },
    });
    const url = stack.cafe.url;
    const menu = await getMenu(url); // warms the cache (fresh and stale copies)
    await stack.setFlags({ slowMenuQueryMs: SLOW_QUERY_MS });

    // Once the fresh copy expires (a timer in the cafe, hence the bounded poll), a
    // request starts the slow refresh and answers from the stale copy.
    const stale = await pollUntil(
      async () => {
        const started = performance.now();
        const res = await request(`${url}/menu`);
        const tookMs = performance.now() - started;
        assert.equal(res.status, 200, `GET /menu with a slow database: ${res.status} ${res.text}`);
        return res.headers['x-cache'] === 'stale' ? { res, tookMs } : undefined;
      },
      { timeoutMs: TTL_S * 1000 + 5000, intervalMs: 100, what: 'GET /menu to answer x-cache: stale' },
    );
    assert.deepEqual(stale.res.json<{ items: unknown[] }>().items, menu);
    assert.ok(stale.tookMs < SLOW_QUERY_MS - 500, `the stale answer took ${Math.round(stale.tookMs)} ms; the query takes ${SLOW_QUERY_MS} ms`);

    // Requests that miss while that refresh runs share it: each answers stale quickly too.
    const together = await Promise.all(Array.from({ length: 5 }, async () => {
      const started = performance.now();
      const res = await request(`${url}/menu`);
      return { cache: res.headers['x-cache'], tookMs: performance.now() - started };
    }));
    for (const r of together) assert.ok(r.tookMs < SLOW_QUERY_MS - 500, `a concurrent miss took ${Math.round(r.tookMs)} ms (x-cache ${String(r.cache)})`);

    // The slow query ends and writes the fresh copy: the next request is a hit.
    await pollUntil(
      async () => {
        const res = await request(`${url}/menu`);
        return res.headers['x-cache'] === 'hit' ? res : undefined;
      },
      { timeoutMs: SLOW_QUERY_MS + TTL_S * 1000 + 3000, intervalMs: 100, what: 'the slow refresh to fill the cache (x-cache: hit)' },
    );
  });
});
