/**
 * What a shard (the main thread or a worker) measures: per task and overall, the
 * response-time and service-time histograms and the counters by error kind, plus the
 * current second's interval. Snapshots are plain data (raw histogram buckets), so the
 * main thread merges workers exactly.
 */
import { LOAD_DURATION_BOUNDS_MS } from '../types.js';
import type { ErrorKind, Interval, IntervalTask, LatencySummary, TaskSummary } from '../types.js';
import { LatencyHistogram } from './histogram.js';
import type { HistogramBuckets } from './histogram.js';

export type ErrorCounts = Partial<Record<ErrorKind, number>>;

export interface TaskSnapshot {
  name: string;
  requests: number;
  errors: ErrorCounts;
  response: HistogramBuckets;
  service: HistogramBuckets;
}

export interface MetricsSnapshot {
  tasks: TaskSnapshot[];
}

export interface IntervalSnapshot {
  users: number;
  requests: number;
  errors: ErrorCounts;
  response: HistogramBuckets;
  /** Per task, in the scenario's task order: counts and fixed-bucket response times (exact to merge). */
  tasks: IntervalTask[];
}

/** The index of the LOAD_DURATION_BOUNDS_MS bucket a response time falls in (le, as Prometheus); the last is +Inf. */
export function durationBucket(ms: number): number {
  let i = 0;
  while (i < LOAD_DURATION_BOUNDS_MS.length && ms > LOAD_DURATION_BOUNDS_MS[i]!) i++;
  return i;
}

function emptyIntervalTask(name: string): IntervalTask {
  return { name, requests: 0, errors: {}, durationCounts: new Array<number>(LOAD_DURATION_BOUNDS_MS.length + 1).fill(0), durationSumMs: 0 };
}

export function addErrors(into: ErrorCounts, from: ErrorCounts): void {
  for (const [kind, n] of Object.entries(from) as Array<[ErrorKind, number]>) into[kind] = (into[kind] ?? 0) + n;
}

export function sumErrors(errors: ErrorCounts): number {
  return Object.values(errors).reduce((sum, n) => sum + n, 0);
}

class TaskMetrics {
  requests = 0;
  errors: ErrorCounts = {};
  readonly response = new LatencyHistogram();
  readonly service = new LatencyHistogram();
  constructor(readonly name: string) {}
}

export class RunMetrics {
  readonly #tasks: TaskMetrics[];
  #intervalRequests = 0;
  #intervalErrors: ErrorCounts = {};
  readonly #intervalResponse = new LatencyHistogram();
  #intervalTasks: IntervalTask[];

  constructor(taskNames: readonly string[]) {
    this.#tasks = taskNames.map((name) => new TaskMetrics(name));
    this.#intervalTasks = taskNames.map(emptyIntervalTask);
  }

  /** A request that got an answer (or failed after it was sent): times in ms, `error` null when it passed. */
  recordResponse(task: number, responseMs: number, serviceMs: number, error: ErrorKind | null): void {
    const metrics = this.#tasks[task];
    if (!metrics) return;
    metrics.requests++;
    this.#intervalRequests++;
    metrics.response.recordMs(responseMs);
    metrics.service.recordMs(serviceMs);
    this.#intervalResponse.recordMs(responseMs);
    const second = this.#intervalTasks[task]!;
    second.requests++;
    second.durationCounts[durationBucket(responseMs)]!++;
    second.durationSumMs += responseMs;
    if (error) this.recordError(task, error, false);
  }

  /** An error; `counted` false when the request was already counted by recordResponse. */
  recordError(task: number, kind: ErrorKind, counted = true): void {
    const metrics = this.#tasks[task];
    if (!metrics) return;
    const second = this.#intervalTasks[task]!;
    if (counted && kind !== 'dropped') {
      metrics.requests++;
      this.#intervalRequests++;
      second.requests++;
    }
    metrics.errors[kind] = (metrics.errors[kind] ?? 0) + 1;
    this.#intervalErrors[kind] = (this.#intervalErrors[kind] ?? 0) + 1;
    second.errors[kind] = (second.errors[kind] ?? 0) + 1;
  }

  /** The interval so far, then starts a new one. */
  takeInterval(users: number): IntervalSnapshot {
    const out = { users, requests: this.#intervalRequests, errors: this.#intervalErrors, response: this.#intervalResponse.toBuckets(), tasks: this.#intervalTasks };
    this.#intervalRequests = 0;
    this.#intervalErrors = {};
    this.#intervalResponse.reset();
    this.#intervalTasks = this.#tasks.map((t) => emptyIntervalTask(t.name));
    return out;
  }

  snapshot(): MetricsSnapshot {
    return {
      tasks: this.#tasks.map((t) => ({ name: t.name, requests: t.requests, errors: { ...t.errors }, response: t.response.toBuckets(), service: t.service.toBuckets() })),
    };
  }
}

/** Merges interval snapshots of every shard into one Interval (percentiles from the merged buckets). */
export function mergeIntervals(second: number, parts: readonly IntervalSnapshot[]): Interval {
  const histogram = new LatencyHistogram();
  const errors: ErrorCounts = {};
  let users = 0;
  let requests = 0;
  // A shard that has not measured yet sends no tasks: the names come from one that has.
  const names = parts.reduce<IntervalTask[]>((most, p) => (p.tasks.length > most.length ? p.tasks : most), []);
  const tasks = names.map((t) => emptyIntervalTask(t.name));
  for (const part of parts) {
    users += part.users;
    requests += part.requests;
    addErrors(errors, part.errors);
    histogram.addBuckets(part.response);
    part.tasks.forEach((t, i) => {
      const into = tasks[i];
      if (!into) return;
      into.requests += t.requests;
      addErrors(into.errors, t.errors);
      t.durationCounts.forEach((n, b) => (into.durationCounts[b]! += n));
      into.durationSumMs += t.durationSumMs;
    });
  }
  return { second, users, requests, errors, p50: histogram.percentileMs(50), p95: histogram.percentileMs(95), p99: histogram.percentileMs(99), tasks };
}

export interface MergedMetrics {
  requests: number;
  errors: ErrorCounts;
  responseTime: LatencySummary;
  serviceTime: LatencySummary;
  tasks: TaskSummary[];
}

/** Merges shard snapshots exactly: counters summed, raw buckets added. */
export function mergeSnapshots(snapshots: readonly MetricsSnapshot[]): MergedMetrics {
  const allResponse = new LatencyHistogram();
  const allService = new LatencyHistogram();
  const errors: ErrorCounts = {};
  const tasks: TaskSummary[] = [];
  let requests = 0;
  const names = snapshots[0]?.tasks.map((t) => t.name) ?? [];
  names.forEach((name, i) => {
    const response = new LatencyHistogram();
    const service = new LatencyHistogram();
    const taskErrors: ErrorCounts = {};
    let taskRequests = 0;
    for (const snapshot of snapshots) {
      const part = snapshot.tasks[i];
      if (!part) continue;
      taskRequests += part.requests;
      addErrors(taskErrors, part.errors);
      response.addBuckets(part.response);
      service.addBuckets(part.service);
      allResponse.addBuckets(part.response);
      allService.addBuckets(part.service);
    }
    requests += taskRequests;
    addErrors(errors, taskErrors);
    tasks.push({ name, requests: taskRequests, errors: taskErrors, responseTime: response.summary(), serviceTime: service.summary() });
  });
  return { requests, errors, responseTime: allResponse.summary(), serviceTime: allService.summary(), tasks };
}
