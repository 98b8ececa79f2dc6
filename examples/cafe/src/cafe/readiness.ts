/**
 * GET /ready: each dependency checked in parallel with a short timeout.
 * 200 { status: 'ready', checks } when all are ok; 503 { status: 'degraded', checks }
 * with the failing ones marked 'degraded' otherwise. (Liveness is /health, which
 * never looks at dependencies: a degraded dependency is no reason to restart.)
 */
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Pool } from '../shared/db.js';
import type { PaymentsClient } from './payments-client.js';

const CHECK_TIMEOUT_MS = 1000;

type CheckResult = 'ok' | 'degraded';

async function check(run: () => Promise<unknown>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
  });
  try {
    const outcome = await Promise.race([run().then((value) => value !== false), expired]);
    return outcome ? 'ok' : 'degraded';
  } catch {
    return 'degraded';
  } finally {
    clearTimeout(timer);
  }
}

export interface ReadinessOptions {
  pool: Pool;
  redis: Redis;
  payments: PaymentsClient;
}

export function registerReadiness(app: FastifyInstance, options: ReadinessOptions): void {
  app.get('/ready', { config: { shed: false } }, async (_request, reply) => {
    const [database, cache, payments] = await Promise.all([
      check(() => options.pool.query('SELECT 1')),
      check(() => options.redis.ping()),
      check(() => options.payments.healthy(CHECK_TIMEOUT_MS)),
    ]);
    const checks = { database, cache, payments };
    const ready = database === 'ok' && cache === 'ok' && payments === 'ok';
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'degraded', checks });
  });
}
