/**
 * The scenario form's checks, run before anything is sent (the lab checks again and its
 * message is shown when it refuses): a scenario's value by its unit, and the duration.
 * No imports: test/console/console-units.test.ts runs it under Node.
 */

/** A scenario's value as `GET /api/chaos/scenarios` describes it (ChaosScenarioInfo.value). */
export interface ValueSpec {
  name: string;
  unit: string;
  required: boolean;
  default: number | string | null;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/** The lab's bounds (src/chaos/validate.ts). */
const MAX_LATENCY_MS = 600_000;
const MAX_COUNT = 10_000;
export const DURATION_BOUNDS_MS = { min: 100, max: 24 * 3_600_000 } as const;

const NUMBER = /^-?\d+(\.\d+)?$/;

/** What the value input expects, in words for its hint. */
export function valueHint(spec: ValueSpec): string {
  switch (spec.unit) {
    case 'ms':
      return `whole milliseconds, 0 to ${MAX_LATENCY_MS}`;
    case 'KB/s':
      return 'whole KB/s, 0 or more (0: no limit)';
    case '0..1':
      return 'a ratio from 0 to 1';
    case 'replicas':
    case 'connections':
      return `a whole number of ${spec.unit}, 1 to ${MAX_COUNT}`;
    default:
      return spec.unit;
  }
}

/**
 * The value to send for the text in the input: `undefined` when it is blank and the scenario
 * has a default. Numbers go as numbers; the flag scenario's value goes as typed.
 */
export function checkValue(spec: ValueSpec, raw: string): Checked<number | string | undefined> {
  const text = raw.trim();
  const label = `${spec.name} (${spec.unit})`;
  if (text === '') {
    return spec.required ? { ok: false, problem: `${label} is required: ${valueHint(spec)}` } : { ok: true, value: undefined };
  }
  const n = NUMBER.test(text) ? Number(text) : NaN;
  const whole = (min: number, max: number, words: string): Checked<number> =>
    Number.isInteger(n) && n >= min && n <= max ? { ok: true, value: n } : { ok: false, problem: `${label} must be ${words}, received "${text}"` };
  switch (spec.unit) {
    case 'ms':
      return whole(0, MAX_LATENCY_MS, `a whole number of milliseconds from 0 to ${MAX_LATENCY_MS}`);
    case 'KB/s':
      return whole(0, Number.MAX_SAFE_INTEGER, 'a whole number of KB/s, 0 or more');
    case 'replicas':
    case 'connections':
      return whole(1, MAX_COUNT, `a whole number from 1 to ${MAX_COUNT}`);
    case '0..1':
      return Number.isFinite(n) && n >= 0 && n <= 1 ? { ok: true, value: n } : { ok: false, problem: `${label} must be a ratio from 0 to 1 (0.3 fails 30 %), received "${text}"` };
    default:
      // A flag's value: true, false, a number or a string; the lab reads it the same way.
      return { ok: true, value: NUMBER.test(text) ? Number(text) : text };
  }
}

export const DURATION_CHOICES = [
  { id: 'none', label: 'until removed', ms: null },
  { id: '30s', label: '30 s', ms: 30_000 },
  { id: '1m', label: '1 min', ms: 60_000 },
  { id: '5m', label: '5 min', ms: 300_000 },
  { id: 'custom', label: 'custom', ms: null },
] as const;

export type DurationChoice = (typeof DURATION_CHOICES)[number]['id'];

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/** "90", "90s", "1m30s", "1.5m", "500ms", "2h": milliseconds, or NaN. A bare number is seconds. */
export function parseDuration(text: string): number {
  const t = text.trim().toLowerCase().replace(/\s+/g, '');
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const parts = [...t.matchAll(/(\d+(?:\.\d+)?)(ms|min|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== t) return NaN;
  return Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_MS[p[2]!]!, 0));
}

/** The durationMs to send (null: until removed). */
export function checkDuration(choice: DurationChoice, custom: string): Checked<number | null> {
  if (choice !== 'custom') return { ok: true, value: DURATION_CHOICES.find((c) => c.id === choice)?.ms ?? null };
  const ms = parseDuration(custom);
  const { min, max } = DURATION_BOUNDS_MS;
  if (!Number.isFinite(ms) || ms < min || ms > max) {
    return { ok: false, problem: `the custom duration must be from 100 ms to 24 h, such as 90s, 2m or 1h, received "${custom.trim()}"` };
  }
  return { ok: true, value: ms };
}

/** A countdown: "0:42", "4:05", "1:02:03". */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
