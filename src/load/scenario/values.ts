/**
 * Readers of scenario values: durations ("500ms", "10s", "2m", "1m30s"), numbers,
 * think time ("1s-3s", "2s" or { min, max }). Each returns the value, or records a
 * problem and returns undefined.
 */
import { parseDuration } from '../../config/index.js';
import { checkKeys, isRecord } from './problems.js';
import type { KeyPath, Problems } from './problems.js';

const DURATION_FIX = 'write a number with a unit: ms, s, m or h, such as 500ms, 10s, 2m or 1m30s';

/** A duration in ms; `min` is the least allowed (0 by default). */
export function readDuration(raw: unknown, path: KeyPath, problems: Problems, min = 0): number | undefined {
  if (typeof raw === 'number') {
    return problems.add(path, 'must be a duration with its unit, such as 30s', raw, `write the unit: "${raw}s" for seconds or "${raw}ms" for milliseconds`);
  }
  const ms = typeof raw === 'string' ? parseDuration(raw.trim()) : undefined;
  if (ms === undefined) return problems.add(path, 'must be a duration such as 30s', raw, DURATION_FIX);
  if (ms < min) return problems.add(path, `must be at least ${min}ms`, raw, min === 1 ? 'give a duration above zero, such as 1s' : `give at least ${min}ms`);
  return ms;
}

/** A whole number >= min. */
export function readInteger(raw: unknown, path: KeyPath, problems: Problems, min: number): number | undefined {
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= min) return raw;
  return problems.add(path, `must be a whole number of at least ${min}`, raw, `write a whole number such as ${Math.max(min, 10)}`);
}

/** A finite number >= min (or > min when `exclusive`). */
export function readNumber(raw: unknown, path: KeyPath, problems: Problems, min: number, exclusive = false): number | undefined {
  if (typeof raw === 'number' && Number.isFinite(raw) && (exclusive ? raw > min : raw >= min)) return raw;
  const bound = exclusive ? `above ${min}` : `of at least ${min}`;
  return problems.add(path, `must be a number ${bound}`, raw, `write a number such as ${Math.max(min, 10)}`);
}

export function readBoolean(raw: unknown, path: KeyPath, problems: Problems): boolean | undefined {
  if (typeof raw === 'boolean') return raw;
  return problems.add(path, 'must be true or false', raw, 'write true or false, without quotes');
}

/** A non-empty string. */
export function readString(raw: unknown, path: KeyPath, problems: Problems, example: string): string | undefined {
  if (typeof raw === 'string' && raw.trim() !== '') return raw;
  const quoted = isRecord(raw) && Object.keys(raw).some((k) => k.startsWith('{'));
  const fix = quoted ? `a template must be quoted in YAML: '{{uuid}}'` : `write a string such as ${example}`;
  return problems.add(path, 'must be a non-empty string', raw, fix);
}

const THINK_RANGE = /^\s*([^\s-]+)\s*-\s*([^\s-]+)\s*$/;
const THINK_FIX = 'write a range "1s-3s", one duration "2s", or { min: 1s, max: 3s }';

/** Think time as Locust's `between(min, max)`: "1s-3s", "2s" or { min, max }. */
export function readThink(raw: unknown, path: KeyPath, problems: Problems): { min: number; max: number } | undefined {
  let min: number | undefined;
  let max: number | undefined;
  if (isRecord(raw)) {
    checkKeys(raw, path, ['min', 'max'], problems);
    if (raw.min === undefined || raw.max === undefined) return problems.add(path, 'must have both min and max', raw, THINK_FIX);
    min = readDuration(raw.min, [...path, 'min'], problems);
    max = readDuration(raw.max, [...path, 'max'], problems);
  } else if (typeof raw === 'string') {
    const range = THINK_RANGE.exec(raw);
    const one = range ? undefined : parseDuration(raw.trim());
    if (one !== undefined) return { min: one, max: one };
    if (!range) return problems.add(path, 'must be a think time such as "1s-3s"', raw, THINK_FIX);
    min = parseDuration(range[1] ?? '');
    max = parseDuration(range[2] ?? '');
    if (min === undefined || max === undefined) return problems.add(path, 'must be a think time such as "1s-3s"', raw, `${THINK_FIX}; each end needs its unit`);
  } else {
    return problems.add(path, 'must be a think time such as "1s-3s"', raw, THINK_FIX);
  }
  if (min === undefined || max === undefined) return undefined;
  if (min > max) return problems.add(path, 'must have min <= max', raw, 'swap the two ends');
  return { min, max };
}
