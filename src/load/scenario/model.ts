/**
 * The load model of a scenario, from k6's options: `vus` + `duration` (constant-vus),
 * `stages` (ramping-vus), `rate` + `duration` (constant-arrival-rate), or
 * `executor: ramping-arrival-rate` with `startRate` + `stages`. `executor` may be
 * written out; otherwise it is inferred from the keys present.
 */
import type { LoadModel } from '../types.js';
import { checkKeys, isRecord, suggest } from './problems.js';
import type { KeyPath, Problems } from './problems.js';
import { readDuration, readInteger, readNumber } from './values.js';

export const EXECUTORS = ['constant-vus', 'ramping-vus', 'constant-arrival-rate', 'ramping-arrival-rate'] as const;
export type Executor = (typeof EXECUTORS)[number];

/** The keys each executor takes (beside `executor`). */
const EXECUTOR_KEYS: Readonly<Record<Executor, readonly string[]>> = {
  'constant-vus': ['vus', 'duration'],
  'ramping-vus': ['stages', 'startVUs', 'vus'],
  'constant-arrival-rate': ['rate', 'duration', 'timeUnit', 'maxVUs', 'maxInFlight'],
  'ramping-arrival-rate': ['stages', 'startRate', 'timeUnit', 'maxVUs', 'maxInFlight'],
};

export const MODEL_KEYS: readonly string[] = ['executor', ...new Set(Object.values(EXECUTOR_KEYS).flat())];

/** Requests in flight at most in the open model when neither maxVUs nor maxInFlight is set. */
export const DEFAULT_MAX_IN_FLIGHT = 1000;

const STAGES_EXAMPLE = 'stages: [{ duration: 30s, target: 50 }]';
const MODEL_FIX = 'add "vus: 10" and "duration: 30s" (closed model), "stages: [...]" (ramping users), or "rate: 50" and "duration: 30s" (open model)';

function inferExecutor(raw: Record<string, unknown>): Executor | undefined {
  if (raw.rate !== undefined) return 'constant-arrival-rate';
  if (raw.startRate !== undefined) return 'ramping-arrival-rate';
  if (raw.stages !== undefined) return 'ramping-vus';
  if (raw.vus !== undefined || raw.duration !== undefined) return 'constant-vus';
  return undefined;
}

function readExecutor(raw: Record<string, unknown>, problems: Problems): Executor | undefined {
  if (raw.executor === undefined) {
    const inferred = inferExecutor(raw);
    return inferred ?? problems.add([], 'must set a load model', undefined, MODEL_FIX);
  }
  if ((EXECUTORS as readonly unknown[]).includes(raw.executor)) return raw.executor as Executor;
  const near = typeof raw.executor === 'string' ? suggest(raw.executor, EXECUTORS) : null;
  return problems.add(['executor'], `must be one of ${EXECUTORS.join(', ')}`, raw.executor, near ? `did you mean ${near}?` : 'use one of these; the iteration-based executors of k6 are not supported');
}

type Stages = Array<{ durationMs: number; target: number }>;

function readStages(raw: unknown, problems: Problems, target: (value: unknown, path: KeyPath) => number | undefined): Stages | undefined {
  const fix = 'write a list such as [{ duration: 30s, target: 50 }, { duration: 1m, target: 50 }]';
  if (!Array.isArray(raw) || raw.length === 0) return problems.add(['stages'], 'must be a non-empty list of { duration, target }', raw, fix);
  const stages: Stages = [];
  raw.forEach((stage: unknown, i) => {
    const path = ['stages', i];
    if (!isRecord(stage)) return problems.add(path, 'must be { duration, target }', stage, fix);
    checkKeys(stage, path, ['duration', 'target'], problems);
    const durationMs = stage.duration === undefined ? problems.add([...path, 'duration'], 'is required', undefined, 'add "duration: 30s"') : readDuration(stage.duration, [...path, 'duration'], problems);
    const value = stage.target === undefined ? problems.add([...path, 'target'], 'is required', undefined, 'add "target: 50"') : target(stage.target, [...path, 'target']);
    if (durationMs !== undefined && value !== undefined) stages.push({ durationMs, target: value });
    return undefined;
  });
  if (stages.length === raw.length && stages.every((s) => s.durationMs === 0)) {
    return problems.add(['stages'], 'must last longer than 0s in total', raw, 'give at least one stage a duration above zero');
  }
  return stages.length === raw.length ? stages : undefined;
}

/** Reads a key the executor requires, recording one problem when it is missing. */
function required<T>(raw: Record<string, unknown>, key: string, executor: Executor, example: string, problems: Problems, read: (value: unknown) => T | undefined): T | undefined {
  if (raw[key] === undefined) return problems.add([key], `is required by executor ${executor}`, undefined, `add "${example}"`);
  return read(raw[key]);
}

function readMaxInFlight(raw: Record<string, unknown>, problems: Problems): number | undefined {
  if (raw.maxVUs !== undefined && raw.maxInFlight !== undefined) {
    return problems.add(['maxInFlight'], 'cannot be set beside maxVUs (they are the same limit)', raw.maxInFlight, 'keep one of the two');
  }
  const key = raw.maxInFlight !== undefined ? 'maxInFlight' : 'maxVUs';
  return raw[key] === undefined ? DEFAULT_MAX_IN_FLIGHT : readInteger(raw[key], [key], problems, 1);
}

/** Reads the model keys of a scenario's top level (other keys are left to the caller). */
export function readModel(raw: Record<string, unknown>, problems: Problems): LoadModel | undefined {
  const executor = readExecutor(raw, problems);
  if (executor === undefined) return undefined;
  const allowed = EXECUTOR_KEYS[executor];
  for (const key of MODEL_KEYS) {
    if (key === 'executor' || raw[key] === undefined || allowed.includes(key)) continue;
    const owner = EXECUTORS.find((e) => EXECUTOR_KEYS[e].includes(key) && e !== executor);
    problems.add([key], `does not apply to executor ${executor}`, raw[key], `remove it, or use executor ${owner ?? 'another executor'}`);
  }
  const readTotal = (value: unknown): number | undefined => readDuration(value, ['duration'], problems, 1);
  const users = (value: unknown, path: KeyPath): number | undefined => readInteger(value, path, problems, 0);
  switch (executor) {
    case 'constant-vus': {
      const vus = raw.vus === undefined ? 1 : readInteger(raw.vus, ['vus'], problems, 1);
      const durationMs = required(raw, 'duration', executor, 'duration: 30s', problems, readTotal);
      if (vus === undefined || durationMs === undefined) return undefined;
      return { kind: 'closed', startUsers: vus, stages: [{ durationMs, target: vus }] };
    }
    case 'ramping-vus': {
      if (raw.vus !== undefined && raw.startVUs !== undefined) {
        return problems.add(['vus'], 'cannot be set beside startVUs (with stages, vus means startVUs, as in k6)', raw.vus, 'keep startVUs and remove vus');
      }
      const start = raw.startVUs ?? raw.vus;
      const startUsers = start === undefined ? 0 : readInteger(start, [raw.startVUs === undefined ? 'vus' : 'startVUs'], problems, 0);
      const stages = required(raw, 'stages', executor, STAGES_EXAMPLE, problems, (v) => readStages(v, problems, users));
      if (startUsers === undefined || stages === undefined) return undefined;
      return { kind: 'closed', startUsers, stages };
    }
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate': {
      const unitMs = raw.timeUnit === undefined ? 1000 : readDuration(raw.timeUnit, ['timeUnit'], problems, 1);
      const perSecond = (value: number): number => (value * 1000) / (unitMs ?? 1000);
      const rates = (value: unknown, path: KeyPath): number | undefined => readNumber(value, path, problems, 0);
      const maxInFlight = readMaxInFlight(raw, problems);
      if (executor === 'constant-arrival-rate') {
        const rate = required(raw, 'rate', executor, 'rate: 50', problems, (v) => readNumber(v, ['rate'], problems, 0, true));
        const durationMs = required(raw, 'duration', executor, 'duration: 30s', problems, readTotal);
        if (rate === undefined || durationMs === undefined || unitMs === undefined || maxInFlight === undefined) return undefined;
        return { kind: 'open', startRate: perSecond(rate), stages: [{ durationMs, target: perSecond(rate) }], maxInFlight };
      }
      const startRate = raw.startRate === undefined ? 0 : rates(raw.startRate, ['startRate']);
      const stages = required(raw, 'stages', executor, STAGES_EXAMPLE, problems, (v) => readStages(v, problems, rates));
      if (startRate === undefined || stages === undefined || unitMs === undefined || maxInFlight === undefined) return undefined;
      return { kind: 'open', startRate: perSecond(startRate), stages: stages.map((s) => ({ durationMs: s.durationMs, target: perSecond(s.target) })), maxInFlight };
    }
  }
}
