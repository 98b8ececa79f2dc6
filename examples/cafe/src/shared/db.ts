/**
 * Postgres through pg's Pool: bounded size, server-side statement timeouts, a
 * client-side query timeout for a database that stops answering, a quick connect
 * timeout, and migrations under an advisory lock so replicas can start together.
 */
import pg from 'pg';
import type { Logger } from './logger.js';
import { unavailable } from './errors.js';
import { carryContext } from './trace-context.js';

export type Pool = pg.Pool;

export interface PoolOptions {
  url: string;
  max: number;
  statementTimeoutMs: number;
  applicationName: string;
  logger: Logger;
}

export function createPool(options: PoolOptions): Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max,
    statement_timeout: options.statementTimeoutMs,
    // The server enforces statement_timeout; this catches a server (or proxy) that went silent.
    query_timeout: options.statementTimeoutMs + 1000,
    connectionTimeoutMillis: Math.min(options.statementTimeoutMs, 5000),
    idleTimeoutMillis: 10_000,
    application_name: options.applicationName,
  });
  // An idle client whose server went away: pg drops it; log instead of crashing.
  pool.on('error', (err) => options.logger.warn({ err }, `postgres: idle client error: ${err.message}`));
  return pool;
}

/** Load shedding at the pool: refuse at once when too many queries already wait. */
export function checkPoolPressure(pool: Pool, maxWaiting: number): void {
  if (maxWaiting > 0 && pool.waitingCount >= maxWaiting) {
    throw unavailable('OVERLOADED', `shedding load: ${pool.waitingCount} queries wait for a database connection (bound ${maxWaiting}); retry later`);
  }
}

/** What a transaction's body queries through: its client, in the caller's trace context. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/**
 * Runs fn in one transaction on one client; rolls back on any error. Every statement
 * runs in the context active when inTransaction was called (trace-context.ts).
 */
export async function inTransaction<T>(pool: Pool, fn: (client: Queryable) => Promise<T>): Promise<T> {
  const resume = carryContext();
  const client = await resume(() => pool.connect());
  const queryable: Queryable = { query: (text, values) => resume(() => client.query(text, values)) };
  let broken: Error | undefined;
  try {
    await queryable.query('BEGIN');
    const result = await fn(queryable);
    await queryable.query('COMMIT');
    return result;
  } catch (err) {
    if (isDatabaseUnavailable(err)) {
      // A dead or stalled connection would make ROLLBACK wait out another timeout:
      // destroy it instead (the server rolls back a transaction whose session ends).
      broken = err as Error;
      throw err;
    }
    try {
      await queryable.query('ROLLBACK');
    } catch (rollbackError) {
      broken = rollbackError as Error; // the connection is unusable: destroy it on release
    }
    throw err;
  } finally {
    client.release(broken);
  }
}

/**
 * True for errors that mean "the database is unavailable or too slow right now":
 * refused or dropped connections, pool connect timeouts, statement and query
 * timeouts, and the server shutting down. The HTTP layer answers 503 for them.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (CONNECT_ERRORS.has(code) || code === 'EPIPE' || code === 'ETIMEDOUT') return true;
    // 57014 query_canceled (statement_timeout), 57P01..57P03 admin shutdown, crash, cannot connect; 08xxx connection exceptions; 53xxx resources
    if (code === '57014' || code.startsWith('57P') || code.startsWith('08') || code.startsWith('53')) return true;
  }
  return /timeout exceeded when trying to connect|Connection terminated|Query read timeout|connection (?:is )?(?:closed|ended)|Client has encountered a connection error/i.test(err.message);
}

export interface MigrateOptions {
  /** A stable integer per service: replicas of one service serialize on it. */
  lockId: number;
  /** Statements run in order in one transaction. */
  statements: readonly string[];
  logger: Logger;
  /** Keep retrying a refused connection this long (the database may still be starting). */
  connectDeadlineMs?: number;
}

const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', '57P03' /* cannot_connect_now */]);

function isConnectError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECT_ERRORS.has(code)) return true;
  return err instanceof Error && /timeout exceeded when trying to connect|Connection terminated/i.test(err.message);
}

export async function migrate(pool: Pool, options: MigrateOptions): Promise<void> {
  const deadline = Date.now() + (options.connectDeadlineMs ?? 15_000);
  for (let attempt = 1; ; attempt++) {
    try {
      await inTransaction(pool, async (client) => {
        await client.query("SET LOCAL statement_timeout = '60s'");
        await client.query('SELECT pg_advisory_xact_lock($1)', [options.lockId]);
        for (const statement of options.statements) await client.query(statement);
      });
      return;
    } catch (err) {
      if (!isConnectError(err) || Date.now() > deadline) throw err;
      const delayMs = Math.min(2000, 100 * 2 ** attempt);
      options.logger.warn({ err }, `postgres not reachable yet (${(err as Error).message}); retrying in ${delayMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
