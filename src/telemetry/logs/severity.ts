/**
 * OTLP log severities: numbers 1-24 in six ranges of four (TRACE 1-4, DEBUG 5-8,
 * INFO 9-12, WARN 13-16, ERROR 17-20, FATAL 21-24), 0 for unspecified. The short
 * names are the data model's (`WARN`, `WARN2`..`WARN4`); the usual aliases
 * (`WARNING`, `ERR`, `CRITICAL`, ...) map to the start of their range.
 */

export const SEVERITY_NAMES = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;

const ALIASES: Record<string, number> = {
  WARNING: 13,
  ERR: 17,
  CRITICAL: 21,
  CRIT: 21,
  PANIC: 21,
  EMERGENCY: 21,
  ALERT: 21,
  NOTICE: 10,
  VERBOSE: 1,
};

/**
 * The severity number a name stands for (`ERROR` 17, `warn3` 15), or undefined when
 * the text names no severity. Case does not matter.
 */
export function severityFromText(text: string): number | undefined {
  const upper = text.trim().toUpperCase();
  const match = /^([A-Z]+)([1-4])?$/.exec(upper);
  if (match === null) return undefined;
  const base = SEVERITY_NAMES.indexOf(match[1] as (typeof SEVERITY_NAMES)[number]);
  if (base >= 0) return base * 4 + Number(match[2] ?? '1');
  return match[2] === undefined ? ALIASES[upper] : undefined;
}

/** The short name of a severity number: 17 -> ERROR, 18 -> ERROR2; '' for 0 or out of range. */
export function severityName(num: number): string {
  if (!Number.isInteger(num) || num < 1 || num > 24) return '';
  const name = SEVERITY_NAMES[Math.floor((num - 1) / 4)] ?? '';
  const step = ((num - 1) % 4) + 1;
  return step === 1 ? name : `${name}${step}`;
}

/** The severity a record is filtered by: its number, else what its text names, else 0. */
export function effectiveSeverity(severityNumber: number, severityText: string): number {
  if (severityNumber > 0) return severityNumber;
  return severityText === '' ? 0 : (severityFromText(severityText) ?? 0);
}
