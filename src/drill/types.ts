/**
 * The drill's shared types: a validated drill file (parse/ produces it), what a run
 * records (the journal the runner writes, the report and the control API read).
 * Durations carry their unit; times are epoch milliseconds unless named `...OffsetMs`.
 */
import type { RunSummary } from '../load/index.js';

/** A tolerance: any of min / max (inclusive), or equals. */
export interface Tolerance {
  min?: number;
  max?: number;
  equals?: number | string | boolean;
}

interface ProbeBase {
  name: string;
  /** fail (default for probes) or pass: what an empty result (or NaN) means. */
  noData: 'fail' | 'pass';
}

export interface HttpProbe extends ProbeBase {
  kind: 'http';
  /** The absolute URL, or null when `path` is relative to the lab's edge. */
  url: string | null;
  path: string | null;
  method: string;
  /** Expected status; null: any 2xx. */
  status: number | null;
  bodyIncludes: string | null;
  maxLatencyMs: number | null;
}

export interface PromqlProbe extends ProbeBase {
  kind: 'promql';
  query: string;
  tolerance: Tolerance;
}

export interface SqlProbe extends ProbeBase {
  kind: 'sql';
  query: string;
  tolerance: Tolerance;
}

export type Probe = HttpProbe | PromqlProbe | SqlProbe;

/** A probe sampled while the method runs. */
export interface DuringProbe {
  probe: Probe;
  allowedFailures: number;
  fromMs: number | null;
  untilMs: number | null;
}

export interface FaultSpec {
  scenario: string;
  value: number | string | null;
  target: string | null;
  /** Only for `scenario: toxic`: the raw Toxiproxy toxic. */
  toxic: Record<string, unknown> | null;
  /** Offset from the method's start. */
  atMs: number;
  /** null: until the method ends (the drill removes it then). */
  durationMs: number | null;
  /** Happens at once and leaves nothing to undo (kill-replica, restart-postgres, flush-cache). */
  instant: boolean;
}

export interface LoadSpec {
  /** A built-in name, or the absolute path of a scenario file. */
  scenario: string;
  /** As written in the drill file (for the plan and the report). */
  written: string;
  durationMs: number | null;
  vus: number | null;
  rate: number | null;
  record: boolean;
}

export interface CapacitySpec {
  objectiveP95Ms: number;
  forMs: number;
  minRps: number | null;
}

export type Rollback =
  | { kind: 'chaos-reset' }
  | { kind: 'flag'; key: string; value: unknown };

export interface RecordedOrdersCheck {
  table: string;
  keyColumn: string;
  acknowledgedStatus: number[];
}

export type Invariant =
  | { kind: 'probe'; name: string; probe: Probe }
  | { kind: 'recorded-orders'; name: string; check: RecordedOrdersCheck };

export interface DrillMethod {
  load: LoadSpec | null;
  faults: FaultSpec[];
  probes: DuringProbe[];
  probeIntervalMs: number;
  capacity: CapacitySpec | null;
  /** How long the method runs when nothing stops it early. */
  durationMs: number;
}

/** A validated drill file, parameters resolved. Frozen. */
export interface Drill {
  name: string;
  description: string;
  /** The absolute path of the file. */
  file: string;
  parameters: Record<string, string | number | boolean>;
  hypothesis: Probe[];
  recoveryMs: number;
  method: DrillMethod;
  stopConditions: Probe[];
  rollbacks: Rollback[];
  invariants: Invariant[];
}

export type Phase = 'before' | 'method' | 'stop' | 'after' | 'invariants';

/** One probe's outcome; never thrown: a probe that cannot run is `ok: false` with its reason. */
export interface ProbeResult {
  phase: Phase;
  name: string;
  timeMs: number;
  ok: boolean;
  value: number | string | null;
  /** The tolerance in words: `<= 0.01`, `status 200, < 500 ms`. */
  tolerance: string;
  /** Why it failed (or what was seen), null when it passed plainly. */
  reason: string | null;
}

export type Verdict = 'passed' | 'failed' | 'aborted' | 'interrupted' | 'error';

export interface PhaseRecord {
  name: 'before' | 'method' | 'rollbacks' | 'after' | 'invariants';
  startedAtMs: number;
  endedAtMs: number;
  status: 'passed' | 'failed' | 'skipped' | 'done' | 'aborted' | 'interrupted' | 'error';
  /** Plain words about the phase (`recovered after 4.0 s`, `skipped: the steady state did not hold`). */
  note: string | null;
}

export interface FaultRecord {
  scenario: string;
  value: number | string | null;
  target: string | null;
  atMs: number;
  durationMs: number | null;
  /** The lab's id (`f1`), null when it was never injected. */
  id: string | null;
  detail: string | null;
  injectedAtMs: number | null;
  removedAtMs: number | null;
  /** `lab` (its duration ran out), `drill` (removed at the method's end), `instant`, or null. */
  removedBy: 'lab' | 'drill' | 'instant' | null;
  error: string | null;
}

export interface RollbackRecord {
  action: string;
  ok: boolean;
  detail: string;
  timeMs: number;
}

export interface InvariantRecord {
  name: string;
  ok: boolean;
  detail: string;
  value: number | string | null;
  timeMs: number;
}

export interface CapacityRecord {
  objectiveP95Ms: number;
  forMs: number;
  minRps: number | null;
  /** Whether the objective was crossed (the load was stopped then). */
  crossed: boolean;
  /** Requests/s sustained before the crossing (or the peak when never crossed); null without intervals. */
  capacityRps: number | null;
  crossedAtSecond: number | null;
  ok: boolean;
}

export interface ChartSeries {
  /** The probe or stop condition this series belongs to. */
  name: string;
  query: string;
  tolerance: Tolerance;
  series: Array<{ labels: Record<string, string>; points: Array<[number, number]> }>;
  error: string | null;
}

export interface LoadPoint {
  /** Epoch ms at the end of the second. */
  timeMs: number;
  rps: number;
  p95Ms: number;
  errors: number;
}

/** Everything a run recorded: `<stateDir>/drills/<id>.json`. */
export interface Journal {
  version: 1;
  id: string;
  drill: Drill;
  startedAtMs: number;
  endedAtMs: number;
  methodStartedAtMs: number | null;
  methodEndedAtMs: number | null;
  phases: PhaseRecord[];
  results: ProbeResult[];
  faults: FaultRecord[];
  load: { summary: RunSummary | null; recordFile: string | null; error: string | null } | null;
  capacity: CapacityRecord | null;
  invariants: InvariantRecord[];
  rollbacks: RollbackRecord[];
  verdict: Verdict;
  reasons: string[];
  charts: { probes: ChartSeries[]; load: LoadPoint[] };
}

/** What `GET /api/drills` lists. */
export interface DrillListing {
  id: string;
  name: string;
  verdict: Verdict;
  reasons: string[];
  startedAtMs: number;
  endedAtMs: number;
}
