/** The main thread's handle on a worker thread running one shard (worker.ts). */
import { Worker } from 'node:worker_threads';
import { LabError } from '../../errors.js';
import type { ShardHandle } from './local-shard.js';
import type { IntervalSnapshot, MetricsSnapshot } from './metrics.js';
import type { FromWorker, ToWorker, WorkerInput } from './worker-protocol.js';

export class WorkerShardHandle implements ShardHandle {
  readonly #worker: Worker;
  readonly #index: number;
  readonly #onRecords: (lines: string[]) => void;
  readonly #ready: Promise<void>;
  readonly #done: Promise<MetricsSnapshot>;
  readonly #ticks = new Map<number, (interval: IntervalSnapshot) => void>();
  #nextTick = 0;
  #finished = false;
  /** The worker's last partial second, sent with its results. */
  #leftover: IntervalSnapshot | null = null;

  constructor(input: WorkerInput, onRecords: (lines: string[]) => void) {
    this.#index = input.index;
    this.#onRecords = onRecords;
    this.#worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: input });
    let onReady: () => void = () => {};
    this.#ready = new Promise((resolve) => (onReady = resolve));
    this.#done = new Promise((resolve, reject) => {
      const fail = (why: string, cause?: unknown): void => {
        if (this.#finished) return;
        this.#finished = true;
        this.#releaseTicks();
        reject(new LabError('LAB_LOAD_WORKER_FAILED', `load worker ${this.#index} ${why}`, { cause }));
      };
      this.#worker.on('message', (message: FromWorker) => {
        switch (message.type) {
          case 'ready':
            onReady();
            break;
          case 'interval':
            this.#onRecords(message.records);
            this.#ticks.get(message.id)?.(message.interval);
            this.#ticks.delete(message.id);
            break;
          case 'done':
            this.#onRecords(message.records);
            this.#finished = true;
            this.#leftover = message.interval;
            this.#releaseTicks();
            resolve(message.snapshot);
            break;
          case 'failed':
            fail(`failed: ${message.message}`, Object.assign(new Error(message.message), { stack: message.stack }));
            break;
        }
      });
      this.#worker.on('error', (err) => fail(`crashed: ${err.message}`, err));
      this.#worker.on('exit', (code) => fail(`exited (code ${code}) before reporting its results`));
    });
    // Reject ready() too when the worker dies before it is ready.
    this.#ready = Promise.race([this.#ready, this.#done.then(() => undefined)]);
    this.#done.catch(() => {}); // observed by run(); avoid an unhandled rejection before that
  }

  #releaseTicks(): void {
    for (const resolve of this.#ticks.values()) resolve(this.#takeLeftover());
    this.#ticks.clear();
  }

  #takeLeftover(): IntervalSnapshot {
    const out = this.#leftover ?? { users: 0, requests: 0, errors: {}, response: [], tasks: [] };
    this.#leftover = null;
    return out;
  }

  #send(message: ToWorker): void {
    if (!this.#finished) this.#worker.postMessage(message);
  }

  ready(): Promise<void> {
    return this.#ready;
  }

  run(t0: number): Promise<MetricsSnapshot> {
    this.#send({ type: 'start', t0 });
    return this.#done;
  }

  takeInterval(): Promise<IntervalSnapshot> {
    if (this.#finished) return Promise.resolve(this.#takeLeftover());
    const id = this.#nextTick++;
    return new Promise((resolve) => {
      this.#ticks.set(id, resolve);
      this.#send({ type: 'tick', id });
    });
  }

  abort(): void {
    this.#send({ type: 'abort' });
  }

  async dispose(): Promise<void> {
    this.#finished = true;
    this.#releaseTicks();
    await this.#worker.terminate();
  }
}
