/**
 * Process lifecycle: configuration errors, running with OTEL_SDK_DISABLED=true,
 * and graceful shutdown on SIGTERM with a slow request in flight.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { REDIS_SERVER, skipUnless } from './harness/binaries.js';
import { request } from './harness/net.js';
import { spawnService } from './harness/service.js';
import type { ServiceName } from './harness/service.js';
import { getMenu } from './harness/orders.js';
import type { MenuItem } from './harness/orders.js';
import { pollUntil } from './harness/wait.js';
import { startStack, useDeps } from './harness/stack.js';
import type { PostgresServer } from './harness/postgres.js';

const SLOW_MENU_MS = 1500;

async function exitOf(name: ServiceName, env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  const spawned = spawnService(name, env);
  const exit = await spawned.exited;
  return { code: exit.code, output: spawned.lines.join('\n') };
}

// Each case is a short-lived process that never listens: run them side by side.
describe('configuration errors exit 1 naming the variable', { concurrency: true }, () => {
  const valid = { DATABASE_URL: 'postgres://u:p@127.0.0.1:1/db', VALKEY_URL: 'redis://127.0.0.1:1/0', PAYMENTS_URL: 'http://127.0.0.1:1' };
  const cases: [ServiceName, string, Record<string, string | undefined>][] = [
    ['cafe', 'DATABASE_URL', { ...valid, DATABASE_URL: undefined }],
    ['cafe', 'DATABASE_URL', { ...valid, DATABASE_URL: 'mysql://x' }],
    ['cafe', 'VALKEY_URL', { ...valid, VALKEY_URL: 'http://not-redis' }],
    ['cafe', 'PAYMENTS_URL', { ...valid, PAYMENTS_URL: 'nope' }],
    ['cafe', 'PORT', { ...valid, PORT: 'eighty' }],
    ['cafe', 'PAYMENTS_TIMEOUT_MS', { ...valid, PAYMENTS_TIMEOUT_MS: '-5' }],
    ['cafe', 'MENU_CACHE_TTL_S', { ...valid, MENU_CACHE_TTL_S: 'soon' }],
    ['cafe', 'DB_POOL_MAX', { ...valid, DB_POOL_MAX: '0' }],
    ['payments', 'DATABASE_URL', { DATABASE_URL: undefined }],
    ['payments', 'PAYMENTS_ERROR_RATE', { DATABASE_URL: valid.DATABASE_URL, PAYMENTS_ERROR_RATE: '2' }],
    ['payments', 'PAYMENTS_LATENCY_MS', { DATABASE_URL: valid.DATABASE_URL, PAYMENTS_LATENCY_MS: 'slow' }],
  ];
  for (const [service, variable, env] of cases) {
    test(`${service}: ${variable}=${JSON.stringify(env[variable] ?? null)}`, async () => {
      const { code, output } = await exitOf(service, env);
      assert.equal(code, 1, `exit code; output:\n${output}`);
      assert.match(output, new RegExp(variable), `the output names ${variable}:\n${output}`);
    });
  }
});

describe('running services', { skip: skipUnless(REDIS_SERVER) }, () => {
  const deps = useDeps();

  test('with OTEL_SDK_DISABLED=true the cafe serves /menu and /metrics', async (t) => {
    const stack = await startStack(t, deps(), { cafeEnv: { OTEL_SDK_DISABLED: 'true' }, paymentsEnv: { OTEL_SDK_DISABLED: 'true' } });
    const menu = await request(`${stack.cafe.url}/menu`);
    assert.equal(menu.status, 200, menu.text);
    assert.ok(menu.json<{ items: MenuItem[] }>().items.length > 0);
    const metrics = await request(`${stack.cafe.url}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(metrics.text, /cafe_cache_requests_total/);
  });

  test('SIGTERM with a slow request in flight: the request completes, the process exits 0', async (t) => {
    const stack = await startStack(t, deps(), { cafeEnv: { SHUTDOWN_TIMEOUT_MS: '10000' } });
    const { cafe } = stack;
    await getMenu(cafe.url);
    await stack.setFlags({ slowMenuQueryMs: SLOW_MENU_MS, cacheDisabled: true });

    const started = performance.now();
    const inFlight = request(`${cafe.url}/menu`, { timeoutMs: SLOW_MENU_MS + 10_000 });
    // The request is in flight once the cafe's slow menu query runs in Postgres.
    await waitForSlowQuery(deps().postgres, stack.cafeDb);
    cafe.signal('SIGTERM');

    const res = await inFlight;
    assert.equal(res.status, 200, `the in-flight request completes: ${res.text}`);
    assert.ok(res.json<{ items: MenuItem[] }>().items.length > 0);
    assert.ok(performance.now() - started >= SLOW_MENU_MS * 0.9, 'it really was slow');
    const exit = await cafe.exited;
    assert.deepEqual(exit, { code: 0, signal: null }, `clean exit; output:\n${cafe.output()}`);
  });
});

async function waitForSlowQuery(postgres: PostgresServer, database: string): Promise<void> {
  await pollUntil(
    async () => {
      const { rows } = await postgres.query<{ n: string }>('postgres', "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND query ILIKE '%pg_sleep%'", [database]);
      return Number(rows[0]?.n) > 0 ? true : undefined;
    },
    { timeoutMs: 5000, intervalMs: 20, what: 'the slow menu query to run' },
  );
}
