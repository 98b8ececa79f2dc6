/** Drills: experiments against a running lab (hypothesis, method, rollbacks, invariants, verdict, report). Public API. */
export { parseDrill, loadDrill } from './parse/build.js';
export type { ParseDrillOptions } from './parse/build.js';
export { parseParamFlags } from './parse/params.js';
export { STATIC_SCENARIOS, staticScenarios } from './scenarios.js';
export type { KnownScenario } from './scenarios.js';
export { drillLabFromState, fetchScenarios } from './lab-api.js';
export type { DrillLab } from './lab-api.js';
export { runDrill } from './run/run-drill.js';
export type { RunDrillOptions, DrillRun } from './run/run-drill.js';
export { EXIT_CODES } from './run/verdict.js';
export { systemClock } from './run/clock.js';
export type { DrillClock } from './run/clock.js';
export type { DrillProgress, DrillPhaseName } from './run/progress.js';
export { checkRecordedOrders, acknowledgedKeys } from './run/invariants.js';
export type { OrdersVerdict, RecordedRequest } from './run/invariants.js';
export { createCapacityTracker } from './run/capacity.js';
export { runProbe } from './probes/run-probe.js';
export type { ProbeTargets } from './probes/run-probe.js';
export { createSqlRunner } from './probes/sql.js';
export type { SqlRunner } from './probes/sql.js';
export { renderReport } from './report/html.js';
export { formatPlan } from './plan.js';
export { listDrills, readJournal, readReport, drillFiles, drillsDir, DRILL_ID } from './journal.js';
export type {
  Drill, DrillMethod, Probe, HttpProbe, PromqlProbe, SqlProbe, DuringProbe, FaultSpec, LoadSpec, CapacitySpec, Rollback, Invariant, Tolerance,
  Journal, ProbeResult, Phase, PhaseRecord, FaultRecord, RollbackRecord, InvariantRecord, CapacityRecord, ChartSeries, LoadPoint, Verdict, DrillListing,
} from './types.js';
export { createDrillProgressView } from './progress-view.js';
export type { DrillProgressView } from './progress-view.js';
