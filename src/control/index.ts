/** The control plane of `cloudlab up`: the orchestrator, its API and its state file. */
export { startLab } from './lab.js';
export type { Lab, Progress } from './lab.js';
export type { LabPlan, ServicePlan, HealthPlan } from './plan.js';
export { planFromConfig } from './plan-from-config.js';
export { readLabState, stateFilePath } from './state-file.js';
export type { LabState } from './state-file.js';
export type { LabStatus, PartStatus, ReplicaStatus } from './handle.js';
