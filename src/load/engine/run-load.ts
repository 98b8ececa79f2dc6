/**
 * runLoad(): checks the run, probes the target, starts the shards (this thread, or n
 * worker threads), collects one interval per second, stops on the schedule's end or
 * the AbortSignal, and merges the shards' raw histograms and counters exactly.
 */
import { createWriteStream, readFileSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import os from 'node:os';
import { LabError } from '../../errors.js';
import type { Interval, RunSummary, Scenario } from '../types.js';
import { LocalShardHandle } from './local-shard.js';
import type { ShardHandle } from './local-shard.js';
import { mergeIntervals, mergeSnapshots, sumErrors } from './metrics.js';
import type { IntervalSnapshot } from './metrics.js';
import { parseTarget, probeTarget } from './probe.js';
import { compileTask } from './request.js';
import type { TransportKind } from './request.js';
import { shareOf, usersAt } from './schedule.js';
import { systemClock } from './shard.js';
import { resolveTransport } from './transport.js';
import type { Clock } from './shard.js';
import { WorkerShardHandle } from './worker-shard.js';

export interface RunLoadOptions {
  scenario: Scenario;
  /** Worker threads (default 1: the run stays in this thread). */
  workers?: number;
  signal?: AbortSignal;
  /** Called once per second of the run, with every shard's second merged. */
  onInterval?: (interval: Interval) => void;
  /** Appends one JSON line per request of a task with `record: true`. */
  recordFile?: string | null;
  /**
   * Connections of the pool (split over the workers). Default: the most users of the
   * closed model, or the open model's maxInFlight. Fewer connections than maxInFlight
   * queue requests in the client, as wrk2's fixed connections do.
   */
  connections?: number;
  /** Milliseconds; the default is performance.timeOrigin + performance.now(). Only the main thread uses it. */
  clock?: Clock;
  /**
   * How requests are sent. Default auto: the http1 transport (raw keep-alive sockets,
   * pre-encoded requests) for http: targets, undici for https:. `undici` forces undici.
   */
  transport?: TransportKind;
}

const PROBE_TIMEOUT_MS = 3000;
const VERSION = ((): string => {
  try {
    return (JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
})();

function checkOptions(scenario: Scenario, workers: number, transport: TransportKind): void {
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
    throw new LabError('LAB_LOAD_BAD_RUN_OPTIONS', `workers must be a whole number from 1 to 64, received ${String(workers)}`);
  }
  parseTarget(scenario.target);
  resolveTransport(transport, scenario.target);
  if (scenario.tasks.length === 0) throw new LabError('LAB_LOAD_BAD_RUN_OPTIONS', `scenario ${scenario.name} has no tasks: add at least one under tasks:`);
  scenario.tasks.forEach((task, i) => {
    try {
      compileTask(task, i);
    } catch (err) {
      throw new LabError('LAB_LOAD_BAD_RUN_OPTIONS', (err as Error).message, { cause: err });
    }
  });
}

/** Most users the closed model ever runs, or the open model's maxInFlight: the pool's connections. */
function peakConcurrency(scenario: Scenario): number {
  const model = scenario.model;
  if (model.kind === 'open') return model.maxInFlight;
  return Math.max(model.startUsers, ...model.stages.map((s) => s.target), usersAt(model, 0));
}

async function openRecordFile(file: string): Promise<WriteStream> {
  const stream = createWriteStream(file, { flags: 'a' });
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (err) => reject(new LabError('LAB_LOAD_BAD_RUN_OPTIONS', `recordFile "${file}" cannot be opened for appending: ${err.message}`, { cause: err })));
  });
  return stream;
}

export async function runLoad(options: RunLoadOptions): Promise<RunSummary> {
  const { scenario, signal } = options;
  const workers = options.workers ?? 1;
  const clock = options.clock ?? systemClock;
  const transport = options.transport ?? 'auto';
  checkOptions(scenario, workers, transport);
  await probeTarget(scenario.target, Math.min(PROBE_TIMEOUT_MS, scenario.timeoutMs));
  const record = options.recordFile ? await openRecordFile(options.recordFile) : null;
  const writeRecords = (lines: string[]): void => {
    if (record && lines.length > 0) record.write(`${lines.join('\n')}\n`);
  };
  const peak = options.connections ?? peakConcurrency(scenario);
  const handles: ShardHandle[] = workers === 1
    ? [new LocalShardHandle({ scenario, index: 0, count: 1, connections: peak, transport, clock, onRecord: record ? (line) => writeRecords([line]) : undefined })]
    : Array.from({ length: workers }, (_, index) => new WorkerShardHandle({ scenario, index, count: workers, connections: shareOf(peak, index, workers), transport, recording: record !== null }, writeRecords));
  const intervals: Interval[] = [];
  let interrupted = false;
  let timer: NodeJS.Timeout | undefined;
  const onAbort = (): void => {
    interrupted = true;
    for (const handle of handles) handle.abort();
  };
  try {
    await Promise.all(handles.map((h) => h.ready()));
    const t0 = clock();
    const startedAtMs = Date.now();
    const collect = async (second: number, final = false): Promise<void> => {
      const parts: IntervalSnapshot[] = await Promise.all(handles.map((h) => h.takeInterval()));
      const interval = mergeIntervals(second, parts);
      // The drain after the last full second only counts when something happened in it.
      if (final && interval.requests === 0 && sumErrors(interval.errors) === 0) return;
      intervals.push(interval);
      options.onInterval?.(interval);
    };
    let pending: Promise<void> = Promise.resolve();
    const schedule = (second: number): void => {
      timer = setTimeout(() => {
        pending = pending.then(() => collect(second));
        schedule(second + 1);
      }, Math.max(0, t0 + second * 1000 - clock()));
    };
    schedule(1);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    const snapshots = await Promise.all(handles.map((h) => h.run(t0)));
    const endedAt = clock();
    clearTimeout(timer);
    await pending;
    await collect(Math.max(intervals.length + 1, Math.ceil((endedAt - t0) / 1000 - 1e-6)), true);
    const merged = mergeSnapshots(snapshots);
    const durationMs = Math.max(0, endedAt - t0);
    const errorCount = sumErrors(merged.errors);
    const attempts = merged.requests + (merged.errors.dropped ?? 0);
    return {
      scenario: scenario.name, target: scenario.target, model: scenario.model.kind, startedAtMs, durationMs: Math.round(durationMs),
      requests: merged.requests, requestsPerSecond: durationMs > 0 ? merged.requests / (durationMs / 1000) : 0,
      errors: merged.errors, errorRatio: attempts > 0 ? errorCount / attempts : 0,
      responseTime: merged.responseTime, serviceTime: merged.serviceTime, tasks: merged.tasks, intervals, thresholds: [], interrupted,
      environment: { node: process.version, os: `${os.type()} ${os.release()} ${os.arch()}`, cpus: os.cpus().length, workers, cloudlabVersion: VERSION },
    };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    await Promise.all(handles.map((h) => h.dispose()));
    if (record) await new Promise<void>((resolve) => record.end(resolve));
  }
}
