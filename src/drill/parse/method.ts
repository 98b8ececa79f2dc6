/** A drill file's `method:`: load, faults at their offsets, probes, their interval, the capacity search. */
import { isAbsolute, resolve } from 'node:path';
import { BUILTIN_SCENARIOS } from '../../load/index.js';
import type { KnownScenario } from '../scenarios.js';
import type { CapacitySpec, DuringProbe, FaultSpec, LoadSpec } from '../types.js';
import { checkKeys, choiceFix, isRecord } from './problems.js';
import type { KeyPath, Problems } from './problems.js';
import { readDuringProbe, uniqueNames } from './probes.js';
import { readBoolean, readDuration, readInteger, readList, readNumber, readString } from './values.js';

export const METHOD_KEYS = ['load', 'faults', 'probes', 'probe_interval', 'capacity', 'duration'];
const LOAD_KEYS = ['scenario', 'duration', 'vus', 'rate', 'record'];
const FAULT_KEYS = ['scenario', 'value', 'target', 'toxic', 'at', 'duration'];
const CAPACITY_KEYS = ['objective_p95', 'for', 'min_rps'];
export const DEFAULT_PROBE_INTERVAL_MS = 2000;
/** The lab's bounds for a fault's durationMs (docs/chaos.md). */
export const FAULT_MIN_MS = 100;
export const FAULT_MAX_MS = 24 * 3_600_000;

export interface ParsedMethod {
  load: LoadSpec | null;
  faults: FaultSpec[];
  probes: DuringProbe[];
  probeIntervalMs: number;
  capacity: CapacitySpec | null;
  /** `method.duration` when written. */
  durationMs: number | null;
}

function readLoad(raw: unknown, path: KeyPath, problems: Problems, drillDir: string): LoadSpec | null {
  if (!isRecord(raw)) return problems.add(path, 'must be a map such as { scenario: morning-rush }', raw, `write load: { scenario: ${BUILTIN_SCENARIOS[0] ?? 'steady'}, duration: 60s }`) ?? null;
  checkKeys(raw, path, LOAD_KEYS, problems);
  const written = readString(raw['scenario'], [...path, 'scenario'], problems, BUILTIN_SCENARIOS.join(' | '));
  const durationMs = raw['duration'] === undefined ? null : readDuration(raw['duration'], [...path, 'duration'], problems, 1000) ?? null;
  const vus = raw['vus'] === undefined ? null : readInteger(raw['vus'], [...path, 'vus'], problems, 1) ?? null;
  const rate = raw['rate'] === undefined ? null : readInteger(raw['rate'], [...path, 'rate'], problems, 1) ?? null;
  const record = raw['record'] === undefined ? true : readBoolean(raw['record'], [...path, 'record'], problems) ?? true;
  if (written === undefined) return null;
  const builtin = BUILTIN_SCENARIOS.includes(written);
  if (!builtin && !/[./\\]/.test(written)) {
    return problems.add([...path, 'scenario'], `must be a built-in load scenario (${BUILTIN_SCENARIOS.join(', ')}) or a scenario file relative to the drill file`, written, choiceFix(written, BUILTIN_SCENARIOS, 'built-ins, or a path such as ./rush.yaml')) ?? null;
  }
  const scenario = builtin ? written : isAbsolute(written) ? written : resolve(drillDir, written);
  return { scenario, written, durationMs, vus, rate, record };
}

function readFault(raw: unknown, path: KeyPath, problems: Problems, scenarios: readonly KnownScenario[]): FaultSpec | undefined {
  if (!isRecord(raw)) return problems.add(path, 'must be a map such as { scenario: postgres-outage, at: 10s, duration: 30s }', raw, 'write - scenario: postgres-outage\n      at: 10s\n      duration: 30s');
  checkKeys(raw, path, FAULT_KEYS, problems);
  const name = readString(raw['scenario'], [...path, 'scenario'], problems, 'postgres-outage');
  const known = name === undefined ? undefined : scenarios.find((s) => s.name === name);
  if (name !== undefined && known === undefined) {
    problems.add([...path, 'scenario'], 'must be a chaos scenario of the lab', name, choiceFix(name, scenarios.map((s) => s.name), 'scenarios'));
  } else if (known !== undefined && !known.available) {
    problems.add([...path, 'scenario'], `names a scenario this lab cannot run (${known.reason ?? 'a part it needs is missing'})`, name, 'pick a scenario for a part the lab has (cloudlab chaos list shows them), or add the part to cloudlab.yaml');
  }
  let value: number | string | null = null;
  if (raw['value'] !== undefined && raw['value'] !== null) {
    if (typeof raw['value'] === 'number' || typeof raw['value'] === 'string') value = raw['value'];
    else problems.add([...path, 'value'], 'must be a number or a string', raw['value'], 'write value: 2000');
  } else if (known?.valueRequired) {
    problems.add([...path, 'value'], `is required by ${known.name}${known.valueName ? ` (its ${known.valueName})` : ''}`, raw['value'], 'add value: ... (cloudlab chaos list shows what it takes)');
  }
  let target: string | null = null;
  if (raw['target'] !== undefined && raw['target'] !== null) target = readString(raw['target'], [...path, 'target'], problems, 'postgres') ?? null;
  else if (known?.targetRequired) problems.add([...path, 'target'], `is required by ${known.name}`, raw['target'], 'add target: ... (cloudlab chaos list shows what it acts on)');
  let toxic: Record<string, unknown> | null = null;
  if (raw['toxic'] !== undefined) {
    if (name !== 'toxic') problems.add([...path, 'toxic'], 'only applies to scenario: toxic', raw['toxic'], 'remove it, or write scenario: toxic');
    else if (isRecord(raw['toxic']) && typeof raw['toxic']['type'] === 'string') toxic = raw['toxic'];
    else problems.add([...path, 'toxic'], 'must be a Toxiproxy toxic such as { type: latency, attributes: { latency: 1000 } }', raw['toxic'], 'write toxic: { type: latency, attributes: { latency: 1000 } }');
  } else if (name === 'toxic') problems.add([...path, 'toxic'], 'is required by scenario: toxic', undefined, 'add toxic: { type: latency, attributes: { latency: 1000 } } and target: <proxy>');
  const atMs = raw['at'] === undefined ? 0 : readDuration(raw['at'], [...path, 'at'], problems);
  const instant = known?.instant ?? false;
  let durationMs: number | null = null;
  if (raw['duration'] !== undefined) {
    if (instant) problems.add([...path, 'duration'], `does not apply: ${name} is instant (it happens at once and leaves nothing to undo)`, raw['duration'], 'remove duration');
    else {
      durationMs = readDuration(raw['duration'], [...path, 'duration'], problems, FAULT_MIN_MS) ?? null;
      if (durationMs !== null && durationMs > FAULT_MAX_MS) durationMs = problems.add([...path, 'duration'], 'must be at most 24h (the lab\'s longest fault)', raw['duration'], 'write a shorter duration, such as 30s') ?? null;
    }
  }
  if (name === undefined || known === undefined || atMs === undefined) return undefined;
  return { scenario: name, value, target, toxic, atMs, durationMs, instant };
}

function readCapacity(raw: unknown, path: KeyPath, problems: Problems): CapacitySpec | null {
  if (!isRecord(raw)) return problems.add(path, 'must be a map such as { objective_p95: 250ms, for: 3s }', raw, 'write capacity: { objective_p95: 250ms, for: 3s, min_rps: 50 }') ?? null;
  checkKeys(raw, path, CAPACITY_KEYS, problems);
  const objectiveP95Ms = readDuration(raw['objective_p95'], [...path, 'objective_p95'], problems, 1);
  const forMs = raw['for'] === undefined ? 1000 : readDuration(raw['for'], [...path, 'for'], problems, 1000);
  let minRps: number | null = null;
  if (raw['min_rps'] !== undefined) {
    const n = readNumber(raw['min_rps'], [...path, 'min_rps'], problems);
    if (n !== undefined && n < 0) problems.add([...path, 'min_rps'], 'must be 0 or more', n, 'write min_rps: 50');
    else minRps = n ?? null;
  }
  if (objectiveP95Ms === undefined || forMs === undefined) return null;
  return { objectiveP95Ms, forMs, minRps };
}

export function readMethod(raw: unknown, problems: Problems, drillDir: string, scenarios: readonly KnownScenario[]): ParsedMethod {
  const empty: ParsedMethod = { load: null, faults: [], probes: [], probeIntervalMs: DEFAULT_PROBE_INTERVAL_MS, capacity: null, durationMs: null };
  if (raw === undefined || raw === null) return empty;
  if (!isRecord(raw)) return problems.add(['method'], 'must be a map with load, faults and probes', raw, 'write method: { faults: [...], probes: [...] }') ?? empty;
  checkKeys(raw, ['method'], METHOD_KEYS, problems);
  const load = raw['load'] === undefined || raw['load'] === null ? null : readLoad(raw['load'], ['method', 'load'], problems, drillDir);
  const faultList = readList(raw['faults'], ['method', 'faults'], problems, '{ scenario: postgres-outage, at: 10s, duration: 30s }') ?? [];
  const faults = faultList.map((f, i) => readFault(f, ['method', 'faults', i], problems, scenarios)).filter((f): f is FaultSpec => f !== undefined);
  const probeList = readList(raw['probes'], ['method', 'probes'], problems, '{ name: ..., promql: ..., max: ... }') ?? [];
  const read = probeList.map((p, i) => readDuringProbe(p, ['method', 'probes', i], problems));
  uniqueNames(read.map((p) => p?.probe.name), ['method', 'probes'], problems);
  const probeIntervalMs = raw['probe_interval'] === undefined ? DEFAULT_PROBE_INTERVAL_MS : readDuration(raw['probe_interval'], ['method', 'probe_interval'], problems, 10) ?? DEFAULT_PROBE_INTERVAL_MS;
  let capacity: CapacitySpec | null = null;
  if (raw['capacity'] !== undefined && raw['capacity'] !== null) {
    capacity = readCapacity(raw['capacity'], ['method', 'capacity'], problems);
    if (raw['load'] === undefined || raw['load'] === null) problems.add(['method', 'capacity'], 'needs method.load: the capacity is found from the load\'s own per-second intervals', raw['capacity'], 'add method.load: { scenario: morning-rush }');
  }
  const durationMs = raw['duration'] === undefined ? null : readDuration(raw['duration'], ['method', 'duration'], problems, 1) ?? null;
  return { load, faults, probes: read.filter((p): p is DuringProbe => p !== undefined), probeIntervalMs, capacity, durationMs };
}
