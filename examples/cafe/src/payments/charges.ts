/**
 * POST /charges (idempotent on idempotencyKey) and GET /charges?orderId=.
 * Latency and failures can be injected: PAYMENTS_LATENCY_MS, PAYMENTS_ERROR_RATE
 * and the paymentFailureRate flag (the higher rate wins).
 */
import { randomUUID } from 'node:crypto';
import type { Counter } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { badRequest, describe, HttpError, unavailable } from '../shared/errors.js';
import { checkPoolPressure } from '../shared/db.js';
import { traced } from '../shared/trace-context.js';
import type { Pool } from '../shared/db.js';
import type { Flags } from '../shared/flags.js';

export interface Charge {
  id: string;
  orderId: number;
  amountCents: number;
  status: 'succeeded';
  createdAt: string;
}

interface ChargeRow {
  id: string;
  order_id: number;
  amount_cents: number;
  status: 'succeeded';
  created_at: Date;
}

interface ChargeRequest {
  orderId: number;
  amountCents: number;
  idempotencyKey: string;
}

const COLUMNS = 'id, order_id, amount_cents, status, created_at';

function toCharge(row: ChargeRow): Charge {
  return { id: row.id, orderId: row.order_id, amountCents: row.amount_cents, status: row.status, createdAt: row.created_at.toISOString() };
}

function isPositiveInt(value: unknown, max = 2_147_483_647): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= max;
}

export function validateCharge(body: unknown): ChargeRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('INVALID_BODY', `body must be a JSON object { orderId, amountCents, idempotencyKey }, received ${describe(body)}`);
  }
  const { orderId, amountCents, idempotencyKey } = body as Record<string, unknown>;
  if (!isPositiveInt(orderId)) throw badRequest('INVALID_BODY', `orderId must be a positive integer, received ${describe(orderId)}`);
  if (!isPositiveInt(amountCents)) throw badRequest('INVALID_BODY', `amountCents must be a positive integer, received ${describe(amountCents)}`);
  if (typeof idempotencyKey !== 'string' || idempotencyKey.length < 1 || idempotencyKey.length > 200) {
    throw badRequest('INVALID_BODY', `idempotencyKey must be a string of 1 to 200 characters, received ${describe(idempotencyKey)}`);
  }
  return { orderId, amountCents, idempotencyKey };
}

export interface ChargeRoutesOptions {
  pool: Pool;
  flags: Flags;
  latencyMs: number;
  errorRate: number;
  shedPoolWaiting: number;
  created: Counter;
  injectedFailures: Counter;
}

export function registerChargeRoutes(app: FastifyInstance, options: ChargeRoutesOptions): void {
  const { pool } = options;

  app.post('/charges', async (request, reply) => {
    const charge = validateCharge(request.body);
    if (options.latencyMs > 0) await sleep(options.latencyMs);
    const rate = Math.max(options.errorRate, options.flags.paymentFailureRate());
    if (rate > 0 && Math.random() < rate) {
      options.injectedFailures.add(1);
      throw unavailable('PAYMENTS_INJECTED_FAILURE', `injected failure (error rate ${rate}); retry later`);
    }
    checkPoolPressure(pool, options.shedPoolWaiting);
    const inserted = await traced(request, () =>
      pool.query<ChargeRow>(
        `INSERT INTO charges (id, order_id, amount_cents, idempotency_key, status)
         VALUES ($1, $2, $3, $4, 'succeeded')
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING ${COLUMNS}`,
        [`ch_${randomUUID()}`, charge.orderId, charge.amountCents, charge.idempotencyKey],
      ),
    );
    const row = inserted.rows[0];
    if (row !== undefined) {
      options.created.add(1);
      traced(request, () => request.log.info({ chargeId: row.id, orderId: row.order_id, amountCents: row.amount_cents }, `charge ${row.id} created`));
      return reply.code(201).header('location', `/charges/${row.id}`).send(toCharge(row));
    }
    const existing = await traced(request, () => pool.query<ChargeRow>(`SELECT ${COLUMNS} FROM charges WHERE idempotency_key = $1`, [charge.idempotencyKey]));
    const previous = existing.rows[0];
    if (previous === undefined) throw unavailable('PAYMENTS_CONFLICT', 'the charge for this idempotencyKey is being written; retry');
    if (previous.order_id !== charge.orderId || previous.amount_cents !== charge.amountCents) {
      throw new HttpError(
        'IDEMPOTENCY_KEY_REUSED',
        422,
        `idempotencyKey ${JSON.stringify(charge.idempotencyKey)} was used for orderId ${previous.order_id} and amountCents ${previous.amount_cents}, received orderId ${charge.orderId} and amountCents ${charge.amountCents}`,
      );
    }
    return reply.code(200).header('location', `/charges/${previous.id}`).header('idempotent-replayed', 'true').send(toCharge(previous));
  });

  app.get('/charges', async (request) => {
    const raw = (request.query as Record<string, unknown>)['orderId'];
    const orderId = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!isPositiveInt(orderId)) throw badRequest('INVALID_QUERY', `orderId must be a positive integer, received ${describe(raw)}`);
    const rows = await traced(request, () => pool.query<ChargeRow>(`SELECT ${COLUMNS} FROM charges WHERE order_id = $1 ORDER BY created_at, id`, [orderId]));
    return { charges: rows.rows.map(toCharge) };
  });

  app.get('/charges/:id', async (request) => {
    const { id } = request.params as { id: string };
    const rows = await traced(request, () => pool.query<ChargeRow>(`SELECT ${COLUMNS} FROM charges WHERE id = $1`, [id]));
    const row = rows.rows[0];
    if (row === undefined) throw new HttpError('CHARGE_NOT_FOUND', 404, `no charge with id ${JSON.stringify(id)}`);
    return toCharge(row);
  });
}
