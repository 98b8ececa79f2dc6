/**
 * Readers for the fields of a decoded OTLP message, whichever encoding it came from:
 * protobufjs messages (ids as bytes, 64-bit integers as Long) and parsed OTLP/JSON
 * (ids as hex strings, 64-bit integers as decimal strings or numbers). Each reader
 * checks the JSON shape, because a JSON document can hold anything; a wrong type
 * throws a ShapeError that the converter turns into a LabError with the field's path.
 */
import type { AttributeValue, Attributes } from '../model.js';

/** A field of the wrong type or form: the converter adds where it sits. */
export class ShapeError extends Error {
  constructor(
    public field: string,
    readonly expected: string,
    readonly received: unknown,
  ) {
    super(`${field} must be ${expected}`);
  }

  /** Prefixes the field with the path of the value that holds it. */
  within(parent: string): this {
    this.field = this.field === '' ? parent : this.field.startsWith('[') ? `${parent}${this.field}` : `${parent}.${this.field}`;
    return this;
  }
}

export type Rec = Record<string, unknown>;

/** The shape protobufjs gives 64-bit integers (long.js). */
interface LongLike {
  low: number;
  high: number;
  unsigned?: boolean;
}

const NONE: readonly unknown[] = Object.freeze([]);
const TWO_32 = 4294967296;

export function isRecord(value: unknown): value is Rec {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A repeated field: absent is empty. */
export function list(value: unknown, field: string): readonly unknown[] {
  if (Array.isArray(value)) return value;
  if (value === undefined || value === null) return NONE;
  throw new ShapeError(field, 'an array', value);
}

/** A message field: absent is undefined. */
export function record(value: unknown, field: string): Rec | undefined {
  if (value === undefined || value === null) return undefined;
  if (isRecord(value)) return value;
  throw new ShapeError(field, 'an object', value);
}

export function str(value: unknown, field: string): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  throw new ShapeError(field, 'a string', value);
}

export function bool(value: unknown, field: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === undefined || value === null) return false;
  throw new ShapeError(field, 'a boolean', value);
}

function isLong(value: unknown): value is LongLike {
  return typeof value === 'object' && value !== null && typeof (value as LongLike).low === 'number' && typeof (value as LongLike).high === 'number';
}

const DECIMAL = /^-?\d{1,20}$/;

/**
 * An integer field of up to 64 bits, as a number (exact up to 2^53). Enum fields
 * also accept their names through `names`.
 */
export function int(value: unknown, field: string, names?: Readonly<Record<string, number>>): number {
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return value;
    throw new ShapeError(field, 'an integer', value);
  }
  if (value === undefined || value === null) return 0;
  if (isLong(value)) return value.unsigned === true ? (value.high >>> 0) * TWO_32 + (value.low >>> 0) : value.high * TWO_32 + (value.low >>> 0);
  if (typeof value === 'string') {
    if (DECIMAL.test(value)) return Number(value);
    const named = names?.[value];
    if (named !== undefined) return named;
  }
  throw new ShapeError(field, names === undefined ? 'an integer or a decimal string' : 'an integer or an enum name', value);
}

/** An unsigned 64-bit count. */
export function count(value: unknown, field: string): number {
  const n = int(value, field);
  if (n < 0) throw new ShapeError(field, 'an unsigned integer', value);
  return n;
}

/** A signed 64-bit attribute value: a number when exact, else its decimal string. */
export function int64Value(value: unknown, field: string): number | string {
  if (isLong(value)) {
    const n = value.high * TWO_32 + (value.low >>> 0);
    if (Number.isSafeInteger(n)) return n;
    return BigInt.asIntN(64, (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0)).toString();
  }
  if (typeof value === 'string' && DECIMAL.test(value)) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value.replace(/^(-?)0+(?=\d)/, '$1');
  }
  return int(value, field);
}

/** A double; JSON may spell the special values as strings. */
export function double(value: unknown, field: string): number {
  if (typeof value === 'number') return value;
  if (value === undefined || value === null) return 0;
  if (typeof value === 'string') {
    if (value === 'NaN') return NaN;
    if (value === 'Infinity') return Infinity;
    if (value === '-Infinity') return -Infinity;
    const n = Number(value);
    if (value.trim() !== '' && !Number.isNaN(n)) return n;
  }
  throw new ShapeError(field, 'a number', value);
}

/**
 * The microseconds and leftover nanoseconds of the last time read by `readTime`.
 * Module scratch instead of a returned pair: times are read twice per span, and a
 * pair would be an allocation each time.
 */
export const time = { us: 0, ns: 0 };

/** Reads a fixed64 nanosecond timestamp into `time`, exactly, without 64-bit float math. */
export function readTime(value: unknown, field: string): void {
  if (isLong(value)) {
    const hi = value.high >>> 0;
    // hi * 2^32 = hi * 4294967 * 1000 + hi * 296; the rest stays below 2^41.
    const rest = hi * 296 + (value.low >>> 0);
    const restUs = Math.floor(rest / 1000);
    time.us = hi * 4294967 + restUs;
    time.ns = rest - restUs * 1000;
    return;
  }
  if (typeof value === 'string') {
    if (!DECIMAL.test(value) || value.charCodeAt(0) === 45 /* - */) throw new ShapeError(field, 'an unsigned decimal string of nanoseconds', value);
    const cut = value.length - 3;
    time.us = cut > 0 ? Number(value.slice(0, cut)) : 0;
    time.ns = Number(cut > 0 ? value.slice(cut) : value);
    return;
  }
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) throw new ShapeError(field, 'an unsigned integer of nanoseconds', value);
    time.us = Math.floor(value / 1000);
    time.ns = Number.isSafeInteger(value) ? value - time.us * 1000 : 0;
    return;
  }
  if (value === undefined || value === null) {
    time.us = 0;
    time.ns = 0;
    return;
  }
  throw new ShapeError(field, 'a decimal string of nanoseconds', value);
}

const HEX_ID = /^[0-9a-fA-F]*$/;

/** Why the last `readId` gave undefined. */
export let idProblem = '';

/**
 * A trace id (16 bytes) or span id (8 bytes) as lowercase hex. '' when it is empty
 * or all zero (both mean "none" in OTLP); undefined, with `idProblem` set, when it
 * has the wrong length or is not hex.
 */
export function readId(value: unknown, bytes: number, field: string): string | undefined {
  if (value instanceof Uint8Array) {
    const n = value.length;
    if (n === 0) return '';
    if (n !== bytes) {
      idProblem = `${field} must be ${bytes} bytes, received ${n}`;
      return undefined;
    }
    let i = 0;
    while (i < n && value[i] === 0) i++;
    if (i === n) return '';
    // Buffer's hex makes one flat string; concatenating pairs would leave a rope of
    // cons strings, several times the memory of each stored id.
    const buf = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, n);
    return buf.toString('hex');
  }
  if (typeof value === 'string') {
    if (value.length === 0) return '';
    if (value.length !== bytes * 2 || !HEX_ID.test(value)) {
      idProblem = `${field} must be ${bytes * 2} hex digits, received ${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)}`;
      return undefined;
    }
    const hex = value.toLowerCase();
    for (let i = 0; i < hex.length; i++) if (hex.charCodeAt(i) !== 48) return hex;
    return '';
  }
  // protobufjs's default for an absent bytes field is an empty plain array.
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) return '';
  throw new ShapeError(field, 'a hex string', value);
}

/** Nesting beyond this is refused: real attributes are shallow, and recursion has a stack. */
export const MAX_VALUE_DEPTH = 32;

/** An AnyValue as the model's AttributeValue; an empty AnyValue is null. */
export function anyValue(value: unknown, depth: number): AttributeValue {
  if (value === undefined || value === null) return null;
  if (!isRecord(value)) throw new ShapeError('', 'an AnyValue object', value);
  let v = value.stringValue;
  if (v !== undefined && v !== null) return str(v, 'stringValue');
  v = value.intValue;
  if (v !== undefined && v !== null) return int64Value(v, 'intValue');
  v = value.boolValue;
  if (v !== undefined && v !== null) return bool(v, 'boolValue');
  v = value.doubleValue;
  if (v !== undefined && v !== null) return double(v, 'doubleValue');
  v = value.arrayValue;
  if (v !== undefined && v !== null) {
    if (depth >= MAX_VALUE_DEPTH) throw new ShapeError('arrayValue', `nested at most ${MAX_VALUE_DEPTH} deep`, '(deeper)');
    const items = list(record(v, 'arrayValue')?.values, 'arrayValue.values');
    const out = new Array<AttributeValue>(items.length);
    for (let i = 0; i < items.length; i++) {
      try {
        out[i] = anyValue(items[i], depth + 1);
      } catch (err) {
        throw err instanceof ShapeError ? err.within(`arrayValue.values[${i}]`) : err;
      }
    }
    return out;
  }
  v = value.kvlistValue;
  if (v !== undefined && v !== null) {
    if (depth >= MAX_VALUE_DEPTH) throw new ShapeError('kvlistValue', `nested at most ${MAX_VALUE_DEPTH} deep`, '(deeper)');
    return attributes(record(v, 'kvlistValue')?.values, 'kvlistValue.values', depth + 1);
  }
  v = value.bytesValue;
  if (v !== undefined && v !== null) {
    if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
    return str(v, 'bytesValue');
  }
  return null;
}

/** A repeated KeyValue as an attribute map; a later duplicate key wins. */
export function attributes(value: unknown, field: string, depth = 0): Attributes {
  const out: Attributes = {};
  if (value === undefined || value === null) return out;
  const kvs = list(value, field);
  for (let i = 0; i < kvs.length; i++) {
    const kv = kvs[i];
    try {
      if (!isRecord(kv)) throw new ShapeError('', 'a KeyValue object', kv);
      const key = str(kv.key, 'key');
      let parsed: AttributeValue;
      try {
        parsed = anyValue(kv.value, depth);
      } catch (err) {
        throw err instanceof ShapeError ? err.within('value') : err;
      }
      if (key === '__proto__') Object.defineProperty(out, key, { value: parsed, enumerable: true, writable: true, configurable: true });
      else out[key] = parsed;
    } catch (err) {
      throw err instanceof ShapeError ? err.within(`${field}[${i}]`) : err;
    }
  }
  return out;
}

/** Builds an enum-name table from the suffixes of an OTLP enum (`SPAN_KIND_SERVER` -> 2). */
export function enumNames(prefix: string, suffixes: readonly string[]): Readonly<Record<string, number>> {
  const out: Record<string, number> = Object.create(null) as Record<string, number>;
  suffixes.forEach((s, i) => (out[`${prefix}${s}`] = i));
  return out;
}
