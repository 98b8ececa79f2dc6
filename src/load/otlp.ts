/**
 * The load generator's own metrics over OTLP/HTTP JSON (`<endpoint>/v1/metrics`), so
 * the console shows load beside its effect: `cloudlab_load_active_users` (gauge),
 * `cloudlab_load_requests` (cumulative monotonic sum by task and outcome) and
 * `cloudlab_load_request_duration` (histogram in seconds by task), with resource
 * `service.name=cloudlab-load`. Fed one Interval per second; exported every 2 s.
 * The engine fills each Interval's `tasks`, so requests and latency are exact per task; an
 * Interval without them (from an older report) is exported as task "all", its latency
 * histogram placed from the second's p50/p95/p99 (an estimate).
 */
import { LOAD_DURATION_BOUNDS_MS } from './types.js';
import { durationBucket } from './engine/metrics.js';
import type { ErrorKind, Interval, IntervalTask } from './types.js';

export interface LoadOtlpOptions {
  /** OTLP/HTTP base URL (http://127.0.0.1:4318); `/v1/metrics` is appended unless already there. */
  endpoint: string;
  exportIntervalMs?: number;
  /** resource service.instance.id; default the pid. */
  instanceId?: string;
  clock?: () => number;
}

export interface LoadOtlpExporter {
  readonly url: string;
  record(interval: Interval): void;
  setUsers(users: number): void;
  /** Sends the current cumulative values now. */
  flush(): Promise<void>;
  stats(): { sent: number; failed: number; lastError: string | null };
  /** Stops the timer and sends one last time. */
  close(): Promise<void>;
}

interface TaskState {
  outcomes: Map<string, number>;
  counts: number[];
  sumMs: number;
  count: number;
}

/** The metrics URL from an explicit value, else OTEL_EXPORTER_OTLP_ENDPOINT; null when neither. */
export function otlpMetricsUrl(endpoint: string | null | undefined, env: NodeJS.ProcessEnv = process.env): string | null {
  const metricsOnly = env['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT'];
  const base = endpoint ?? (metricsOnly ? metricsOnly : env['OTEL_EXPORTER_OTLP_ENDPOINT']);
  if (!base) return null;
  const trimmed = base.replace(/\/+$/, '');
  return trimmed.endsWith('/v1/metrics') ? trimmed : `${trimmed}/v1/metrics`;
}

function estimatedTask(interval: Interval): IntervalTask {
  const counts = new Array<number>(LOAD_DURATION_BOUNDS_MS.length + 1).fill(0);
  const n = interval.requests;
  const shares: Array<[number, number]> = [[interval.p50, Math.round(n * 0.5)], [interval.p95, Math.round(n * 0.45)], [interval.p99, Math.round(n * 0.04)]];
  shares.push([interval.p99, n - shares.reduce((s, [, c]) => s + c, 0)]);
  let sum = 0;
  for (const [valueMs, c] of shares) {
    if (c <= 0) continue;
    counts[durationBucket(valueMs)]! += c;
    sum += valueMs * c;
  }
  return { name: 'all', requests: n, errors: interval.errors, durationCounts: counts, durationSumMs: sum };
}

const str = (key: string, value: string): { key: string; value: { stringValue: string } } => ({ key, value: { stringValue: value } });

export function createLoadOtlpExporter(options: LoadOtlpOptions): LoadOtlpExporter {
  const url = otlpMetricsUrl(options.endpoint, {})!;
  const clock = options.clock ?? Date.now;
  const nanos = (timeMs: number): string => `${BigInt(Math.round(timeMs)) * 1_000_000n}`;
  const startNano = nanos(clock());
  const tasks = new Map<string, TaskState>();
  let users = 0;
  let sent = 0;
  let failed = 0;
  let lastError: string | null = null;
  let chain: Promise<void> = Promise.resolve();
  const timer = setInterval(() => void flush(), options.exportIntervalMs ?? 2000);
  timer.unref();

  function add(task: IntervalTask): void {
    let state = tasks.get(task.name);
    if (!state) tasks.set(task.name, (state = { outcomes: new Map(), counts: new Array<number>(LOAD_DURATION_BOUNDS_MS.length + 1).fill(0), sumMs: 0, count: 0 }));
    let errored = 0;
    for (const [kind, n] of Object.entries(task.errors) as Array<[ErrorKind, number]>) {
      state.outcomes.set(kind, (state.outcomes.get(kind) ?? 0) + n);
      if (kind !== 'dropped') errored += n;
    }
    state.outcomes.set('ok', (state.outcomes.get('ok') ?? 0) + Math.max(0, task.requests - errored));
    task.durationCounts.forEach((c, i) => {
      if (i < state.counts.length) state.counts[i]! += c;
      state.count += c;
    });
    state.sumMs += task.durationSumMs;
  }

  function payload(): unknown {
    const time = nanos(clock());
    const requests = [...tasks].flatMap(([task, s]) => [...s.outcomes].map(([outcome, n]) => ({ attributes: [str('task', task), str('outcome', outcome)], startTimeUnixNano: startNano, timeUnixNano: time, asInt: String(n) })));
    const durations = [...tasks].map(([task, s]) => ({
      attributes: [str('task', task)], startTimeUnixNano: startNano, timeUnixNano: time,
      count: String(s.count), sum: s.sumMs / 1000, bucketCounts: s.counts.map(String), explicitBounds: LOAD_DURATION_BOUNDS_MS.map((b) => b / 1000),
    }));
    return {
      resourceMetrics: [{
        resource: { attributes: [str('service.name', 'cloudlab-load'), str('service.instance.id', options.instanceId ?? String(process.pid))] },
        scopeMetrics: [{
          scope: { name: 'cloudlab.load' },
          metrics: [
            { name: 'cloudlab_load_active_users', description: 'Virtual users (closed model) or requests in flight (open model) of the load generator', gauge: { dataPoints: [{ timeUnixNano: time, asInt: String(users) }] } },
            ...(requests.length > 0 ? [{ name: 'cloudlab_load_requests', description: 'Requests the load generator sent, by task and outcome (ok or the error kind)', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: requests } }] : []),
            ...(durations.length > 0 ? [{ name: 'cloudlab_load_request_duration', unit: 's', description: 'Response time of the load generator\'s requests, by task', histogram: { aggregationTemporality: 2, dataPoints: durations } }] : []),
          ],
        }],
      }],
    };
  }

  async function send(): Promise<void> {
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload()), signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      if (res.ok) sent++;
      else {
        failed++;
        lastError = `${url} answered ${res.status}`;
      }
    } catch (err) {
      failed++;
      lastError = `${url}: ${(err as Error).message}`;
    }
  }

  function flush(): Promise<void> {
    chain = chain.then(send);
    return chain;
  }

  return {
    url,
    record(interval) {
      users = interval.users;
      for (const task of interval.tasks ?? [estimatedTask(interval)]) add(task);
    },
    setUsers(n) {
      users = n;
    },
    flush,
    stats: () => ({ sent, failed, lastError }),
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
