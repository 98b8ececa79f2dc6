/**
 * Load runs inside the lab process, for the console's Load page: one run at a time of
 * a built-in scenario against the lab's edge, its metrics exported to the lab's hub,
 * its report and recorded orders under `<stateDir>/load/`, a `load` event at its start
 * and its stop (chart markers).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LabError, describeValue } from '../errors.js';
import type * as LoadIndex from '../load/index.js';
import type { Interval, RunSummary, runLoad } from '../load/index.js';
import type { EventLog } from './events.js';

export interface LoadRequest {
  scenario: string;
  target?: string;
  vus?: number;
  durationMs?: number;
  rate?: number;
}

export interface LoadRunState {
  state: 'idle' | 'running' | 'stopping' | 'done' | 'failed';
  scenario: string | null;
  target: string | null;
  model: 'closed' | 'open' | null;
  startedAtMs: number | null;
  totalMs: number | null;
  /** The latest seconds (at most 600). */
  intervals: Interval[];
  summary: RunSummary | null;
  reportFile: string | null;
  error: { code: string; message: string } | null;
}

export interface LoadRunner {
  start(request: LoadRequest): Promise<LoadRunState>;
  /** Stops the run; false when none runs. */
  stop(): boolean;
  state(): LoadRunState;
  /** Stops a run and waits for it to end. */
  close(): Promise<void>;
}

export interface LoadRunnerOptions {
  stateDir: string;
  /** The target when the request names none (the lab's edge). */
  defaultTarget: string | null;
  /** The lab hub's OTLP/HTTP base URL, or null for no export. */
  otlpEndpoint: string | null;
  events: EventLog;
  /** Injectable for tests. */
  run?: typeof runLoad;
}

const MAX_INTERVALS = 600;

type LoadModule = typeof LoadIndex;
let loadModule: Promise<LoadModule> | undefined;

/**
 * The load engine and its scenarios (zod, HDR histograms, undici): imported on the first
 * run, not while the lab starts, where loading them cost half a second of CPU.
 */
function loadEngine(): Promise<LoadModule> {
  return (loadModule ??= import('../load/index.js'));
}
const IDLE: LoadRunState = { state: 'idle', scenario: null, target: null, model: null, startedAtMs: null, totalMs: null, intervals: [], summary: null, reportFile: null, error: null };

export function createLoadRunner(options: LoadRunnerOptions): LoadRunner {
  let current: LoadRunState = { ...IDLE };
  let controller: AbortController | null = null;
  let finished: Promise<void> = Promise.resolve();
  let starting = false;

  async function start(request: LoadRequest): Promise<LoadRunState> {
    if (starting || current.state === 'running' || current.state === 'stopping') {
      const which = starting ? 'is starting' : `(${current.scenario} against ${current.target}) is already going`;
      throw new LabError('LAB_LOAD_ALREADY_RUNNING', `a load run ${which}; stop it first (DELETE /api/load)`);
    }
    starting = true;
    try {
      const load = await loadEngine();
      if (!load.BUILTIN_SCENARIOS.includes(request.scenario)) {
        throw new LabError('LAB_CONTROL_BAD_REQUEST', `scenario must be one of ${load.BUILTIN_SCENARIOS.map((s) => `"${s}"`).join(', ')}, received ${JSON.stringify(request.scenario)}`);
      }
      return await begin(load, request);
    } finally {
      starting = false;
    }
  }

  async function begin(load: LoadModule, request: LoadRequest): Promise<LoadRunState> {
    const { createLoadOtlpExporter, evaluateThresholds, loadScenario, probeTarget, totalDurationMs, writeReports } = load;
    const run = options.run ?? load.runLoad;
    const target = request.target ?? options.defaultTarget ?? undefined;
    const overrides = {
      ...(target !== undefined ? { target } : {}),
      ...(request.vus !== undefined ? { vus: request.vus } : {}),
      ...(request.durationMs !== undefined ? { durationMs: request.durationMs } : {}),
      ...(request.rate !== undefined ? { rate: request.rate } : {}),
    };
    const scenario = await loadScenario(request.scenario, { cwd: options.stateDir, overrides });
    await probeTarget(scenario.target, Math.min(3000, scenario.timeoutMs));
    const startedAtMs = Date.now();
    const stamp = new Date(startedAtMs).toISOString().slice(0, 19).replace(/:/g, '-');
    const dir = join(options.stateDir, 'load');
    await mkdir(dir, { recursive: true });
    const recordFile = scenario.tasks.some((t) => t.record) ? join(dir, `orders-${stamp}.jsonl`) : null;
    const exporter = options.otlpEndpoint ? createLoadOtlpExporter({ endpoint: options.otlpEndpoint }) : null;
    const abort = new AbortController();
    controller = abort;
    const state: LoadRunState = { ...IDLE, state: 'running', scenario: scenario.name, target: scenario.target, model: scenario.model.kind, startedAtMs, totalMs: totalDurationMs(scenario.model) };
    current = state;
    options.events.add({ kind: 'load', action: 'start', detail: `load ${scenario.name} against ${scenario.target} (${scenario.model.kind} model, ${Math.round((state.totalMs ?? 0) / 1000)} s)` });
    finished = (async () => {
      try {
        const summary = await run({
          scenario,
          signal: abort.signal,
          recordFile,
          onInterval: (interval) => {
            state.intervals.push(interval);
            if (state.intervals.length > MAX_INTERVALS) state.intervals.splice(0, state.intervals.length - MAX_INTERVALS);
            exporter?.record(interval);
          },
        });
        summary.thresholds = evaluateThresholds(scenario.thresholds, summary);
        state.summary = summary;
        state.reportFile = (await writeReports(summary, join(dir, `report-${stamp}.json`))).json;
        state.state = 'done';
        options.events.add({ kind: 'load', action: 'stop', detail: `load ${scenario.name} ${summary.interrupted ? 'stopped' : 'ended'}: ${summary.requests} requests, ${summary.requestsPerSecond.toFixed(1)} req/s, p99 ${summary.responseTime.p99} ms` });
      } catch (err) {
        const lab = err instanceof LabError ? err : null;
        state.error = { code: lab?.code ?? 'LAB_CONTROL_INTERNAL', message: (err as Error).message };
        state.state = 'failed';
        options.events.add({ kind: 'load', action: 'stop', detail: `load ${scenario.name} failed: ${(err as Error).message}` });
      } finally {
        if (exporter) {
          exporter.setUsers(0);
          await exporter.close();
        }
        if (controller === abort) controller = null;
      }
    })();
    return snapshot();
  }

  function snapshot(): LoadRunState {
    return { ...current, intervals: [...current.intervals] };
  }

  return {
    start,
    stop() {
      if (!controller || current.state !== 'running') return false;
      current.state = 'stopping';
      controller.abort();
      return true;
    },
    state: snapshot,
    async close() {
      controller?.abort();
      await finished;
    },
  };
}

/** Reads the body of POST /api/load; a bad field is a 400 naming it. */
export function parseLoadRequest(body: Record<string, unknown>): LoadRequest {
  const bad = (field: string, expected: string): never => {
    throw new LabError('LAB_CONTROL_BAD_REQUEST', `POST /api/load: ${field} must be ${expected}, received ${describeValue(body[field])}`);
  };
  const { scenario, target } = body;
  if (typeof scenario !== 'string' || scenario === '') bad('scenario', 'the name of a built-in scenario, such as "steady"');
  if (target !== undefined && (typeof target !== 'string' || !/^https?:\/\//.test(target))) bad('target', 'an http:// or https:// base URL');
  const request: LoadRequest = { scenario: scenario as string, ...(target !== undefined ? { target: target as string } : {}) };
  for (const [field, max] of [['vus', 10_000], ['durationMs', 86_400_000], ['rate', 1_000_000]] as const) {
    const value = body[field];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) bad(field, `a whole number from 1 to ${max}`);
    request[field] = value as number;
  }
  const known = new Set(['scenario', 'target', 'vus', 'durationMs', 'rate']);
  const unknown = Object.keys(body).find((k) => !known.has(k));
  if (unknown !== undefined) bad(unknown, 'absent (the fields are scenario, target, vus, durationMs, rate)');
  return request;
}
