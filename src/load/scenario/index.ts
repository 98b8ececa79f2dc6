/** Scenarios of the load generator: files (YAML, JSON, JS), built-ins, thresholds. Public API. */
export { loadScenario, parseScenario, builtinScenario } from './load.js';
export type { LoadScenarioOptions } from './load.js';
export { BUILTIN_SCENARIOS, BUILTIN_TARGET } from './builtins.js';
export { evaluateThresholds, parseThreshold, thresholdActual, THRESHOLD_METRICS, THRESHOLD_PERCENTILES } from './thresholds.js';
export type { ScenarioOverrides } from './overrides.js';
export { DEFAULT_TIMEOUT_MS } from './build.js';
export { DEFAULT_MAX_IN_FLIGHT, EXECUTORS } from './model.js';
export type { Executor } from './model.js';
