/**
 * Pieces shared by the three converters: the resource and scope of a batch, the
 * Decoded<T> accumulator with its capped list of reasons, and the walk over
 * resource -> scope -> item that reports a wrong JSON type with its full path.
 */
import { LabError, describeValue } from '../../errors.js';
import type { Decoded, Resource, Scope } from '../model.js';
import { ShapeError, attributes, isRecord, list, record, str } from './wire.js';
import type { Rec } from './wire.js';

/** At most this many distinct reasons are kept for a partial-success message. */
export const MAX_REASONS = 10;

export function resourceOf(value: unknown): Resource {
  const r = record(value, 'resource');
  if (r === undefined) return { attributes: {} };
  try {
    return { attributes: attributes(r.attributes, 'attributes') };
  } catch (err) {
    throw err instanceof ShapeError ? err.within('resource') : err;
  }
}

export function scopeOf(value: unknown): Scope {
  const s = record(value, 'scope');
  if (s === undefined) return { name: '', version: '' };
  return { name: str(s.name, 'scope.name'), version: str(s.version, 'scope.version') };
}

export function emptyDecoded<T>(): Decoded<T> {
  return { items: [], rejected: 0, errors: [] };
}

/** Counts `n` refused items and keeps the reason (once, and only the first few). */
export function reject(out: Decoded<unknown>, n: number, where: string, reason: string): void {
  out.rejected += n;
  if (out.errors.length >= MAX_REASONS) return;
  // One entry per distinct reason, naming the first item that had it.
  for (const e of out.errors) if (e.endsWith(`: ${reason}`)) return;
  out.errors.push(`${where}: ${reason}`);
}

/** The names of one signal's three levels of nesting, for paths in messages. */
export interface Levels {
  top: string;
  resource: string;
  scope: string;
  item: string;
}

/**
 * Walks request.<top>[r].<scope>[s].<item>[i], calling `each` for every item with the
 * batch's resource and scope (shared objects: the stores keep references, not copies).
 * A ShapeError anywhere becomes a LabError naming the path.
 */
export function walk(
  request: unknown,
  levels: Levels,
  each: (item: Rec, resource: Resource, scope: Scope, at: () => string) => void,
): void {
  if (!isRecord(request)) throw new LabError('LAB_OTLP_BAD_PAYLOAD', `the body must be a JSON object, received ${describeValue(request)}`);
  let r = -1;
  let s = -1;
  let i = -1;
  const at = (): string => {
    let path = levels.top;
    if (r >= 0) path += `[${r}]`;
    if (s >= 0) path += `.${levels.scope}[${s}]`;
    if (i >= 0) path += `.${levels.item}[${i}]`;
    return path;
  };
  try {
    const resources = list(request[levels.top], '');
    for (r = 0; r < resources.length; r++) {
      const rs = resources[r];
      if (!isRecord(rs)) throw new ShapeError('', 'an object', rs);
      const resource = resourceOf(rs.resource);
      const scopes = list(rs[levels.scope], levels.scope);
      for (s = 0; s < scopes.length; s++) {
        const ss = scopes[s];
        if (!isRecord(ss)) throw new ShapeError('', 'an object', ss);
        const scope = scopeOf(ss.scope);
        const items = list(ss[levels.item], levels.item);
        for (i = 0; i < items.length; i++) {
          const item = items[i];
          if (!isRecord(item)) throw new ShapeError('', 'an object', item);
          each(item, resource, scope, at);
        }
        i = -1;
      }
      s = -1;
    }
  } catch (err) {
    if (!(err instanceof ShapeError)) throw err;
    err.within(at());
    throw new LabError('LAB_OTLP_BAD_PAYLOAD', `${err.field} must be ${err.expected}, received ${describeValue(err.received)}`);
  }
}
