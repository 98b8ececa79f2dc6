/**
 * Orders. POST /orders, in steps, so that an order is acknowledged only once
 * durable and is never charged twice:
 *   1. one transaction: find the key, or price the lines and insert the order
 *      (status pending) with its lines; a concurrent duplicate waits on the
 *      unique key and then finds the winner's order;
 *   2. charge through payments with an idempotency key derived from the order id
 *      (every retry or duplicate asks for the same charge);
 *   3. mark it paid (one statement) and answer 201 from the request that did so,
 *      200 (same body) from every replay or concurrent duplicate.
 * A failure after 1 leaves a pending order that the same key completes later.
 */
import type { Counter } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import { HttpError, badRequest, notFound } from '../shared/errors.js';
import { checkPoolPressure, inTransaction } from '../shared/db.js';
import type { Pool, Queryable } from '../shared/db.js';
import { traced } from '../shared/trace-context.js';
import { parseId } from './menu.js';
import { requestHash, validateIdempotencyKey, validateOrder } from './order-request.js';
import type { OrderRequest } from './order-request.js';
import type { PaymentsClient } from './payments-client.js';

export interface Order {
  id: number;
  status: 'pending' | 'paid';
  totalCents: number;
  items: Array<{ menuItemId: number; name: string; quantity: number; unitPriceCents: number }>;
  customer: string | null;
  paymentId: string | null;
  createdAt: string;
}

interface OrderRow {
  id: number;
  status: 'pending' | 'paid';
  total_cents: number;
  customer: string | null;
  payment_id: string | null;
  created_at: Date;
  request_hash: string;
  items: Array<{ menuItemId: number; name: string; quantity: number; unitPriceCents: number }>;
}

const SELECT_ORDER = `
  SELECT o.id, o.status, o.total_cents, o.customer, o.payment_id, o.created_at, o.request_hash,
         COALESCE((SELECT json_agg(json_build_object('menuItemId', i.menu_item_id, 'name', i.name, 'quantity', i.quantity, 'unitPriceCents', i.unit_price_cents) ORDER BY i.line)
                   FROM order_items i WHERE i.order_id = o.id), '[]') AS items
  FROM orders o`;

function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    status: row.status,
    totalCents: row.total_cents,
    items: row.items,
    customer: row.customer,
    paymentId: row.payment_id,
    createdAt: row.created_at.toISOString(),
  };
}

async function findByKey(client: Queryable, key: string): Promise<OrderRow | undefined> {
  return (await client.query<OrderRow>(`${SELECT_ORDER} WHERE o.idempotency_key = $1`, [key])).rows[0];
}

/** Step 1. Resolves with the order row and whether this call created it. */
async function createOrFind(pool: Pool, key: string, order: OrderRequest): Promise<{ row: OrderRow; created: boolean }> {
  const hash = requestHash(order);
  return inTransaction(pool, async (client) => {
    const existing = await findByKey(client, key);
    if (existing !== undefined) return { row: existing, created: false };

    const ids = [...new Set(order.items.map((l) => l.menuItemId))];
    const menu = await client.query<{ id: number; name: string; price_cents: number }>('SELECT id, name, price_cents FROM menu_items WHERE id = ANY($1::int[])', [ids]);
    const byId = new Map(menu.rows.map((r) => [r.id, r]));
    const missing = order.items.findIndex((l) => !byId.has(l.menuItemId));
    if (missing >= 0) {
      throw badRequest('UNKNOWN_MENU_ITEM', `items[${missing}].menuItemId must be the id of a menu item (see GET /menu), received ${order.items[missing]?.menuItemId}`);
    }
    const priced = order.items.map((l) => ({ ...l, name: byId.get(l.menuItemId)?.name ?? '', unitPriceCents: byId.get(l.menuItemId)?.price_cents ?? 0 }));
    const total = priced.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0);

    const inserted = await client.query<{ id: number }>(
      `INSERT INTO orders (idempotency_key, request_hash, customer, status, total_cents)
       VALUES ($1, $2, $3, 'pending', $4) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
      [key, hash, order.customer, total],
    );
    const id = inserted.rows[0]?.id;
    if (id === undefined) {
      // A concurrent request with the same key committed first: use its order.
      const winner = await findByKey(client, key);
      if (winner === undefined) throw new Error(`order for key ${key} vanished after a conflict`);
      return { row: winner, created: false };
    }
    await client.query(
      `INSERT INTO order_items (order_id, line, menu_item_id, name, quantity, unit_price_cents)
       SELECT $1, line, menu_item_id, name, quantity, price FROM unnest($2::int[], $3::int[], $4::text[], $5::int[], $6::int[]) AS t(line, menu_item_id, name, quantity, price)`,
      [id, priced.map((_, i) => i + 1), priced.map((l) => l.menuItemId), priced.map((l) => l.name), priced.map((l) => l.quantity), priced.map((l) => l.unitPriceCents)],
    );
    const row = await findByKey(client, key);
    if (row === undefined) throw new Error(`order ${id} not readable in its own transaction`);
    return { row, created: true };
  });
}

export interface OrderRoutesOptions {
  pool: Pool;
  payments: PaymentsClient;
  shedPoolWaiting: number;
  ordersCreated: Counter;
}

export function registerOrderRoutes(app: FastifyInstance, options: OrderRoutesOptions): void {
  const { pool, payments } = options;

  app.post('/orders', async (request, reply) => {
    const key = validateIdempotencyKey(request.headers['idempotency-key']);
    const order = validateOrder(request.body);
    checkPoolPressure(pool, options.shedPoolWaiting);

    const { row } = await traced(request, () => createOrFind(pool, key, order));
    if (row.request_hash !== requestHash(order)) {
      throw new HttpError('IDEMPOTENCY_KEY_REUSED', 422, `Idempotency-Key ${JSON.stringify(key)} was already used for order ${row.id} with a different body; use a new key for a new order`);
    }
    // 201 from the one request that made the order paid (acknowledged); 200 for replays.
    let acknowledged = false;
    let final = row;
    if (row.status !== 'paid') {
      const charge = await payments.charge({ orderId: row.id, amountCents: row.total_cents, idempotencyKey: `cafe-order-${row.id}` }, request.traceContext);
      const paid = await traced(request, () => pool.query(`UPDATE orders SET status = 'paid', payment_id = $2, paid_at = now() WHERE id = $1 AND status = 'pending'`, [row.id, charge.id]));
      if (paid.rowCount === 1) {
        acknowledged = true;
        options.ordersCreated.add(1);
        traced(request, () => request.log.info({ orderId: row.id, totalCents: row.total_cents, paymentId: charge.id }, `order ${row.id} paid`));
      }
      const reread = (await traced(request, () => pool.query<OrderRow>(`${SELECT_ORDER} WHERE o.id = $1`, [row.id]))).rows[0];
      if (reread === undefined) throw new Error(`order ${row.id} vanished after payment`);
      final = reread;
    }
    return reply
      .code(acknowledged ? 201 : 200)
      .header('location', `/orders/${final.id}`)
      .header('idempotent-replayed', acknowledged ? 'false' : 'true')
      .send(toOrder(final));
  });

  app.get('/orders/:id', async (request) => {
    const id = parseId((request.params as { id?: unknown }).id, 'id');
    const row = (await traced(request, () => pool.query<OrderRow>(`${SELECT_ORDER} WHERE o.id = $1`, [id]))).rows[0];
    if (row === undefined) throw notFound('ORDER_NOT_FOUND', `no order with id ${id}`);
    return toOrder(row);
  });
}
