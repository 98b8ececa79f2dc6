/** Named fault scenarios of the lab (`cloudlab chaos`, `/api/chaos*`): public API. */
export { createChaos } from './engine.js';
export type { Chaos } from './engine.js';
export type { ChaosContext, ChaosProcesses, ChaosReplica, TimerHandle } from './context.js';
export { parseChaosRequest, CHAOS_DURATION_BOUNDS_MS } from './validate.js';
export { SCENARIOS, SCENARIO_NAMES } from './scenarios.js';
export type { ScenarioDefinition, ValueSpec, TargetSpec } from './scenarios.js';
export { chaosProcesses } from './supervisor-port.js';
export { formatDuration } from './format.js';
export type { ActiveFault, ChaosInjected, ChaosRemoved, ChaosRequest, ChaosScenarioInfo, ChaosStatus } from './types.js';
