/** Numbers as Prometheus's JSON spells them (Go's strconv.FormatFloat(f, 'f', -1, 64)). */

/**
 * The shortest decimal that reads back as the same double, never in exponent form:
 * `1e21` is "1000000000000000000000", `1e-7` is "0.0000001"; NaN, +Inf and -Inf as
 * Prometheus writes them.
 */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (Object.is(value, -0)) return '-0';
  const text = String(value);
  const e = text.indexOf('e');
  if (e === -1) return text;
  const negative = text.startsWith('-');
  const mantissa = text.slice(negative ? 1 : 0, e);
  const exponent = Number(text.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = mantissa.replace('.', '');
  const intLen = (dot === -1 ? mantissa.length : dot) + exponent;
  let out: string;
  if (intLen <= 0) out = `0.${'0'.repeat(-intLen)}${digits}`;
  else if (intLen >= digits.length) out = digits + '0'.repeat(intLen - digits.length);
  else out = `${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
  return negative ? `-${out}` : out;
}

/** Seconds since the epoch for a millisecond time, as Prometheus's JSON writes sample times. */
export function toSeconds(timeMs: number): number {
  return timeMs / 1000;
}
