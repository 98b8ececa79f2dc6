/**
 * The handle runLoad() drives a shard through, the same whether the shard runs in this
 * thread (here) or in a worker (worker-shard.ts).
 */
import type { Scenario } from '../types.js';
import type { IntervalSnapshot, MetricsSnapshot } from './metrics.js';
import { runClosed, runOpen } from './models.js';
import { Shard } from './shard.js';
import type { Clock, ShardOptions } from './shard.js';

/** How long an aborted run lets requests in flight finish before cutting them. */
export const ABORT_GRACE_MS = 1000;

export interface ShardHandle {
  /** Resolves when the shard can start at once. */
  ready(): Promise<void>;
  /** Runs from `t0` (clock ms) until the schedule ends or abort(); resolves with the shard's metrics. */
  run(t0: number): Promise<MetricsSnapshot>;
  takeInterval(): Promise<IntervalSnapshot>;
  /** Stops starting requests; cuts those still in flight after ABORT_GRACE_MS. */
  abort(): void;
  /** Frees whatever is left (a worker that did not finish); safe to call twice. */
  dispose(): Promise<void>;
}

/** Runs a shard to its end: the model, then the in-flight requests (bounded by the request timeout). */
export async function runShard(shard: Shard, scenario: Scenario, t0: number): Promise<MetricsSnapshot> {
  try {
    if (scenario.model.kind === 'closed') await runClosed(shard, scenario.model, t0);
    else await runOpen(shard, scenario.model, t0);
  } finally {
    await shard.close(scenario.timeoutMs);
  }
  return shard.snapshot();
}

/** Stops the shard and, after the grace, cuts what is still in flight. */
export function abortShard(shard: Shard): void {
  shard.stop();
  setTimeout(() => shard.hurry(), ABORT_GRACE_MS).unref();
}

export class LocalShardHandle implements ShardHandle {
  readonly #shard: Shard;
  readonly #scenario: Scenario;

  constructor(options: ShardOptions & { clock: Clock }) {
    this.#shard = new Shard(options);
    this.#scenario = options.scenario;
  }

  ready(): Promise<void> {
    return Promise.resolve();
  }

  run(t0: number): Promise<MetricsSnapshot> {
    return runShard(this.#shard, this.#scenario, t0);
  }

  takeInterval(): Promise<IntervalSnapshot> {
    return Promise.resolve(this.#shard.takeInterval());
  }

  abort(): void {
    abortShard(this.#shard);
  }

  async dispose(): Promise<void> {
    this.#shard.stop();
    this.#shard.hurry();
    await this.#shard.close(0);
  }
}
