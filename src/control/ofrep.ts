/**
 * OpenFeature Remote Evaluation Protocol (OFREP) over the lab's flags, so a service
 * using OpenFeature's OFREP provider reads the same flags the console sets:
 * `POST /ofrep/v1/evaluate/flags/{key}` and the bulk `POST /ofrep/v1/evaluate/flags`
 * (with an ETag). Every flag is static: reason STATIC, variant "default".
 */
import type { FlagStore } from './flags.js';

export interface OfrepAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

function contextError(body: unknown, key?: string): OfrepAnswer | null {
  if (body === undefined) return null;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { status: 400, body: { ...(key ? { key } : {}), errorCode: 'PARSE_ERROR', errorDetails: 'the request body must be a JSON object such as {"context": {}}' } };
  }
  const context = (body as Record<string, unknown>)['context'];
  if (context !== undefined && (context === null || typeof context !== 'object' || Array.isArray(context))) {
    return { status: 400, body: { ...(key ? { key } : {}), errorCode: 'INVALID_CONTEXT', errorDetails: 'context must be an object' } };
  }
  return null;
}

export function evaluateFlag(flags: FlagStore, key: string, body: unknown): OfrepAnswer {
  const bad = contextError(body, key);
  if (bad) return bad;
  const all = flags.all();
  if (!(key in all)) return { status: 404, body: { key, errorCode: 'FLAG_NOT_FOUND', errorDetails: `flag "${key}" is not set in the lab; set it with PUT /api/flags/${key}` } };
  return { status: 200, body: { key, value: all[key], reason: 'STATIC', variant: 'default', metadata: {} } };
}

export function evaluateAll(flags: FlagStore, body: unknown, ifNoneMatch: string | undefined): OfrepAnswer {
  const bad = contextError(body);
  if (bad) return bad;
  const etag = `"${flags.version()}"`;
  if (ifNoneMatch === etag) return { status: 304, headers: { etag } };
  const list = Object.entries(flags.all()).map(([key, value]) => ({ key, value, reason: 'STATIC', variant: 'default', metadata: {} }));
  return { status: 200, headers: { etag }, body: { flags: list } };
}
