/** The edge's public types: what the orchestrator hands it and what it reports back. */

/** One replica of a service, as the supervisor knows it. */
export interface Backend {
  /** Stable replica id, as `cafe-1`; shown to clients in `x-cloudlab-backend`. */
  id: string;
  host: string;
  port: number;
}

export interface EdgeOptions {
  /** The service name, for metrics labels, logs and error messages. */
  name: string;
  /** Listen address; port 0 picks a free port (read it back from `edge.port`). */
  host: string;
  port: number;
  /** Active health checks (GET, 2xx passes); null runs passive checks only. */
  healthPath: string | null;
  /**
   * Time between two active checks of a backend. With `healthPath: null` it is the
   * passive cool-off instead: a backend taken out by a failure gets traffic again after it.
   */
  healthIntervalMs: number;
  /** A check that has no answer within this fails. */
  healthTimeoutMs: number;
  /** Consecutive failed checks that take a backend out of rotation (default 2). */
  unhealthyThreshold?: number;
  /** Consecutive passed checks that put it back (default 1). */
  healthyThreshold?: number;
  /** The longest a backend may stay silent (no response byte, no socket activity), like an ALB idle timeout (default 60 s). */
  requestTimeoutMs?: number;
  /** The longest a connection to a backend may take to open; then the request goes to another backend (default 5 s). */
  connectTimeoutMs?: number;
  /** How long close() lets in-flight requests finish before cutting them (default 2 s). */
  drainTimeoutMs?: number;
  /** Milliseconds, monotonic; for request durations and the passive cool-off. */
  clock?: () => number;
}

/** A backend with its health and traffic counters, as `edge.backends()` reports it. */
export interface BackendStatus extends Backend {
  healthy: boolean;
  /** Requests sent to it and not yet finished. */
  inFlight: number;
  /** Requests (and retries) sent to it. */
  requests: number;
  /** Transport failures: refused or reset connections, timeouts, bodies cut short. */
  failures: number;
}

/** Why a backend went in or out of rotation. */
export type BackendChangeReason =
  | 'health-check-failed'
  | 'health-check-passed'
  | 'request-failed'
  | 'cool-off-ended'
  | 'marked-down';

/** Emitted when a backend goes in or out of rotation. */
export interface BackendChange {
  id: string;
  healthy: boolean;
  reason: BackendChangeReason;
  /** Human-readable cause, as "GET /health answered 503" or "connect ECONNREFUSED". */
  detail: string;
}

export interface Edge {
  readonly port: number;
  /** Replaces the set; ids still present (same host and port) keep their health; new ones start healthy. */
  setBackends(backends: Backend[]): void;
  /** The supervisor saw the replica die: out of rotation now, until a health check passes. */
  markDown(id: string): void;
  backends(): BackendStatus[];
  /** The edge's own metrics in the Prometheus text exposition format (0.0.4). */
  metrics(): string;
  /** Calls `listener` on every change of rotation; returns a function that unsubscribes. */
  onBackendChange(listener: (change: BackendChange) => void): () => void;
  /** Stops listening and checking, lets in-flight requests finish within drainTimeoutMs, closes every socket. */
  close(): Promise<void>;
}
