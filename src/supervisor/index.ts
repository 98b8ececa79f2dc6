/** The process supervisor: services of replicas with readiness, liveness, restarts, logs and no orphans. */
export { createSupervisor, DEFAULT_BACKOFF } from './supervisor.js';
export { reapOrphans } from './reap-orphans.js';
export type { ReapOptions, ReapResult } from './reap-orphans.js';
export { readLogs } from './read-logs.js';
export { isAlive } from './proc-stat.js';
export type { ReadLogsOptions } from './read-logs.js';
export { BACKOFF_RESET_MS } from './replica.js';
export type {
  HealthSpec,
  LogLine,
  ProcessSpec,
  Readiness,
  ReplicaInfo,
  ReplicaState,
  ReplicaStatus,
  RestartPolicy,
  ServiceSpec,
  ServiceStatus,
  StopSignal,
  Supervisor,
  SupervisorEvent,
  SupervisorOptions,
} from './types.js';
