/** Checks the edge's options and backends once, at the boundary, and fills in defaults. */
import { LabError, describeValue } from '../errors.js';
import type { Backend, EdgeOptions } from './types.js';

export const EDGE_DEFAULTS = {
  unhealthyThreshold: 2,
  healthyThreshold: 1,
  requestTimeoutMs: 60_000,
  connectTimeoutMs: 5_000,
  drainTimeoutMs: 2_000,
} as const;

/** EdgeOptions with every default filled in. */
export type ResolvedEdgeOptions = Required<EdgeOptions>;

function invalid(field: string, expected: string, received: unknown): LabError {
  return new LabError('LAB_EDGE_INVALID_OPTIONS', `edge ${field} must be ${expected}, received ${describeValue(received)}`);
}

function positiveMs(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw invalid(field, 'a positive number of milliseconds', value);
  return value;
}

function positiveInteger(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw invalid(field, 'a positive integer', value);
  return value;
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535;
}

function nonEmpty(field: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') throw invalid(field, 'a non-empty string', value);
  return value;
}

export function resolveEdgeOptions(options: EdgeOptions): ResolvedEdgeOptions {
  const name = nonEmpty('name', options.name);
  const host = nonEmpty('host', options.host);
  if (!isPort(options.port)) throw invalid('port', 'an integer from 0 to 65535', options.port);
  const healthPath = options.healthPath;
  if (healthPath !== null && (typeof healthPath !== 'string' || !healthPath.startsWith('/'))) {
    throw invalid('healthPath', 'a path starting with "/" (or null for passive checks only)', healthPath);
  }
  const clock = options.clock ?? (() => performance.now());
  if (typeof clock !== 'function') throw invalid('clock', 'a function returning milliseconds', clock);
  return {
    name,
    host,
    port: options.port,
    healthPath,
    healthIntervalMs: positiveMs('healthIntervalMs', options.healthIntervalMs),
    healthTimeoutMs: positiveMs('healthTimeoutMs', options.healthTimeoutMs),
    unhealthyThreshold: positiveInteger('unhealthyThreshold', options.unhealthyThreshold ?? EDGE_DEFAULTS.unhealthyThreshold),
    healthyThreshold: positiveInteger('healthyThreshold', options.healthyThreshold ?? EDGE_DEFAULTS.healthyThreshold),
    requestTimeoutMs: positiveMs('requestTimeoutMs', options.requestTimeoutMs ?? EDGE_DEFAULTS.requestTimeoutMs),
    connectTimeoutMs: positiveMs('connectTimeoutMs', options.connectTimeoutMs ?? EDGE_DEFAULTS.connectTimeoutMs),
    drainTimeoutMs: positiveMs('drainTimeoutMs', options.drainTimeoutMs ?? EDGE_DEFAULTS.drainTimeoutMs),
    clock,
  };
}

/** Checks a backend list from setBackends(): ids unique and non-empty, hosts non-empty, ports 1-65535. */
export function checkBackends(service: string, backends: readonly Backend[]): void {
  const list: unknown = backends;
  if (!Array.isArray(list)) throw invalid(`backends of ${service}`, 'an array of { id, host, port }', list);
  const seen = new Set<string>();
  (list as unknown[]).forEach((item, i) => {
    const at = `backends[${i}]`;
    if (typeof item !== 'object' || item === null) throw invalid(at, 'an object { id, host, port }', item);
    const b = item as Partial<Record<keyof Backend, unknown>>;
    const id = nonEmpty(`${at}.id`, b.id);
    // It goes out in the x-cloudlab-backend response header.
    if (!/^[\x20-\x7e]+$/.test(id)) throw invalid(`${at}.id`, 'printable ASCII (it is sent in the x-cloudlab-backend header)', id);
    nonEmpty(`${at}.host`, b.host);
    if (!isPort(b.port) || b.port === 0) throw invalid(`${at}.port`, 'an integer from 1 to 65535', b.port);
    if (seen.has(id)) throw invalid(`${at}.id`, `unique within the service ${service}`, id);
    seen.add(id);
  });
}
