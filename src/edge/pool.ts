/**
 * The backends of one service and their health: who is in rotation, round-robin
 * choice among those, and the transitions health checks and failures cause.
 */
import type { Backend, BackendChange, BackendChangeReason, BackendStatus } from './types.js';

/** One backend's mutable state; the pool hands these out so callers can count on them. */
export interface BackendState {
  readonly backend: Readonly<Backend>;
  healthy: boolean;
  /** Clock time it went out of rotation; for the passive cool-off. */
  downSince: number;
  /** Why it is out of rotation (or last went out), for the 503 message. */
  downDetail: string;
  passes: number;
  fails: number;
  inFlight: number;
  requests: number;
  failures: number;
}

export interface PoolOptions {
  service: string;
  clock: () => number;
  unhealthyThreshold: number;
  healthyThreshold: number;
  /** With no active checks, a backend out of rotation comes back after this long; null = only a check brings it back. */
  coolOffMs: number | null;
}

export class BackendPool {
  #states: BackendState[] = [];
  #cursor = 0;
  readonly #options: PoolOptions;
  readonly #listeners = new Set<(change: BackendChange) => void>();

  constructor(options: PoolOptions) {
    this.#options = options;
  }

  /** Replaces the set; an id with the same host and port keeps its state, anything else starts healthy. */
  set(backends: readonly Backend[]): void {
    const previous = new Map(this.#states.map((s) => [s.backend.id, s]));
    this.#states = backends.map((b) => {
      const old = previous.get(b.id);
      if (old && old.backend.host === b.host && old.backend.port === b.port) return old;
      return {
        backend: Object.freeze({ id: b.id, host: b.host, port: b.port }),
        healthy: true,
        downSince: 0,
        downDetail: '',
        passes: 0,
        fails: 0,
        inFlight: 0,
        requests: 0,
        failures: 0,
      };
    });
    this.#cursor = this.#states.length === 0 ? 0 : this.#cursor % this.#states.length;
  }

  /** The current states, in the order setBackends() gave them. */
  list(): readonly BackendState[] {
    this.#endCoolOffs();
    return this.#states;
  }

  has(state: BackendState): boolean {
    return this.#states.includes(state);
  }

  find(id: string): BackendState | undefined {
    return this.#states.find((s) => s.backend.id === id);
  }

  /** The next healthy backend in round-robin order whose id is not in `exclude`. */
  pick(exclude: ReadonlySet<string> = new Set()): BackendState | undefined {
    this.#endCoolOffs();
    const n = this.#states.length;
    for (let i = 0; i < n; i++) {
      const index = (this.#cursor + i) % n;
      const state = this.#states[index]!;
      if (state.healthy && !exclude.has(state.backend.id)) {
        this.#cursor = (index + 1) % n;
        return state;
      }
    }
    return undefined;
  }

  /** Out of rotation now (a failed request, or the supervisor saw the process die). */
  takeOut(state: BackendState, reason: 'request-failed' | 'marked-down', detail: string): void {
    if (!this.has(state)) return;
    state.passes = 0;
    state.downSince = this.#options.clock();
    state.downDetail = detail;
    if (state.healthy) {
      state.healthy = false;
      this.#emit(state, reason, detail);
    }
  }

  /** Applies one active health check result, with the thresholds. */
  reportCheck(state: BackendState, passed: boolean, detail: string): void {
    if (!this.has(state)) return;
    if (passed) {
      state.fails = 0;
      state.passes++;
      if (!state.healthy && state.passes >= this.#options.healthyThreshold) {
        state.healthy = true;
        this.#emit(state, 'health-check-passed', detail);
      }
      return;
    }
    state.passes = 0;
    state.fails++;
    if (state.healthy && state.fails >= this.#options.unhealthyThreshold) {
      state.healthy = false;
      state.downSince = this.#options.clock();
      state.downDetail = `health check failed ${state.fails} time${state.fails === 1 ? '' : 's'}: ${detail}`;
      this.#emit(state, 'health-check-failed', detail);
    }
  }

  statuses(): BackendStatus[] {
    return this.list().map((s) => ({
      ...s.backend,
      healthy: s.healthy,
      inFlight: s.inFlight,
      requests: s.requests,
      failures: s.failures,
    }));
  }

  /** Why there is nobody to send a request to, for the 503 body. */
  describeNoBackend(): string {
    const service = this.#options.service;
    if (this.#states.length === 0) return `no healthy replica of ${service}; none is registered (replicas join the edge once they are ready)`;
    const down = this.#states.map((s) => `${s.backend.id} (${s.downDetail})`).join(', ');
    const count = this.#states.length === 1 ? 'its only replica is' : `all ${this.#states.length} replicas are`;
    return `no healthy replica of ${service}; ${count} out of rotation: ${down}`;
  }

  onChange(listener: (change: BackendChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** With passive checks only, a backend comes back once its cool-off has passed (nginx's fail_timeout). */
  #endCoolOffs(): void {
    const coolOff = this.#options.coolOffMs;
    if (coolOff === null) return;
    const now = this.#options.clock();
    for (const state of this.#states) {
      if (!state.healthy && now - state.downSince >= coolOff) {
        state.healthy = true;
        this.#emit(state, 'cool-off-ended', `${coolOff} ms passed since it went out of rotation`);
      }
    }
  }

  #emit(state: BackendState, reason: BackendChangeReason, detail: string): void {
    const change: BackendChange = { id: state.backend.id, healthy: state.healthy, reason, detail };
    for (const listener of [...this.#listeners]) {
      try {
        listener(change);
      } catch (err) {
        // A listener's bug must not break routing; surface it the way an EventEmitter would.
        process.nextTick(() => {
          throw err;
        });
      }
    }
  }
}
