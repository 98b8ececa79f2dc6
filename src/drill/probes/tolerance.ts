/** Tolerances (min / max inclusive, or equals): the check and its words. */
import type { Tolerance } from '../types.js';

export function describeTolerance(t: Tolerance): string {
  if (t.equals !== undefined) return `= ${JSON.stringify(t.equals)}`;
  if (t.min !== undefined && t.max !== undefined) return `between ${t.min} and ${t.max}`;
  if (t.min !== undefined) return `>= ${t.min}`;
  if (t.max !== undefined) return `<= ${t.max}`;
  return 'any value';
}

/** A number for display: up to 4 significant digits, whole numbers as they are. */
export function formatValue(value: number | string | boolean | null): string {
  if (value === null) return 'no value';
  if (typeof value !== 'number') return JSON.stringify(value);
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}

/** Whether `value` is within the tolerance; the reason in words when it is not. */
export function checkTolerance(value: number | string | boolean, t: Tolerance): { ok: true } | { ok: false; reason: string } {
  if (t.equals !== undefined) {
    const same = value === t.equals || (typeof t.equals === 'number' && Number(value) === t.equals && String(value).trim() !== '') || String(value) === String(t.equals);
    return same ? { ok: true } : { ok: false, reason: `${formatValue(value)} is not ${JSON.stringify(t.equals)}` };
  }
  const n = typeof value === 'number' ? value : Number(value);
  if (typeof value === 'boolean' || (typeof value === 'string' && (value.trim() === '' || Number.isNaN(n)))) {
    return { ok: false, reason: `${formatValue(value)} is not a number, and the tolerance (${describeTolerance(t)}) needs one` };
  }
  if (t.min !== undefined && n < t.min) return { ok: false, reason: `${formatValue(n)} is below the minimum ${t.min}` };
  if (t.max !== undefined && n > t.max) return { ok: false, reason: `${formatValue(n)} is above the maximum ${t.max}` };
  return { ok: true };
}

/** A value for people: text as it is, numbers as formatValue writes them. */
export function displayValue(value: number | string | boolean | null): string {
  return typeof value === 'string' ? value : formatValue(value);
}
