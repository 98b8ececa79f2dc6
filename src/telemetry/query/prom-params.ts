/**
 * Parameters of the Prometheus HTTP API, read as Prometheus reads them
 * (web/api/v1/api.go): times as unix seconds (a float) or RFC3339, durations as
 * float seconds or a Prometheus duration (`1h30m`, `15s`, `500ms`). Errors keep
 * Prometheus's `invalid parameter "x": ...` prefix and then say what was expected
 * and what arrived.
 */
import { LabError } from '../../errors.js';

/** What Prometheus uses for "no bound" on /api/v1/series, /labels and /label/{name}/values; safe integers in ms. */
export const MIN_TIME_MS = -8_640_000_000_000_000;
export const MAX_TIME_MS = 8_640_000_000_000_000;

// Go's time.Time zero and maximum as client_golang formats them for "no bound".
const MIN_TIME_FORMATTED = '-292273086-05-16T16:47:06Z';
const MAX_TIME_FORMATTED = '292277025-08-18T07:12:54.999999999Z';

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const PROM_DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const DURATION_UNITS_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];

export function badParam(name: string, message: string): LabError {
  return new LabError('LAB_QUERY_PROM_BAD_PARAM', `invalid parameter ${JSON.stringify(name)}: ${message}`);
}

function quote(value: string): string {
  return value.length > 80 ? `${JSON.stringify(value.slice(0, 77))}...` : JSON.stringify(value);
}

function parseRfc3339(text: string): number | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(utc);
  // Date.UTC rolls 2024-02-30 over to March; Go's parser refuses it, and so do we.
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
  // Prometheus keeps nanoseconds, then evaluates in milliseconds (truncating).
  const fractionMs = m[7] === undefined ? 0 : Math.trunc(Number(`0.${m[7]}`) * 1000);
  const offsetMs = m[8] !== undefined ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11])) * 60_000;
  return utc + fractionMs - offsetMs;
}

/** A time parameter in ms since the epoch: unix seconds with up to ms precision, or RFC3339. */
export function parseTime(name: string, text: string): number {
  if (DECIMAL.test(text)) {
    const seconds = Number(text);
    const ms = Math.round(seconds * 1000);
    if (Number.isFinite(seconds) && ms >= MIN_TIME_MS && ms <= MAX_TIME_MS) return ms;
    throw badParam(name, `expected a time as unix seconds or RFC3339 within the years -271821 to 275760, received ${quote(text)}`);
  }
  const rfc = parseRfc3339(text);
  if (rfc !== undefined) return rfc;
  if (text === MIN_TIME_FORMATTED) return MIN_TIME_MS;
  if (text === MAX_TIME_FORMATTED) return MAX_TIME_MS;
  const what = text === '' ? 'an empty value' : quote(text);
  throw badParam(name, `expected a time as unix seconds (1700000000.5) or RFC3339 (2023-11-14T22:13:20Z), received ${what}`);
}

/** A duration parameter in ms: float seconds (`15`, `0.5`) or a Prometheus duration (`15s`, `1m30s`). */
export function parseDurationMs(name: string, text: string): number {
  if (DECIMAL.test(text)) {
    const ms = Number(text) * 1000;
    if (Number.isFinite(ms) && Math.abs(ms) < 9.2e15) return ms;
    throw badParam(name, `expected a duration that fits in 64 bits of nanoseconds, received ${quote(text)}`);
  }
  const m = text === '' ? null : PROM_DURATION.exec(text);
  if (m && m[0] !== '') {
    let ms = 0;
    for (let i = 0; i < DURATION_UNITS_MS.length; i++) {
      const part = m[i + 1];
      if (part !== undefined) ms += Number(part) * DURATION_UNITS_MS[i]!;
    }
    return ms;
  }
  const what = text === '' ? 'an empty value' : quote(text);
  throw badParam(name, `expected a duration as seconds (15, 0.5) or with units (15s, 1m30s, 500ms), received ${what}`);
}

/** Request parameters: the URL's query merged with a form-encoded POST body (the body first, as Go's FormValue). */
export class PromParams {
  readonly #values: URLSearchParams[];

  constructor(...sources: URLSearchParams[]) {
    this.#values = sources;
  }

  /** The first value of `name`, or undefined when absent or empty (Prometheus treats both alike). */
  get(name: string): string | undefined {
    for (const source of this.#values) {
      const value = source.get(name);
      if (value !== null && value !== '') return value;
    }
    return undefined;
  }

  getAll(name: string): string[] {
    return this.#values.flatMap((source) => source.getAll(name));
  }

  time(name: string, fallbackMs: number): number {
    const text = this.get(name);
    return text === undefined ? fallbackMs : parseTime(name, text);
  }

  requiredTime(name: string): number {
    const text = this.get(name);
    if (text === undefined) throw badParam(name, 'expected a time as unix seconds (1700000000.5) or RFC3339 (2023-11-14T22:13:20Z), received nothing');
    return parseTime(name, text);
  }

  /** A non-negative integer `limit` (0: no limit), as Prometheus 2.49+ takes on the metadata endpoints. */
  limit(name = 'limit'): number {
    const text = this.get(name);
    if (text === undefined) return 0;
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw badParam(name, `expected a non-negative integer, received ${quote(text)}`);
    return Number(text);
  }
}
