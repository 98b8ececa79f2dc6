/**
 * A drill file to a validated, frozen Drill: parameters resolved, every key checked
 * (all problems reported at once, each with its line, key path, expectation and fix),
 * the load scenario loaded once to know the method's length. Touches no lab.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LabError, isLabError } from '../../errors.js';
import { loadScenario, totalDurationMs } from '../../load/index.js';
import { staticScenarios } from '../scenarios.js';
import type { KnownScenario } from '../scenarios.js';
import type { Drill, DrillMethod } from '../types.js';
import { readInvariants, readRollbacks } from './closing.js';
import { readMethod } from './method.js';
import type { ParsedMethod } from './method.js';
import { applyParamOverrides, readParameters, substitute } from './params.js';
import { Problems, checkKeys, isRecord } from './problems.js';
import { readProbeList } from './probes.js';
import { readDrillSource } from './source.js';
import { readDuration, readString } from './values.js';

export const DRILL_KEYS = ['name', 'description', 'parameters', 'hypothesis', 'recovery', 'method', 'stop_conditions', 'rollbacks', 'invariants'];
const NAME = /^[a-z0-9][a-z0-9-]*$/;
/** The load's target while validating, before the lab's edge is known. */
const PLACEHOLDER_TARGET = 'http://127.0.0.1:8000';

export interface ParseDrillOptions {
  /** `--param key=value` overrides, as text. */
  params?: Record<string, string>;
  /** The scenarios faults may name: the lab's list, else the static one. */
  scenarios?: readonly KnownScenario[];
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Loads the method's load scenario (to check it and to know its length); a problem when it fails. */
async function loadLength(method: ParsedMethod, drillDir: string, problems: Problems): Promise<number> {
  const load = method.load;
  if (load === null) return 0;
  try {
    const scenario = await loadScenario(load.scenario, {
      cwd: drillDir,
      overrides: { target: PLACEHOLDER_TARGET, ...(load.vus !== null ? { vus: load.vus } : {}), ...(load.rate !== null ? { rate: load.rate } : {}), ...(load.durationMs !== null ? { durationMs: load.durationMs } : {}) },
    });
    return totalDurationMs(scenario.model);
  } catch (err) {
    if (!isLabError(err)) throw err;
    problems.add(['method', 'load', 'scenario'], 'must be a built-in load scenario or a scenario file (relative to the drill file)', load.written, `${err.message.split('\n').join('; ')} [${err.code}]`);
    return 0;
  }
}

function methodLength(method: ParsedMethod, loadMs: number, problems: Problems): number {
  if (method.durationMs !== null) return method.durationMs;
  const ends = [loadMs, ...method.faults.map((f) => f.atMs + (f.durationMs ?? 0)), ...method.probes.map((p) => p.untilMs ?? 0)];
  const length = Math.max(0, ...ends);
  method.faults.forEach((f, i) => {
    if (!f.instant && f.durationMs === null && f.atMs >= length) {
      problems.add(['method', 'faults', i, 'duration'], `is needed: without it the fault lasts until the method ends, and the method ends at ${length} ms, no later than its "at"`, undefined, 'add duration: 30s, or a method.load or method.duration that runs past it');
    }
  });
  return length;
}

/** Parses and validates drill text; `file` names it in messages (and resolves a relative load scenario). */
export async function parseDrill(text: string, file: string, options: ParseDrillOptions = {}): Promise<Drill> {
  const label = file;
  const drillDir = dirname(resolve(file));
  const source = readDrillSource(text, label);
  const problems = new Problems();
  const raw = source.data;
  if (!isRecord(raw)) {
    problems.add([], 'must be a map with name, description, hypothesis, method and rollbacks', raw, 'start from the example in docs/drills.md');
    problems.throwIfAny(source.locate);
    throw new Error('unreachable');
  }
  const defaults = readParameters(raw['parameters'], problems);
  problems.throwIfAny(source.locate);
  const parameters = applyParamOverrides(label, defaults, options.params ?? {});
  const data = substitute(raw, parameters, problems) as Record<string, unknown>;
  checkKeys(data, [], DRILL_KEYS, problems);
  const name = readString(data['name'], ['name'], problems, 'database-outage-loses-nothing');
  if (name !== undefined && !NAME.test(name)) problems.add(['name'], 'must be lowercase letters, digits and - (it names the journal file)', name, `write name: ${name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+/, '') || 'my-drill'}`);
  const description = readString(data['description'], ['description'], problems, '> the story: what breaks, what customers should see');
  const hypothesis = readProbeList(data['hypothesis'], ['hypothesis'], problems);
  const recoveryMs = data['recovery'] === undefined ? 0 : readDuration(data['recovery'], ['recovery'], problems) ?? 0;
  const method = readMethod(data['method'], problems, drillDir, options.scenarios ?? staticScenarios());
  // As an AWS FIS alarm in INSUFFICIENT_DATA, a stop condition with no data does not stop the drill unless it says so.
  const stopConditions = readProbeList(data['stop_conditions'], ['stop_conditions'], problems, { noData: 'pass' });
  const rollbacks = readRollbacks(data['rollbacks'], problems);
  const invariants = readInvariants(data['invariants'], problems);
  invariants.forEach((inv, i) => {
    if (inv.kind === 'recorded-orders' && (method.load === null || !method.load.record)) {
      problems.add(['invariants', i, 'recorded_orders'], 'needs method.load with record: true (the orders it checks are the load\'s)', undefined, 'add method.load: { scenario: morning-rush } (record defaults to true)');
    }
  });
  const loadMs = await loadLength(method, drillDir, problems);
  const durationMs = methodLength(method, loadMs, problems);
  problems.throwIfAny(source.locate);
  if (name === undefined || description === undefined) throw new Error('unreachable: problems were recorded');
  const drillMethod: DrillMethod = { load: method.load, faults: [...method.faults].sort((a, b) => a.atMs - b.atMs), probes: method.probes, probeIntervalMs: method.probeIntervalMs, capacity: method.capacity, durationMs };
  return deepFreeze({ name, description: description.trim(), file: resolve(file), parameters, hypothesis, recoveryMs, method: drillMethod, stopConditions, rollbacks, invariants });
}

/** Reads and validates a drill file; LAB_DRILL_FILE_NOT_FOUND when it is not there. */
export async function loadDrill(file: string, options: ParseDrillOptions & { cwd?: string } = {}): Promise<Drill> {
  const path = resolve(options.cwd ?? process.cwd(), file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new LabError('LAB_DRILL_FILE_NOT_FOUND', `drill file ${JSON.stringify(file)} does not exist (looked for ${path}); fix: check the path (the shipped drills are in examples/drills/)`, { cause: err });
    if (code === 'EISDIR') throw new LabError('LAB_DRILL_FILE_NOT_FOUND', `drill file ${JSON.stringify(file)} is a directory, expected a .yaml file; fix: name a file, such as examples/drills/<name>.yaml`, { cause: err });
    throw new LabError('LAB_DRILL_FILE_INVALID', `drill file ${JSON.stringify(file)} cannot be read: ${(err as Error).message}; fix: check its permissions`, { cause: err });
  }
  return parseDrill(text, options.cwd === undefined ? file : pathFor(options.cwd, file), options);
}

/** The file as given when relative to cwd, so messages name it as the user wrote it. */
function pathFor(cwd: string, file: string): string {
  return resolve(cwd, file) === resolve(file) ? file : resolve(cwd, file);
}
