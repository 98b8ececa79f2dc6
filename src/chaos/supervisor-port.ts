/** The supervisor seen through the ChaosProcesses port, for the lab to hand to createChaos. */
import type { Supervisor } from '../supervisor/index.js';
import type { ChaosProcesses } from './context.js';

/** `services`: the user's services (kill-replica's choices), in config order. */
export function chaosProcesses(supervisor: Pick<Supervisor, 'status' | 'kill' | 'restart'>, services: readonly string[]): ChaosProcesses {
  return {
    services: () => [...services],
    replicas: (name) => (supervisor.status().find((s) => s.name === name)?.replicas ?? []).map((r) => ({ id: r.id, pid: r.pid, state: r.state })),
    kill: (replicaId) => supervisor.kill(replicaId, 'SIGKILL'),
    restartProcess: (name) => supervisor.restart(name),
  };
}
