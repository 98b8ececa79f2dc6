/** A drill file's `rollbacks:` (always run, in order) and `invariants:` (checked at the end). */
import type { Invariant, Rollback } from '../types.js';
import { checkKeys, isRecord } from './problems.js';
import type { KeyPath, Problems } from './problems.js';
import { PROBE_KINDS, readProbe, uniqueNames } from './probes.js';
import { readList, readString } from './values.js';

const ROLLBACK_KINDS = ['chaos', 'flag'];
const RECORDED_KEYS = ['table', 'key_column', 'acknowledged_status'];
/** A table or column name, optionally schema-qualified: quoted when used, never interpolated raw. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;
const FLAG_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,99}$/;

function readRollback(raw: unknown, path: KeyPath, problems: Problems): Rollback | undefined {
  if (!isRecord(raw)) return problems.add(path, 'must be a map: { chaos: reset } or { flag: { key, value } }', raw, 'write - chaos: reset');
  checkKeys(raw, path, ROLLBACK_KINDS, problems);
  const kinds = ROLLBACK_KINDS.filter((k) => raw[k] !== undefined);
  if (kinds.length !== 1) return problems.add(path, 'must have exactly one of chaos or flag', raw, 'write - chaos: reset, or - flag: { key: cacheDisabled, value: null }');
  if (kinds[0] === 'chaos') {
    if (raw['chaos'] === 'reset') return { kind: 'chaos-reset' };
    return problems.add([...path, 'chaos'], 'must be "reset" (POST /api/chaos/reset removes every active fault)', raw['chaos'], 'write chaos: reset');
  }
  const flag = raw['flag'];
  if (!isRecord(flag)) return problems.add([...path, 'flag'], 'must be a map { key, value }', flag, 'write flag: { key: cacheDisabled, value: null }');
  checkKeys(flag, [...path, 'flag'], ['key', 'value'], problems);
  const key = readString(flag['key'], [...path, 'flag', 'key'], problems, 'cacheDisabled');
  if (key !== undefined && !FLAG_KEY.test(key)) return problems.add([...path, 'flag', 'key'], 'must be a letter then letters, digits, "_", "." or "-" (at most 100)', key, 'write key: cacheDisabled');
  if (!('value' in flag)) return problems.add([...path, 'flag', 'value'], 'is required: null removes the flag, anything else sets it', undefined, 'write value: null');
  const value = flag['value'];
  if (value !== null && typeof value !== 'boolean' && typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value)) && !isRecord(value)) {
    return problems.add([...path, 'flag', 'value'], 'must be null, a boolean, a number, a string or a map', value, 'write value: null');
  }
  if (key === undefined) return undefined;
  return { kind: 'flag', key, value };
}

export function readRollbacks(raw: unknown, problems: Problems): Rollback[] {
  const list = readList(raw, ['rollbacks'], problems, '{ chaos: reset }') ?? [];
  return list.map((r, i) => readRollback(r, ['rollbacks', i], problems)).filter((r): r is Rollback => r !== undefined);
}

function readInvariant(raw: unknown, path: KeyPath, problems: Problems): Invariant | undefined {
  if (isRecord(raw) && raw['recorded_orders'] !== undefined) {
    checkKeys(raw, path, ['name', 'recorded_orders'], problems);
    for (const kind of PROBE_KINDS) if (raw[kind] !== undefined) problems.add([...path, kind], 'cannot stand beside recorded_orders', raw[kind], 'split it into two invariants');
    const name = readString(raw['name'], [...path, 'name'], problems, 'every acknowledged order exists exactly once');
    const spec = raw['recorded_orders'];
    const at = [...path, 'recorded_orders'];
    if (!isRecord(spec)) return problems.add(at, 'must be a map { table, key_column, acknowledged_status }', spec, 'write recorded_orders: { table: orders, key_column: idempotency_key }');
    checkKeys(spec, at, RECORDED_KEYS, problems);
    const table = readString(spec['table'], [...at, 'table'], problems, 'orders');
    const keyColumn = readString(spec['key_column'], [...at, 'key_column'], problems, 'idempotency_key');
    if (table !== undefined && !IDENTIFIER.test(table)) problems.add([...at, 'table'], 'must be a table name (letters, digits, _; optionally schema.table)', table, 'write table: orders');
    if (keyColumn !== undefined && !IDENTIFIER.test(keyColumn)) problems.add([...at, 'key_column'], 'must be a column name (letters, digits, _)', keyColumn, 'write key_column: idempotency_key');
    let acknowledgedStatus = [200, 201];
    const ack = spec['acknowledged_status'];
    if (ack !== undefined) {
      const list = Array.isArray(ack) ? ack : [ack];
      if (list.length > 0 && list.every((s) => Number.isInteger(s) && (s as number) >= 100 && (s as number) <= 599)) acknowledgedStatus = list as number[];
      else problems.add([...at, 'acknowledged_status'], 'must be a status code or a list of them (100-599)', ack, 'write acknowledged_status: [200, 201]');
    }
    if (name === undefined || table === undefined || keyColumn === undefined) return undefined;
    return { kind: 'recorded-orders', name, check: { table, keyColumn, acknowledgedStatus } };
  }
  const probe = readProbe(raw, path, problems);
  return probe === undefined ? undefined : { kind: 'probe', name: probe.name, probe };
}

export function readInvariants(raw: unknown, problems: Problems): Invariant[] {
  const list = readList(raw, ['invariants'], problems, '{ name: ..., sql: ..., equals: 0 }') ?? [];
  const read = list.map((item, i) => readInvariant(item, ['invariants', i], problems));
  uniqueNames(read.map((r) => r?.name), ['invariants'], problems);
  return read.filter((r): r is Invariant => r !== undefined);
}
