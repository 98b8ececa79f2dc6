/**
 * Defensive reads of the file's data for the cross-checks, which run even when the
 * schema found problems (so every problem is reported at once).
 */
import { DEFAULTS } from './defaults.js';
import { ADDRESS_PATTERN } from './rules.js';
import type { KeyPath } from './problem.js';

export type RawMap = Record<string, unknown>;

export function asMap(value: unknown): RawMap | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as RawMap) : undefined;
}

/** A map, or `{}` for a key present with an empty value (`postgres:`); undefined otherwise. */
export function asSection(value: unknown): RawMap | undefined {
  return value === null ? {} : asMap(value);
}

export function has(map: RawMap, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, key);
}

/** The services map (possibly empty). */
export function rawServices(root: RawMap): RawMap {
  return asMap(root['services']) ?? {};
}

/** The declared dependencies: `postgres`/`cache` present (an empty value counts). */
export function rawDependency(root: RawMap, kind: 'postgres' | 'cache'): RawMap | undefined {
  const deps = asMap(root['dependencies']);
  return deps && has(deps, kind) ? asSection(deps[kind]) : undefined;
}

/** Names in depends_on with the path of each (list items or map keys). */
export function dependsOnNames(service: RawMap, servicePath: KeyPath): { name: string; path: KeyPath; at: 'key' | 'value' }[] {
  const value = service['depends_on'];
  const path = [...servicePath, 'depends_on'];
  if (Array.isArray(value)) {
    return value.flatMap((name, i) => (typeof name === 'string' ? [{ name, path: [...path, i], at: 'value' as const }] : []));
  }
  const map = asMap(value);
  return map ? Object.keys(map).map((name) => ({ name, path: [...path, name], at: 'key' as const })) : [];
}

/** Whether `proxy:` of a dependency or service asks for a proxy (`false` does not). */
export function proxyWanted(owner: RawMap, byDefault: boolean): boolean {
  if (!has(owner, 'proxy')) return byDefault;
  return owner['proxy'] !== false;
}

export interface RawListen {
  host: string;
  port: number;
}

/** Reads a port or "host:port"; undefined for anything else. */
export function readAddress(value: unknown, host: string): RawListen | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535) return { host, port: value };
  if (typeof value !== 'string') return undefined;
  const m = ADDRESS_PATTERN.exec(value);
  const port = Number(m?.[2]);
  if (!m || port > 65535) return undefined;
  return { host: m[1]?.replace(/^\[|\]$/g, '') ?? host, port };
}

export function rawHost(root: RawMap): string {
  return typeof root['host'] === 'string' ? root['host'] : DEFAULTS.host;
}
