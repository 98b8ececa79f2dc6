/** Readers of a drill file's values: each records a problem and returns undefined when the value is wrong. */
import { parseDuration } from '../../config/index.js';
import type { Tolerance } from '../types.js';
import { isRecord } from './problems.js';
import type { KeyPath, Problems } from './problems.js';

export function readString(raw: unknown, path: KeyPath, problems: Problems, example: string): string | undefined {
  if (typeof raw === 'string' && raw.trim() !== '') return raw;
  return problems.add(path, 'must be a non-empty string', raw, `write ${String(path.at(-1))}: ${example}`);
}

/** A duration such as 500ms, 2s, 1m or 1m30s; a bare number is refused (seconds or milliseconds?). */
export function readDuration(raw: unknown, path: KeyPath, problems: Problems, minMs = 0): number | undefined {
  const key = String(path.at(-1));
  if (typeof raw === 'number') return problems.add(path, 'must be a duration with its unit such as 500ms, 2s or 1m', raw, `write ${key}: ${raw}s (or ${raw}ms)`);
  const ms = typeof raw === 'string' ? parseDuration(raw.trim()) : undefined;
  if (ms === undefined) return problems.add(path, 'must be a duration such as 500ms, 2s or 1m', raw, 'write a number with its unit: ms, s, m or h, such as 500ms, 10s, 2m or 1m30s');
  if (ms < minMs) return problems.add(path, `must be at least ${minMs} ms`, raw, `write a longer duration, such as ${Math.max(minMs, 1000)}ms`);
  return ms;
}

export function readNumber(raw: unknown, path: KeyPath, problems: Problems): number | undefined {
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  if (typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
  return problems.add(path, 'must be a number', raw, `write ${String(path.at(-1))}: 0.01`);
}

export function readInteger(raw: unknown, path: KeyPath, problems: Problems, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const n = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
  if (typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max) return n;
  return problems.add(path, `must be a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}`, raw, `write ${String(path.at(-1))}: ${Math.max(min, 1)}`);
}

export function readBoolean(raw: unknown, path: KeyPath, problems: Problems): boolean | undefined {
  if (typeof raw === 'boolean') return raw;
  return problems.add(path, 'must be true or false', raw, `write ${String(path.at(-1))}: true`);
}

/** `no_data: fail | pass`. */
export function readNoData(raw: unknown, path: KeyPath, problems: Problems, fallback: 'fail' | 'pass'): 'fail' | 'pass' {
  if (raw === undefined) return fallback;
  if (raw === 'fail' || raw === 'pass') return raw;
  problems.add(path, 'must be "fail" or "pass"', raw, 'write no_data: fail (an empty result fails the probe) or no_data: pass');
  return fallback;
}

export const TOLERANCE_KEYS = ['min', 'max', 'equals'] as const;

/** min / max (inclusive), or equals; at least one is required. */
export function readTolerance(raw: Record<string, unknown>, path: KeyPath, problems: Problems): Tolerance {
  const tolerance: Tolerance = {};
  if (raw['min'] !== undefined) tolerance.min = readNumber(raw['min'], [...path, 'min'], problems);
  if (raw['max'] !== undefined) tolerance.max = readNumber(raw['max'], [...path, 'max'], problems);
  if (raw['equals'] !== undefined) {
    const equals = raw['equals'];
    if (typeof equals === 'number' || typeof equals === 'string' || typeof equals === 'boolean') tolerance.equals = equals;
    else problems.add([...path, 'equals'], 'must be a number, a string or a boolean', equals, 'write equals: 0');
  }
  if (raw['min'] === undefined && raw['max'] === undefined && raw['equals'] === undefined) {
    problems.add(path, 'must have a tolerance: any of min / max, or equals', raw, 'add max: 0.01 (or min: 1, or equals: 0)');
  } else if (tolerance.equals !== undefined && (tolerance.min !== undefined || tolerance.max !== undefined)) {
    problems.add([...path, 'equals'], 'cannot stand beside min or max', raw['equals'], 'keep either equals or min / max');
  } else if (tolerance.min !== undefined && tolerance.max !== undefined && tolerance.min > tolerance.max) {
    problems.add([...path, 'min'], `must be at most max (${tolerance.max})`, tolerance.min, 'swap min and max');
  }
  return tolerance;
}

export function readRecord(raw: unknown, path: KeyPath, problems: Problems, example: string): Record<string, unknown> | undefined {
  if (isRecord(raw)) return raw;
  return problems.add(path, 'must be a map', raw, `write ${example}`);
}

export function readList(raw: unknown, path: KeyPath, problems: Problems, example: string): unknown[] | undefined {
  if (raw === undefined || raw === null) return [];
  if (Array.isArray(raw)) return raw as unknown[];
  return problems.add(path, 'must be a list', raw, `write ${String(path.at(-1))}: [${example}]`);
}
