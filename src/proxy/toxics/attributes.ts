import { LabError, describeValue } from '../../errors.js';
import type { AttributeSpec, Attributes, ToxicDefinition } from './definition.js';

export function defaultAttributes(def: ToxicDefinition): Attributes {
  const out: Attributes = {};
  for (const [key, spec] of Object.entries(def.attributes)) out[key] = spec.default;
  return out;
}

function bad(message: string): LabError {
  return new LabError('LAB_PROXY_BAD_REQUEST_BODY', `bad request body: ${message}`);
}

function checkValue(type: string, key: string, spec: AttributeSpec, value: unknown): number | string {
  const field = `attributes.${key}`;
  if (spec.kind === 'string') {
    if (typeof value !== 'string') throw bad(`${type}: ${field} must be a string, received ${describeValue(value)}`);
    if (spec.pattern && !spec.pattern.test(value)) {
      throw bad(`${type}: ${field} must be ${spec.hint ?? `a string matching ${String(spec.pattern)}`}, received ${describeValue(value)}`);
    }
    return value;
  }
  const what = spec.kind === 'integer' ? 'an integer' : 'a number';
  const range =
    spec.max !== undefined ? ` from ${spec.min ?? 0} to ${spec.max}` : spec.min !== undefined ? ` >= ${spec.min}` : '';
  const unit = spec.unit ? ` (${spec.unit})` : '';
  if (typeof value !== 'number' || !Number.isFinite(value) || (spec.kind === 'integer' && !Number.isInteger(value))) {
    throw bad(`${type}: ${field} must be ${what}${range}${unit}, received ${describeValue(value)}`);
  }
  if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
    throw bad(`${type}: ${field} must be ${what}${range}${unit}, received ${describeValue(value)}`);
  }
  return value;
}

/**
 * Merges `input` (the request's `attributes`) onto `base` and validates the result.
 * Unknown keys are refused so that a typo never passes silently.
 */
export function parseAttributes(def: ToxicDefinition, base: Attributes, input: unknown): Attributes {
  if (input === undefined || input === null) return { ...base };
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw bad(`attributes must be an object, received ${describeValue(input)}`);
  }
  const out: Attributes = { ...base };
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    const spec = def.attributes[key];
    if (!spec) {
      const known = Object.keys(def.attributes).join(', ') || 'none';
      throw bad(`${def.type} has no attribute "${key}" (known: ${known})`);
    }
    out[key] = checkValue(def.type, key, spec, value);
  }
  const problem = def.check?.(out);
  if (problem) throw bad(`${def.type}: ${problem}`);
  return out;
}

/** Reads a numeric attribute that validation already guaranteed. */
export function num(attrs: Attributes, key: string): number {
  const value = attrs[key];
  return typeof value === 'number' ? value : 0;
}

export function str(attrs: Attributes, key: string): string {
  const value = attrs[key];
  return typeof value === 'string' ? value : '';
}
