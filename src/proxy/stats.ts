import type { DirectionCounters } from './link.js';
import type { Stream } from './toxics/definition.js';

/** Counters of one proxy, kept across disable/enable; read by GET /metrics. */
export interface ProxyStats {
  connectionsOpen: number;
  connectionsTotal: number;
  bytes: Record<Stream, DirectionCounters>;
  /** Activations per toxic (keyed by name, type and stream). */
  activations: Map<string, { name: string; type: string; stream: Stream; count: number }>;
}

export function createProxyStats(): ProxyStats {
  return {
    connectionsOpen: 0,
    connectionsTotal: 0,
    bytes: { upstream: { received: 0, sent: 0 }, downstream: { received: 0, sent: 0 } },
    activations: new Map(),
  };
}
