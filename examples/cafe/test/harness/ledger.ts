/**
 * Reads the services' own tables with `pg`, to check the invariant every drill
 * checks: every order acknowledged with 201 exists exactly once, and none was
 * charged twice. The table and column names are the services' schema
 * (src/cafe and src/payments migrations).
 */
import type { PostgresServer } from './postgres.js';

export interface Ledger {
  /** Order rows per idempotency key. */
  ordersByKey(keys: readonly string[]): Promise<Map<string, number>>;
  /** Order rows with this id (0 or 1). */
  orderCount(id: string | number): Promise<number>;
  /** Charge rows per order id, for every order charged at all. */
  chargesByOrder(): Promise<Map<string, number>>;
  totalOrders(): Promise<number>;
}

export function ledger(postgres: PostgresServer, cafeDb: string, paymentsDb: string): Ledger {
  return {
    async ordersByKey(keys) {
      const { rows } = await postgres.query<{ key: string; n: string }>(
        cafeDb,
        'SELECT idempotency_key AS key, count(*) AS n FROM orders WHERE idempotency_key = ANY($1::text[]) GROUP BY idempotency_key',
        [keys],
      );
      return new Map(rows.map((r) => [r.key, Number(r.n)]));
    },
    async orderCount(id) {
      const { rows } = await postgres.query<{ n: string }>(cafeDb, 'SELECT count(*) AS n FROM orders WHERE id::text = $1', [String(id)]);
      return Number(rows[0]?.n ?? 0);
    },
    async chargesByOrder() {
      const { rows } = await postgres.query<{ order_id: string; n: string }>(paymentsDb, 'SELECT order_id::text AS order_id, count(*) AS n FROM charges GROUP BY order_id');
      return new Map(rows.map((r) => [r.order_id, Number(r.n)]));
    },
    async totalOrders() {
      const { rows } = await postgres.query<{ n: string }>(cafeDb, 'SELECT count(*) AS n FROM orders');
      return Number(rows[0]?.n ?? 0);
    },
  };
}
