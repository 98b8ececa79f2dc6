/**
 * Integers as Redis reads them: base 10, an optional minus sign, no plus sign, no
 * spaces, no leading zeros, at most 20 bytes, within a signed 64-bit range. The
 * same rule reads request lengths (`*3`, `$5`), command arguments and stored values.
 */

export const INT64_MAX = 2n ** 63n - 1n;
export const INT64_MIN = -(2n ** 63n);
export const INT32_MAX = 2n ** 31n - 1n;
export const INT32_MIN = -(2n ** 31n);

/** Longest accepted text: 20 bytes, as "-9223372036854775808". */
const MAX_DIGITS_BYTES = 20;
const ZERO = 0x30;
const NINE = 0x39;
const MINUS = 0x2d;

/** The integer in `bytes[start, end)`, or null when Redis would not read one there. */
export function parseInteger(bytes: Uint8Array, start = 0, end = bytes.length): bigint | null {
  const length = end - start;
  if (length <= 0 || length > MAX_DIGITS_BYTES) return null;
  if (length === 1 && bytes[start] === ZERO) return 0n;
  let i = start;
  const negative = bytes[i] === MINUS;
  if (negative) {
    i++;
    if (i === end) return null;
  }
  const first = bytes[i]!;
  if (first <= ZERO || first > NINE) return null;
  let value = 0n;
  for (; i < end; i++) {
    const byte = bytes[i]!;
    if (byte < ZERO || byte > NINE) return null;
    value = value * 10n + BigInt(byte - ZERO);
  }
  if (negative) value = -value;
  return value < INT64_MIN || value > INT64_MAX ? null : value;
}

/** `parseInteger` for a whole argument. */
export function argInteger(arg: Buffer): bigint | null {
  return parseInteger(arg, 0, arg.length);
}
