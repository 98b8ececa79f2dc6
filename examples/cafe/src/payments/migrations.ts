/** The payments schema: one table of charges, unique per idempotency key. */
export const PAYMENTS_MIGRATION_LOCK_ID = 0x7061_7901; // "pay" + 1

export const PAYMENTS_MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS charges (
     id text PRIMARY KEY,
     order_id integer NOT NULL,
     amount_cents integer NOT NULL CHECK (amount_cents > 0),
     idempotency_key text NOT NULL UNIQUE,
     status text NOT NULL CHECK (status IN ('succeeded')),
     created_at timestamptz NOT NULL DEFAULT now()
   )`,
  'CREATE INDEX IF NOT EXISTS charges_order_id_idx ON charges (order_id)',
];
