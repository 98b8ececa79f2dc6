/**
 * A scenario's data (from YAML, JSON, a JS module or a built-in) to a validated,
 * frozen Scenario: every problem of the file is reported at once, then the overrides
 * apply on top.
 */
import type { Scenario } from '../types.js';
import { MODEL_KEYS, readModel } from './model.js';
import { applyOverrides, normalizeTarget } from './overrides.js';
import type { ScenarioOverrides } from './overrides.js';
import { Problems, checkKeys, isRecord } from './problems.js';
import type { ScenarioSource } from './source.js';
import { readTasks } from './tasks.js';
import { readThresholds } from './thresholds.js';
import { readDuration, readString } from './values.js';

export const SCENARIO_KEYS: readonly string[] = ['name', 'target', 'timeout', 'tasks', 'thresholds', ...MODEL_KEYS];
export const DEFAULT_TIMEOUT_MS = 10_000;

/** k6 options a scenario file may carry over, with what to write instead. */
const K6_HINTS: Readonly<Record<string, string>> = {
  iterations: 'iterations are not supported; give a duration instead',
  scenarios: 'one scenario per file; write its executor and options at the top level',
  preAllocatedVUs: 'write maxVUs (the most requests in flight); nothing is pre-allocated',
  gracefulStop: 'not supported; requests in flight at the end are awaited up to timeout',
  url: 'write target (the base URL) and give each task a path',
  baseURL: 'write target',
  host: 'write target (Locust\'s host)',
};

export interface BuildOptions {
  /** The scenario's name when the data has none (the file's base name, or the built-in's). */
  name: string;
  /** Scenario.source: the file path, or `built-in:<name>`. */
  source: string;
  overrides?: ScenarioOverrides;
  /** The target when the data has none (built-ins). */
  defaultTarget?: string;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

function readTarget(raw: unknown, problems: Problems): string | undefined {
  const text = readString(raw, ['target'], problems, 'http://127.0.0.1:8000');
  if (text === undefined) return undefined;
  return normalizeTarget(text) ?? problems.add(['target'], 'must be an http:// or https:// base URL without query', raw, 'write target: http://127.0.0.1:8000');
}

/** Validates a scenario's data; throws LAB_LOAD_SCENARIO_INVALID listing every problem. */
export function buildScenario(from: ScenarioSource, options: BuildOptions): Scenario {
  const problems = new Problems();
  const raw = from.data;
  if (!isRecord(raw)) {
    problems.add([], 'must be a map of keys such as target, vus, duration and tasks', raw, 'start from: target: http://127.0.0.1:8080, vus: 10, duration: 30s, tasks: [{ name: root, path: / }]');
    problems.throwIfAny(from.locate);
    throw new Error('unreachable');
  }
  checkKeys(raw, [], SCENARIO_KEYS, problems, (key) => K6_HINTS[key] ?? (typeof raw[key] === 'function' ? 'function hooks are not supported yet; remove it' : null));
  const name = raw.name === undefined ? options.name : readString(raw.name, ['name'], problems, 'morning-rush');
  const overrides = options.overrides ?? {};
  let target: string | undefined;
  if (raw.target !== undefined) target = readTarget(raw.target, problems);
  else if (options.defaultTarget !== undefined) target = options.defaultTarget;
  else if (overrides.target === undefined) problems.add(['target'], 'is required', undefined, 'add "target: http://127.0.0.1:8000", or pass --target');
  const timeoutMs = raw.timeout === undefined ? DEFAULT_TIMEOUT_MS : readDuration(raw.timeout, ['timeout'], problems, 1);
  const model = readModel(raw, problems);
  const tasks = readTasks(raw.tasks, problems);
  const taskNames = Array.isArray(raw.tasks) ? [...new Set(raw.tasks.map((t) => (isRecord(t) ? String(t.name) : '')))] : [];
  const thresholds = readThresholds(raw.thresholds, taskNames, problems);
  problems.throwIfAny(from.locate);
  if (name === undefined || timeoutMs === undefined || model === undefined || tasks === undefined) throw new Error('unreachable: problems were recorded');
  const applied = applyOverrides(model, target, overrides);
  if (applied.target === undefined) throw new Error('unreachable: target was checked');
  return deepFreeze({ name, target: applied.target, model: applied.model, tasks, thresholds, timeoutMs, source: options.source });
}
