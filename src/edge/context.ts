/** What the request handlers share: options, the pool, metrics, the keep-alive agent. */
import type { Agent } from 'node:http';
import type { LabError } from '../errors.js';
import type { EdgeMetrics } from './metrics.js';
import type { ResolvedEdgeOptions } from './options.js';
import type { BackendPool, BackendState } from './pool.js';

export interface EdgeContext {
  readonly options: ResolvedEdgeOptions;
  readonly pool: BackendPool;
  readonly metrics: EdgeMetrics;
  readonly agent: Agent;
  /** True once close() began: responses then carry `Connection: close`. */
  closing(): boolean;
}

/** Methods a request may be sent twice with (RFC 9110 9.2.2), when they carry no body. */
export const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export function describeBackend(service: string, state: BackendState): string {
  return `replica ${state.backend.id} of ${service} (${state.backend.host}:${state.backend.port})`;
}

/** The `{ "error": { "code", "message" } }` body of an edge error, serialized. */
export function errorBody(err: LabError): string {
  return JSON.stringify(err.toJSON());
}
