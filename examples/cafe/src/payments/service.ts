/** Wires the payments service: pool, migrations, flags, HTTP server, shutdown. */
import type { Logger } from '../shared/logger.js';
import type { Telemetry } from '../shared/telemetry.js';
import { createPool, migrate } from '../shared/db.js';
import { createFlags } from '../shared/flags.js';
import { createHttpServer } from '../shared/http-server.js';
import { observePool } from '../shared/http-metrics.js';
import { onShutdownSignals } from '../shared/shutdown.js';
import { registerChargeRoutes } from './charges.js';
import type { PaymentsConfig } from './config.js';
import { PAYMENTS_MIGRATIONS, PAYMENTS_MIGRATION_LOCK_ID } from './migrations.js';

export async function runPayments(config: Readonly<PaymentsConfig>, logger: Logger, telemetry: Telemetry): Promise<void> {
  const pool = createPool({ url: config.databaseUrl, max: config.dbPoolMax, statementTimeoutMs: config.dbStatementTimeoutMs, applicationName: 'payments', logger });
  // Independent start-up steps run side by side: the migrations, the flags and the HTTP server's plugins.
  const [, flags, { app }] = await Promise.all([
    migrate(pool, { lockId: PAYMENTS_MIGRATION_LOCK_ID, statements: PAYMENTS_MIGRATIONS, logger }),
    createFlags(config.flagsFile, logger, 'payments'),
    createHttpServer({ service: 'payments', logger, telemetry, shedEventLoopDelayMs: config.shedEventLoopDelayMs }),
  ]);
  const meter = telemetry.meter;
  observePool(meter, 'payments', pool, config.dbPoolMax);
  registerChargeRoutes(app, {
    pool,
    flags,
    latencyMs: config.latencyMs,
    errorRate: config.errorRate,
    shedPoolWaiting: config.shedPoolWaiting,
    created: meter.createCounter('payments.charges.created', { description: 'Charges written (replays of an idempotency key not counted).' }),
    injectedFailures: meter.createCounter('payments.charges.injected_failures', { description: 'Charges answered 503 on purpose (PAYMENTS_ERROR_RATE, paymentFailureRate).' }),
  });
  app.get('/ready', { config: { shed: false } }, async (_request, reply) => {
    try {
      await pool.query('SELECT 1');
      return { status: 'ready', checks: { database: 'ok' } };
    } catch {
      return reply.code(503).send({ status: 'degraded', checks: { database: 'degraded' } });
    }
  });

  onShutdownSignals({
    app,
    logger,
    timeoutMs: config.shutdownTimeoutMs,
    resources: [
      { name: 'postgres pool', close: () => pool.end() },
      { name: 'flags', close: () => flags.close() },
      { name: 'telemetry', close: () => telemetry.shutdown() },
    ],
  });

  const address = await app.listen({ host: config.host, port: config.port });
  process.stdout.write(`payments listening on ${address}\n`);
}
