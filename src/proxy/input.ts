import { LabError, describeValue } from '../errors.js';
import { parseHostPort } from './address.js';
import { defaultAttributes, parseAttributes } from './toxics/attributes.js';
import { STREAMS } from './toxics/definition.js';
import type { Stream } from './toxics/definition.js';
import { TOXICS } from './toxics/registry.js';
import { Toxic } from './toxic.js';

/** Reads API input: JSON bodies into checked proxy and toxic values, with Toxiproxy's messages. */

export interface ProxyInput {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
}

const badBody = (message: string): LabError => new LabError('LAB_PROXY_BAD_REQUEST_BODY', `bad request body: ${message}`);
const missing = (field: string): LabError => new LabError('LAB_PROXY_MISSING_FIELD', `missing required field: ${field}`);

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw badBody(`not valid JSON (${(err as Error).message})`);
  }
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badBody(`${what} must be a JSON object, received ${describeValue(value)}`);
  }
  return value as Record<string, unknown>;
}

function field<T extends 'string' | 'boolean' | 'number'>(
  body: Record<string, unknown>,
  key: string,
  type: T,
  where: string,
): (T extends 'string' ? string : T extends 'boolean' ? boolean : number) | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== type) throw badBody(`${where}${key} must be a ${type}, received ${describeValue(value)}`);
  return value as never;
}

/**
 * A proxy from a create, populate or update body. `base` fills fields the body
 * leaves out (the existing proxy, on update). `where` prefixes field names
 * ("proxies[2]." in populate).
 */
export function parseProxyInput(value: unknown, base: ProxyInput | undefined, where = ''): ProxyInput {
  const body = asObject(value, where ? where.slice(0, -1) : 'the body');
  const name = base?.name ?? field(body, 'name', 'string', where) ?? '';
  const listen = field(body, 'listen', 'string', where) ?? base?.listen ?? '127.0.0.1:0';
  const upstream = field(body, 'upstream', 'string', where) ?? base?.upstream ?? '';
  const enabled = field(body, 'enabled', 'boolean', where) ?? base?.enabled ?? true;
  if (name === '') throw missing(where ? `name at ${where.slice(0, -1)}` : 'name');
  if (upstream === '') throw missing(where ? `upstream at ${where.slice(0, -1)}` : 'upstream');
  parseHostPort(listen === '' ? '127.0.0.1:0' : listen, `${where}listen`, true);
  parseHostPort(upstream, `${where}upstream`, false);
  return { name, listen: listen === '' ? '127.0.0.1:0' : listen, upstream, enabled };
}

function parseToxicity(body: Record<string, unknown>, fallback: number): number {
  const toxicity = field(body, 'toxicity', 'number', '');
  if (toxicity === undefined) return fallback;
  if (!Number.isFinite(toxicity) || toxicity < 0 || toxicity > 1) {
    throw badBody(`toxicity must be a number from 0 to 1, received ${describeValue(toxicity)}`);
  }
  return toxicity;
}

/** A new toxic from a create body; `exists` tells whether a name is taken on the proxy. */
export function parseNewToxic(value: unknown, exists: (name: string) => boolean): Toxic {
  const body = asObject(value, 'the body');
  const type = field(body, 'type', 'string', '') ?? '';
  const requestedStream = field(body, 'stream', 'string', '');
  const definition = TOXICS.get(type);
  const stream = (requestedStream ?? definition?.streams[0] ?? 'downstream') as Stream;
  if (!STREAMS.includes(stream)) {
    throw new LabError(
      'LAB_PROXY_INVALID_STREAM',
      `stream was invalid, can be either upstream or downstream: received ${describeValue(requestedStream)}`,
    );
  }
  if (!definition) {
    const known = [...TOXICS.keys()].join(', ');
    throw new LabError('LAB_PROXY_INVALID_TOXIC_TYPE', `invalid toxic type: received ${describeValue(body['type'])} (known: ${known})`);
  }
  if (!definition.streams.includes(stream)) {
    throw badBody(`${type} acts on ${definition.streams.join(' or ')} data, so stream must be "${definition.streams[0]}", received "${stream}"`);
  }
  const name = field(body, 'name', 'string', '') || `${type}_${stream}`;
  if (exists(name)) throw new LabError('LAB_PROXY_TOXIC_ALREADY_EXISTS', `toxic already exists: ${name}`);
  const toxicity = parseToxicity(body, 1);
  const attributes = parseAttributes(definition, defaultAttributes(definition), body['attributes']);
  return new Toxic(name, definition, stream, toxicity, attributes);
}

/** The new toxicity and attributes from an update body (name, type and stream stay). */
export function parseToxicUpdate(value: unknown, toxic: Toxic): { toxicity: number; attributes: Toxic['attributes'] } {
  const body = asObject(value, 'the body');
  const toxicity = parseToxicity(body, toxic.toxicity);
  const attributes = parseAttributes(toxic.definition, toxic.attributes, body['attributes']);
  return { toxicity, attributes };
}
