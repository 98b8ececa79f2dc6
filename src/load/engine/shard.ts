/**
 * A shard runs its share of the load (all of it with one thread, 1/n of the users or
 * arrivals in each of n workers): one transport with keep-alive connections, the
 * compiled tasks, the metrics, and the order records. The models (models.ts) decide
 * when to send.
 */
import { performance } from 'node:perf_hooks';
import type { ErrorKind, Scenario } from '../types.js';
import { RunMetrics } from './metrics.js';
import type { IntervalSnapshot, MetricsSnapshot } from './metrics.js';
import { compileTask, renderRequest, RECORD_BODY_CAP } from './request.js';
import type { CompiledTask, RenderedRequest, SendResult, Transport, TransportKind } from './request.js';
import { createTransport } from './transport.js';

/** Milliseconds on a clock shared by every thread of the process. */
export type Clock = () => number;
export const systemClock: Clock = () => performance.timeOrigin + performance.now();

export interface ShardOptions {
  scenario: Scenario;
  /** This shard's number and the number of shards (1 without workers). */
  index: number;
  count: number;
  /** Connections of the transport. */
  connections: number;
  /** Default auto: http1 for http:, undici for https:. */
  transport?: TransportKind;
  clock?: Clock;
  /** Receives one JSON line per request of a task with `record: true`. */
  onRecord?: (line: string) => void;
  random?: () => number;
}

export class Shard {
  readonly scenario: Scenario;
  readonly index: number;
  readonly count: number;
  readonly clock: Clock;
  readonly random: () => number;
  readonly tasks: CompiledTask[];
  readonly metrics: RunMetrics;
  /** Users running now (closed model) or requests in flight (open model), for the intervals. */
  users = 0;
  inFlight = 0;
  /** No new request starts once stopped. */
  stopped = false;
  readonly #transport: Transport;
  readonly #totalWeight: number;
  readonly #onRecord: ((line: string) => void) | undefined;
  readonly #stopListeners = new Set<() => void>();
  #idle: (() => void) | null = null;
  /** Set when the transport was destroyed: answers after that are not counted. */
  #cut = false;
  #hurried = false;

  constructor(options: ShardOptions) {
    this.scenario = options.scenario;
    this.index = options.index;
    this.count = options.count;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    const target = new URL(options.scenario.target);
    this.tasks = options.scenario.tasks.map((task, i) => compileTask(task, i, target.pathname));
    this.#totalWeight = this.tasks.reduce((sum, t) => sum + Math.max(0, t.task.weight), 0);
    this.metrics = new RunMetrics(options.scenario.tasks.map((t) => t.name));
    this.#onRecord = options.onRecord;
    this.#transport = createTransport({
      kind: options.transport ?? 'auto', target: options.scenario.target, connections: options.connections,
      timeoutMs: options.scenario.timeoutMs, now: this.clock,
    });
  }

  /** A task by weight (the only one without drawing). */
  pickTask(): CompiledTask {
    const only = this.tasks[0];
    if (this.tasks.length === 1 && only) return only;
    let r = this.random() * this.#totalWeight;
    for (const task of this.tasks) {
      r -= Math.max(0, task.task.weight);
      if (r < 0) return task;
    }
    return this.tasks[this.tasks.length - 1] as CompiledTask;
  }

  /**
   * Sends one request and records it, then calls `after` (never before start() returns).
   * `intendedAt` (clock ms) is the open model's scheduled start: the response time
   * counts from it; null counts from the send.
   */
  start(task: CompiledTask, vu: number, iteration: number, intendedAt: number | null, after: (() => void) | null): void {
    this.inFlight++;
    let request: RenderedRequest;
    try {
      request = task.fixed ?? renderRequest(task, { vu, iteration, random: this.random });
    } catch {
      // A template that throws at render time (randomInt bounds are checked at compile): count, never crash.
      setImmediate(() => {
        this.#settle(task, null, null, intendedAt);
        after?.();
      });
      return;
    }
    let sync = true;
    this.#transport.send(task, request, (result) => {
      this.#settle(task, request, result, intendedAt);
      // A transport may fail a request before send() returns: the next one waits a turn of the loop.
      if (after) {
        if (sync) setImmediate(after);
        else after();
      }
    });
    sync = false;
  }

  #settle(task: CompiledTask, request: RenderedRequest | null, result: SendResult | null, intendedAt: number | null): void {
    this.inFlight--;
    if (!this.#cut) {
      if (result === null || request === null) this.metrics.recordError(task.index, 'other');
      else {
        if (result.status === null) this.metrics.recordError(task.index, result.error ?? 'other');
        else {
          const serviceMs = result.endedAt - result.sentAt;
          const responseMs = intendedAt === null ? serviceMs : result.endedAt - intendedAt;
          this.metrics.recordResponse(task.index, responseMs, serviceMs, result.error);
        }
        if (task.task.record && this.#onRecord) this.#record(task, request, result.status, result.body, result.error);
      }
    }
    if (this.inFlight === 0 && this.#idle) this.#idle();
  }

  recordDropped(task: CompiledTask): void {
    this.metrics.recordError(task.index, 'dropped' satisfies ErrorKind);
  }

  #record(task: CompiledTask, request: { path: string; headers: Record<string, string> }, status: number | null, text: string, error: ErrorKind | null): void {
    const keyHeader = Object.keys(request.headers).find((h) => h.toLowerCase() === 'idempotency-key');
    let body: unknown = text.length > RECORD_BODY_CAP ? text.slice(0, RECORD_BODY_CAP) : text;
    try {
      if (text.length > 0 && text.length < RECORD_BODY_CAP) body = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    const line = { task: task.task.name, method: task.task.method, path: request.path, idempotencyKey: keyHeader ? request.headers[keyHeader] : null, status, body, timeMs: Date.now(), error };
    this.#onRecord?.(JSON.stringify(line));
  }

  /** Stops starting requests; wakes whatever waits (think times, the scheduler). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const listener of this.#stopListeners) listener();
    this.#stopListeners.clear();
  }

  /** Calls `listener` once when the shard stops; returns a function that unregisters it. */
  onStop(listener: () => void): () => void {
    if (this.stopped) {
      listener();
      return () => {};
    }
    this.#stopListeners.add(listener);
    return () => this.#stopListeners.delete(listener);
  }

  /** Waits for the requests in flight (at most `graceMs`, or until hurry()), then closes the transport, cutting the rest. */
  async close(graceMs: number): Promise<void> {
    if (this.inFlight > 0 && !this.#hurried) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.#idle = resolve;
        timer = setTimeout(resolve, graceMs);
      });
      clearTimeout(timer);
      this.#idle = null;
    }
    this.#cut = true;
    await this.#transport.destroy();
  }

  /** Ends close()'s wait now: the requests still in flight are cut. */
  hurry(): void {
    this.#hurried = true;
    this.#idle?.();
  }

  takeInterval(): IntervalSnapshot {
    return this.metrics.takeInterval(this.scenario.model.kind === 'open' ? this.inFlight : this.users);
  }

  snapshot(): MetricsSnapshot {
    return this.metrics.snapshot();
  }
}
