/** Wires the cafe: pool, migrations, cache, flags, payments client, routes, shutdown. */
import type { Redis } from 'ioredis';
import type { Logger } from '../shared/logger.js';
import type { Telemetry } from '../shared/telemetry.js';
import { createPool, migrate } from '../shared/db.js';
import { createFlags } from '../shared/flags.js';
import { createHttpServer } from '../shared/http-server.js';
import { observePool } from '../shared/http-metrics.js';
import { onShutdownSignals } from '../shared/shutdown.js';
import { MenuCache, createRedis } from './cache.js';
import { registerChaos } from './chaos.js';
import type { CafeConfig } from './config.js';
import { registerMenuRoutes } from './menu.js';
import { CAFE_MIGRATIONS, CAFE_MIGRATION_LOCK_ID } from './migrations.js';
import { registerOrderRoutes } from './orders.js';
import { PaymentsClient } from './payments-client.js';
import { registerReadiness } from './readiness.js';

const REDIS_CONNECT_WAIT_MS = 2000;

/** Waits for the first connection at most `waitMs`; a cache still down then is retried in the background. */
async function connectWithin(redis: Redis, waitMs: number, logger: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    redis.connect().catch((err: Error) => logger.warn({ err }, `valkey not reachable at start (${err.message}); retrying in the background`)),
    new Promise((resolve) => {
      timer = setTimeout(resolve, waitMs);
    }),
  ]);
  clearTimeout(timer);
}

export async function runCafe(config: Readonly<CafeConfig>, logger: Logger, telemetry: Telemetry): Promise<void> {
  const { meter } = telemetry;
  const pool = createPool({ url: config.databaseUrl, max: config.dbPoolMax, statementTimeoutMs: config.dbStatementTimeoutMs, applicationName: 'cafe', logger });
  // The cache is optional at start: without it the menu reads Postgres (and /ready says so).
  const redis = createRedis(config.valkeyUrl, logger);
  // Independent start-up steps run side by side: the migrations, the first cache
  // connection, the flags and the HTTP server's plugins each wait on their own I/O.
  const [, flags, { app }] = await Promise.all([
    migrate(pool, { lockId: CAFE_MIGRATION_LOCK_ID, statements: CAFE_MIGRATIONS, logger }),
    createFlags(config.flagsFile, logger, 'cafe'),
    createHttpServer({ service: 'cafe', logger, telemetry, shedEventLoopDelayMs: config.shedEventLoopDelayMs }),
    connectWithin(redis, REDIS_CONNECT_WAIT_MS, logger),
  ]);

  const payments = new PaymentsClient({
    baseUrl: config.paymentsUrl,
    timeoutMs: config.paymentsTimeoutMs,
    retries: config.paymentsRetries,
    failureThreshold: config.circuitFailureThreshold,
    halfOpenAfterMs: config.circuitHalfOpenAfterMs,
    logger,
    meter,
  });
  const cacheRequests = meter.createCounter('cafe.cache.requests', { description: 'Menu cache lookups, by result: hit, miss, stale (served past its TTL because Postgres failed).' });
  const ordersCreated = meter.createCounter('cafe.orders.created', { description: 'Orders acknowledged with 201 (paid and durable).' });
  // Export every series from the start, at 0, so dashboards and rate() see them before the first event.
  for (const result of ['hit', 'miss', 'stale']) cacheRequests.add(0, { result });
  ordersCreated.add(0);
  const cache = new MenuCache({ redis, ttlS: config.menuCacheTtlS, refreshTimeoutMs: config.menuRefreshTimeoutMs, logger, requests: cacheRequests });
  observePool(meter, 'cafe', pool, config.dbPoolMax);

  registerChaos(app, flags, logger);
  registerMenuRoutes(app, { pool, cache, flags, shedPoolWaiting: config.shedPoolWaiting });
  registerOrderRoutes(app, {
    pool,
    payments,
    shedPoolWaiting: config.shedPoolWaiting,
    ordersCreated,
  });
  registerReadiness(app, { pool, redis, payments });
  app.get('/crash', () => {
    throw new Error('crash requested: GET /crash throws on purpose');
  });

  onShutdownSignals({
    app,
    logger,
    timeoutMs: config.shutdownTimeoutMs,
    resources: [
      { name: 'postgres pool', close: () => pool.end() },
      { name: 'valkey', close: () => redis.quit().catch(() => redis.disconnect()) },
      { name: 'flags', close: () => flags.close() },
      { name: 'telemetry', close: () => telemetry.shutdown() },
    ],
  });

  const address = await app.listen({ host: config.host, port: config.port });
  process.stdout.write(`cafe listening on ${address}\n`);
}
