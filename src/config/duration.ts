/** Durations in cloudlab.yaml: "500ms", "2s", "1m", "1h", "1m30s", or a number of milliseconds. */

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/** Milliseconds (rounded), or undefined when the text is not a duration. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
  if (!WHOLE.test(value)) return undefined;
  let total = 0;
  for (const [, amount, unit] of value.matchAll(PART)) total += Number(amount) * (UNIT_MS[unit ?? ''] ?? NaN);
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

/** The shortest exact text for a duration: 3600000 -> "1h", 90000 -> "90s", 1500 -> "1500ms". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  for (const unit of ['h', 'm', 's'] as const) {
    const size = UNIT_MS[unit] ?? 1;
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
