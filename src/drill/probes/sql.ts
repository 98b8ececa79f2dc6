/**
 * sql probes and invariants over the Postgres wire protocol (`pg`), on the lab's
 * DIRECT database URL (not through its fault proxy, so they still see the data while
 * a fault is active). The URL holds the password: it never appears in a message.
 */
import pg from 'pg';
import type { SqlProbe } from '../types.js';
import type { ProbeOutcome } from './outcome.js';
import { checkTolerance } from './tolerance.js';

export interface SqlRunner {
  /** Rows as arrays (first column first). Rejects on a SQL or connection error. */
  query(text: string, values?: unknown[]): Promise<unknown[][]>;
  close(): Promise<void>;
}

const TIMEOUT_MS = 10_000;

/** A small pool on `url`; errors are returned with the URL (and so the password) taken out. */
export function createSqlRunner(url: string): SqlRunner {
  const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: TIMEOUT_MS, query_timeout: TIMEOUT_MS, idleTimeoutMillis: 5000, application_name: 'cloudlab-drill' });
  // An idle client's error (the server restarted) must not crash the drill.
  pool.on('error', () => undefined);
  let password = '';
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    // not a URL: pg reports it
  }
  const scrub = (message: string): string => {
    const out = message.split(url).join('<the lab database>');
    return password.length >= 4 ? out.split(password).join('***') : out;
  };
  return {
    async query(text, values) {
      try {
        const result = await pool.query<unknown[]>({ text, values: values ?? [], rowMode: 'array' });
        return result.rows;
      } catch (err) {
        throw new Error(scrub((err as Error).message || String(err)));
      }
    },
    close: () => pool.end(),
  };
}

/** The first column of the first row, as a number when it reads as one (count(*) arrives as text). */
export function firstValue(rows: unknown[][]): number | string | boolean | null {
  const cell = rows[0]?.[0];
  if (cell === undefined || cell === null) return null;
  if (typeof cell === 'number' || typeof cell === 'boolean') return cell;
  if (typeof cell === 'bigint') return Number(cell);
  const text = cell instanceof Date ? cell.toISOString() : typeof cell === 'string' ? cell : JSON.stringify(cell);
  return /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(text.trim()) ? Number(text) : text;
}

export async function runSqlProbe(probe: SqlProbe, sql: SqlRunner | null): Promise<ProbeOutcome> {
  if (sql === null) return { ok: false, value: null, reason: 'the lab has no Postgres connection to query' };
  let rows: unknown[][];
  try {
    rows = await sql.query(probe.query);
  } catch (err) {
    return { ok: false, value: null, reason: `SQL error: ${(err as Error).message}` };
  }
  const value = firstValue(rows);
  if (value === null || (typeof value === 'number' && Number.isNaN(value))) {
    const why = rows.length === 0 ? 'no data: the query returned no rows' : 'no data: the first column of the first row is NULL';
    return probe.noData === 'pass' ? { ok: true, value: null, reason: `${why} (no_data: pass)` } : { ok: false, value: null, reason: why };
  }
  const verdict = checkTolerance(value, probe.tolerance);
  const shown = typeof value === 'boolean' ? String(value) : value;
  return verdict.ok ? { ok: true, value: shown, reason: null } : { ok: false, value: shown, reason: verdict.reason };
}
