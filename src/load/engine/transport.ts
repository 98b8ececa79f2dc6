/**
 * Which transport a shard sends through: http1 (http1-transport.ts) for http: targets,
 * undici (undici-transport.ts) for https: and whenever asked for by name.
 */
import { LabError } from '../../errors.js';
import { Http1Transport } from './http1-transport.js';
import type { Transport, TransportKind } from './request.js';
import { UndiciTransport } from './undici-transport.js';

export const TRANSPORT_KINDS: readonly TransportKind[] = ['auto', 'http1', 'undici'];

export interface TransportOptions {
  kind: TransportKind;
  /** The target URL (http: or https:). */
  target: string;
  connections: number;
  timeoutMs: number;
  now: () => number;
}

/** The transport `kind` resolves to for `target`; throws LAB_LOAD_BAD_RUN_OPTIONS for an unknown kind or http1 on https:. */
export function resolveTransport(kind: unknown, target: string): 'http1' | 'undici' {
  if (!TRANSPORT_KINDS.includes(kind as TransportKind)) {
    throw new LabError('LAB_LOAD_BAD_RUN_OPTIONS', `transport must be one of ${TRANSPORT_KINDS.join(', ')}, received ${JSON.stringify(kind)}; leave it out for auto`);
  }
  const http = new URL(target).protocol === 'http:';
  if (kind === 'http1' && !http) {
    throw new LabError('LAB_LOAD_BAD_RUN_OPTIONS', `transport http1 speaks plain http: only, received the target ${target}; use transport auto or undici for https:`);
  }
  return kind === 'undici' || !http ? 'undici' : 'http1';
}

export function createTransport(options: TransportOptions): Transport {
  const url = new URL(options.target);
  if (resolveTransport(options.kind, options.target) === 'undici') {
    return new UndiciTransport({ origin: url.origin, connections: options.connections, timeoutMs: options.timeoutMs, now: options.now });
  }
  return new Http1Transport({
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port === '' ? 80 : Number(url.port), hostHeader: url.host,
    connections: options.connections, timeoutMs: options.timeoutMs, now: options.now,
  });
}
