/** The load generator: scenarios, the engine, reports and its OTLP export. Public API. */
export { loadScenario, parseScenario, BUILTIN_SCENARIOS, evaluateThresholds } from './scenario/index.js';
export { runLoad, usersAt, rateAt, totalDurationMs, probeTarget } from './engine/index.js';
export type { RunLoadOptions } from './engine/index.js';
export { writeReports, compareSummaries, readSummary, formatSummary } from './report/index.js';
export { createLoadOtlpExporter, otlpMetricsUrl } from './otlp.js';
export type { LoadOtlpExporter, LoadOtlpOptions } from './otlp.js';
export { LOAD_DURATION_BOUNDS_MS } from './types.js';
export type {
  Scenario, LoadModel, ClosedModel, OpenModel, Task, TaskCheck, Threshold, ErrorKind, Interval, IntervalTask, LatencySummary, TaskSummary, RunSummary,
} from './types.js';
