/**
 * Checks a chaos request: the body's shape (for the API), then the scenario's value,
 * target, duration and raw toxic against what the scenario takes and what the lab has.
 * Every error names the field, what was expected, what arrived, and the fix.
 */
import { LabError, describeValue } from '../errors.js';
import type { FlagValue } from '../control/flags.js';
import type { ChaosRequest } from './types.js';
import type { LabParts, ScenarioDefinition, ValueSpec } from './scenarios.js';

export const CHAOS_DURATION_BOUNDS_MS = { min: 100, max: 24 * 3_600_000 } as const;
const MAX_LATENCY_MS = 600_000;
const MAX_COUNT = 10_000;
const FIELDS = ['scenario', 'value', 'target', 'durationMs', 'toxic'] as const;
const TOXIC_FIELDS = ['type', 'name', 'stream', 'toxicity', 'attributes'] as const;
const FLAG_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,99}$/;
const TOXIC_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

function bad(field: string, expected: string, received: unknown, fix: string): LabError {
  return new LabError('LAB_CHAOS_BAD_VALUE', `${field} must be ${expected}, received ${describeValue(received)}; fix: ${fix}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The body of POST /api/chaos as a ChaosRequest: known fields only, each of the right type. */
export function parseChaosRequest(body: unknown): ChaosRequest {
  if (!isObject(body)) throw bad('the body of POST /api/chaos', 'a JSON object such as {"scenario": "postgres-latency", "value": 2000}', body, 'send a JSON object');
  const unknown = Object.keys(body).filter((k) => !(FIELDS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new LabError('LAB_CHAOS_BAD_VALUE', `POST /api/chaos: unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')}; the fields are ${FIELDS.join(', ')}; fix: remove ${unknown.length > 1 ? 'them' : 'it'}`);
  }
  const { scenario, value, target, durationMs, toxic } = body;
  if (typeof scenario !== 'string' || scenario === '') throw bad('scenario', 'a scenario name such as "postgres-latency"', scenario, 'GET /api/chaos/scenarios lists them');
  const request: ChaosRequest = { scenario };
  if (value !== undefined && value !== null) {
    if (typeof value === 'boolean') request.value = String(value);
    else if (typeof value === 'number' || typeof value === 'string') request.value = value;
    else throw bad('value', 'a number, a string or a boolean', value, 'send the scenario\'s value alone, such as 2000');
  }
  if (target !== undefined && target !== null) {
    if (typeof target !== 'string' || target === '') throw bad('target', 'a name (a proxy, a service or a flag key)', target, 'send a string such as "postgres"');
    request.target = target;
  }
  if (durationMs !== undefined && durationMs !== null) {
    if (typeof durationMs !== 'number') throw bad('durationMs', `a number of milliseconds from ${CHAOS_DURATION_BOUNDS_MS.min} to ${CHAOS_DURATION_BOUNDS_MS.max}`, durationMs, 'send 30000 for 30 s');
    request.durationMs = durationMs;
  }
  if (toxic !== undefined && toxic !== null) {
    if (!isObject(toxic)) throw bad('toxic', 'an object {type, name?, stream?, toxicity?, attributes?}', toxic, 'send a Toxiproxy toxic such as {"type": "latency", "attributes": {"latency": 100}}');
    const extra = Object.keys(toxic).filter((k) => !(TOXIC_FIELDS as readonly string[]).includes(k));
    if (extra.length > 0) throw new LabError('LAB_CHAOS_BAD_VALUE', `toxic: unknown field${extra.length > 1 ? 's' : ''} ${extra.map((k) => JSON.stringify(k)).join(', ')}; the fields are ${TOXIC_FIELDS.join(', ')}; fix: remove ${extra.length > 1 ? 'them' : 'it'}`);
    request.toxic = toxic as unknown as NonNullable<ChaosRequest['toxic']>;
  }
  return request;
}

/** A number from a number or a numeric string ("2000"); NaN otherwise. */
function numberOf(value: number | string): number {
  if (typeof value === 'number') return value;
  return /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
}

/** true/false, a number, or the string itself (`cloudlab chaos flag cpuHog 50`). */
export function flagValueOf(value: number | string): FlagValue {
  if (typeof value === 'number') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  const n = numberOf(value);
  return Number.isFinite(n) ? n : value;
}

function checkValue(def: ScenarioDefinition, spec: ValueSpec, raw: number | string | undefined): number | FlagValue | null {
  const field = `${def.name}: value (${spec.name})`;
  if (raw === undefined) {
    if (spec.required) throw bad(field, `given (${spec.unit})`, raw, `\`cloudlab chaos ${def.name} <${spec.name}>\`, or "value" in the body`);
    return typeof spec.default === 'number' ? spec.default : null;
  }
  if (spec.kind === 'flag') {
    if (typeof raw === 'string' && raw === '') throw bad(field, 'true, false, a number or a non-empty string', raw, 'give the flag a value');
    return flagValueOf(raw);
  }
  const n = numberOf(raw);
  const integer = (min: number, max: number, unit: string, example: string): number => {
    if (!Number.isInteger(n) || n < min || n > max) throw bad(field, `an integer from ${min} to ${max} (${unit})`, raw, example);
    return n;
  };
  switch (spec.kind) {
    case 'latency':
      return integer(0, MAX_LATENCY_MS, 'ms', `\`cloudlab chaos ${def.name} 2000\` for 2 s`);
    case 'timeout':
      return integer(0, MAX_LATENCY_MS, 'ms', `\`cloudlab chaos ${def.name} <proxy> 500\` resets 500 ms after data arrives`);
    case 'rate':
      return integer(0, Number.MAX_SAFE_INTEGER, 'KB/s; 0 is no limit', `\`cloudlab chaos ${def.name} 64\` for 64 KB/s`);
    case 'count':
      return integer(1, MAX_COUNT, spec.unit, `a whole number such as 2`);
    case 'ratio':
      if (!Number.isFinite(n) || n < 0 || n > 1) throw bad(field, 'a number from 0 to 1 (the fraction that fails)', raw, `\`cloudlab chaos ${def.name} 0.3\` fails 30 %`);
      return n;
  }
}

export interface CheckedToxic {
  type: string;
  name: string | null;
  stream: 'upstream' | 'downstream';
  toxicity: number | undefined;
  attributes: Record<string, number | string>;
}

function checkToxic(toxic: ChaosRequest['toxic']): CheckedToxic {
  const example = 'send {"type": "latency", "stream": "downstream", "attributes": {"latency": 100}}';
  if (!isObject(toxic)) throw bad('toxic: the field toxic', 'an object {type, name?, stream?, toxicity?, attributes?}', toxic, example);
  const { type, name, stream, toxicity, attributes } = toxic as Record<string, unknown>;
  if (typeof type !== 'string' || type === '') throw bad('toxic: toxic.type', 'a Toxiproxy toxic type (latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data, http_error, http_latency)', type, example);
  if (name !== undefined && (typeof name !== 'string' || !TOXIC_NAME.test(name))) throw bad('toxic: toxic.name', 'letters, digits, "_", "." or "-" (at most 100)', name, 'leave it out for a unique name');
  if (stream !== undefined && stream !== 'upstream' && stream !== 'downstream') throw bad('toxic: toxic.stream', '"upstream" or "downstream"', stream, 'leave it out for downstream');
  if (toxicity !== undefined && (typeof toxicity !== 'number' || !(toxicity >= 0 && toxicity <= 1))) throw bad('toxic: toxic.toxicity', 'a number from 0 to 1', toxicity, 'leave it out for 1');
  if (attributes !== undefined && (!isObject(attributes) || Object.values(attributes).some((v) => typeof v !== 'number' && typeof v !== 'string'))) {
    throw bad('toxic: toxic.attributes', 'an object of numbers (and strings for the http_* toxics)', attributes, 'send {"latency": 100}');
  }
  return { type, name: name ?? null, stream: stream ?? 'downstream', toxicity, attributes: (attributes ?? {}) as Record<string, number | string> };
}

export interface CheckedRequest {
  value: number | FlagValue | null;
  target: string | null;
  durationMs: number | null;
  toxic: CheckedToxic | null;
}

/** Checks `request` against `def` and the lab's parts (availability is checked before). */
export function checkRequest(def: ScenarioDefinition, request: ChaosRequest, parts: LabParts): CheckedRequest {
  if (!def.value && request.value !== undefined) throw bad(`${def.name}: value`, 'left out (this scenario takes no value)', request.value, `\`cloudlab chaos ${def.name}\``);
  const value = def.value ? checkValue(def, def.value, request.value) : null;

  let target: string | null = null;
  const spec = def.target;
  if (!spec) {
    if (request.target !== undefined) throw bad(`${def.name}: target`, 'left out (this scenario acts on a fixed part)', request.target, `\`cloudlab chaos ${def.name}\``);
  } else if (request.target === undefined) {
    target = spec.defaultFor?.(parts) ?? spec.default;
    if (target === null && spec.required) throw bad(`${def.name}: target (${spec.name})`, `given: ${choices(spec.name, parts)}`, undefined, `\`cloudlab chaos ${def.name} ${spec.name === 'flag' ? '<key> <value>' : `--target <${spec.name}>`}\``);
    if (target === null) throw new LabError('LAB_CHAOS_NOT_AVAILABLE', `${def.name}: no service of this lab has a running replica; fix: \`cloudlab ps\` shows them`);
  } else {
    target = request.target;
    if (spec.name === 'proxy' && !parts.proxies.has(target)) throw bad(`${def.name}: target (proxy)`, `one of the lab's proxies: ${choices('proxy', parts)}`, target, '`curl <toxiproxy API>/proxies` lists them');
    if (spec.name === 'service' && !parts.services.includes(target)) throw bad(`${def.name}: target (service)`, `one of the lab's services: ${choices('service', parts)}`, target, '`cloudlab ps` lists them');
    if (spec.name === 'flag' && !FLAG_KEY.test(target)) throw bad(`${def.name}: target (flag key)`, 'a letter then letters, digits, "_", "." or "-" (at most 100), such as paymentFailureRate', target, '`cloudlab chaos flag cpuHog 50`');
  }

  let durationMs: number | null = null;
  if (request.durationMs !== undefined) {
    const { min, max } = CHAOS_DURATION_BOUNDS_MS;
    if (def.instant) throw bad(`${def.name}: durationMs`, 'left out (this scenario happens at once and leaves nothing to remove)', request.durationMs, `\`cloudlab chaos ${def.name}\` without --duration`);
    if (!Number.isInteger(request.durationMs) || request.durationMs < min || request.durationMs > max) {
      throw bad(`${def.name}: durationMs`, `a whole number of milliseconds from ${min} (100 ms) to ${max} (24 h)`, request.durationMs, '--duration 30s (30000)');
    }
    durationMs = request.durationMs;
  }

  if (def.name !== 'toxic' && request.toxic !== undefined) throw bad(`${def.name}: toxic`, 'left out (only the "toxic" scenario takes a raw toxic)', request.toxic, 'use scenario "toxic" with a target proxy');
  const toxic = def.name === 'toxic' ? checkToxic(request.toxic) : null;
  return { value, target, durationMs, toxic };
}

function choices(kind: 'proxy' | 'service' | 'flag', parts: LabParts): string {
  if (kind === 'proxy') return [...parts.proxies].join(', ') || 'none';
  if (kind === 'service') return parts.services.join(', ') || 'none';
  return 'a flag key such as paymentFailureRate, slowMenuQueryMs, cpuHog, memoryLeak or cacheDisabled';
}
