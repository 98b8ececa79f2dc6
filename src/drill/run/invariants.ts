/**
 * Invariants, checked at the end: any probe (usually sql), and the built-in
 * `recorded_orders`: every order the load recorded as acknowledged (status 200/201)
 * must exist exactly once in the table, looked up by its idempotency key.
 */
import { readFile } from 'node:fs/promises';
import { runProbe } from '../probes/run-probe.js';
import type { ProbeTargets } from '../probes/run-probe.js';
import type { SqlRunner } from '../probes/sql.js';
import type { Invariant, InvariantRecord, RecordedOrdersCheck } from '../types.js';

export interface RecordedRequest {
  idempotencyKey: string | null;
  status: number | null;
}

/** The load's record file (JSON lines); unreadable lines are skipped. */
export async function readRecordedRequests(file: string): Promise<RecordedRequest[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: RecordedRequest[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const parsed = JSON.parse(line) as { idempotencyKey?: unknown; status?: unknown };
      out.push({ idempotencyKey: typeof parsed.idempotencyKey === 'string' ? parsed.idempotencyKey : null, status: typeof parsed.status === 'number' ? parsed.status : null });
    } catch {
      // a line cut short by a crash: nothing to check
    }
  }
  return out;
}

/** The distinct idempotency keys of acknowledged requests. */
export function acknowledgedKeys(requests: readonly RecordedRequest[], statuses: readonly number[]): string[] {
  const keys = new Set<string>();
  for (const r of requests) if (r.idempotencyKey !== null && r.status !== null && statuses.includes(r.status)) keys.add(r.idempotencyKey);
  return [...keys];
}

export interface OrdersVerdict {
  ok: boolean;
  acknowledged: number;
  missing: string[];
  duplicated: Array<{ key: string; rows: number }>;
  detail: string;
}

const list = (items: string[], max = 10): string => (items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')}, ... (${items.length - max} more)`);

/** Compares the acknowledged keys with the rows found per key (a key absent from `rows` has none). */
export function checkRecordedOrders(acknowledged: readonly string[], rows: ReadonlyMap<string, number>): OrdersVerdict {
  const missing = acknowledged.filter((k) => (rows.get(k) ?? 0) === 0);
  const duplicated = acknowledged.filter((k) => (rows.get(k) ?? 0) > 1).map((key) => ({ key, rows: rows.get(key) ?? 0 }));
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`${missing.length} acknowledged order${missing.length === 1 ? '' : 's'} missing: ${list(missing)}`);
  if (duplicated.length > 0) parts.push(`${duplicated.length} acknowledged order${duplicated.length === 1 ? '' : 's'} stored more than once: ${list(duplicated.map((d) => `${d.key} (${d.rows} rows)`))}`);
  const ok = parts.length === 0;
  const detail = ok ? (acknowledged.length === 0 ? 'no acknowledged orders were recorded: nothing to check' : acknowledged.length === 1 ? 'the 1 acknowledged order exists exactly once' : `all ${acknowledged.length} acknowledged orders exist exactly once`) : `${parts.join('; ')} (of ${acknowledged.length} acknowledged)`;
  return { ok, acknowledged: acknowledged.length, missing, duplicated, detail };
}

const quoteIdent = (name: string): string => name.split('.').map((part) => `"${part.replace(/"/g, '""')}"`).join('.');

/** Rows per key in the table, by batches of keys. */
export async function countRowsByKey(sql: SqlRunner, check: RecordedOrdersCheck, keys: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const column = quoteIdent(check.keyColumn);
  for (let i = 0; i < keys.length; i += 5000) {
    const batch = keys.slice(i, i + 5000);
    const rows = await sql.query(`SELECT ${column}::text, count(*)::int FROM ${quoteIdent(check.table)} WHERE ${column}::text = ANY($1::text[]) GROUP BY 1`, [batch]);
    for (const [key, n] of rows) counts.set(String(key), Number(n));
  }
  return counts;
}

async function recordedOrders(name: string, check: RecordedOrdersCheck, sql: SqlRunner | null, recordFile: string | null, now: () => number): Promise<InvariantRecord> {
  const timeMs = now();
  if (recordFile === null) return { name, ok: false, detail: 'the load recorded no orders (it did not run)', value: null, timeMs };
  if (sql === null) return { name, ok: false, detail: 'the lab has no Postgres connection to check the orders in', value: null, timeMs };
  try {
    const keys = acknowledgedKeys(await readRecordedRequests(recordFile), check.acknowledgedStatus);
    const verdict = checkRecordedOrders(keys, await countRowsByKey(sql, check, keys));
    return { name, ok: verdict.ok, detail: verdict.detail, value: verdict.missing.length + verdict.duplicated.length, timeMs };
  } catch (err) {
    return { name, ok: false, detail: `could not check: ${(err as Error).message}`, value: null, timeMs };
  }
}

export async function runInvariants(invariants: readonly Invariant[], targets: ProbeTargets, recordFile: string | null, now: () => number = Date.now): Promise<InvariantRecord[]> {
  const out: InvariantRecord[] = [];
  for (const inv of invariants) {
    if (inv.kind === 'recorded-orders') {
      out.push(await recordedOrders(inv.name, inv.check, targets.sql, recordFile, now));
      continue;
    }
    const r = await runProbe(inv.probe, 'invariants', targets, now);
    const seen = r.value === null ? 'no value' : String(r.value);
    out.push({ name: inv.name, ok: r.ok, detail: r.ok ? `${seen} (${r.tolerance})` : `${r.reason ?? 'failed'} (expected ${r.tolerance})`, value: r.value, timeMs: r.timeMs });
  }
  return out;
}
