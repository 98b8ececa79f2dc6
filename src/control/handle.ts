/** What the control API needs from a running lab; lab.ts provides it. */
import type { FlagStore } from './flags.js';
import type { EventLog } from './events.js';
import type { LoadRunner } from './load-runner.js';
import type { Chaos } from '../chaos/index.js';

export interface ReplicaStatus {
  id: string;
  pid: number | null;
  port: number;
  state: string;
  restarts: number;
  startedAtMs: number | null;
  lastExit: { code: number | null; signal: string | null; atMs: number } | null;
}

export interface PartStatus {
  name: string;
  kind: 'service' | 'postgres' | 'cache' | 'hub' | 'proxy' | 'edge' | 'console';
  state: string;
  detail: string;
  url?: string;
  replicas?: ReplicaStatus[];
}

export interface LabStatus {
  name: string;
  pid: number;
  startedAtMs: number;
  configFile: string | null;
  stateDir: string;
  urls: Record<string, string>;
  parts: PartStatus[];
}

export interface LabHandle {
  status(): LabStatus;
  restart(service: string): Promise<void>;
  scale(service: string, replicas: number): Promise<void>;
  kill(replicaId: string, signal?: NodeJS.Signals): void;
  readonly flags: FlagStore;
  /** Faults, kills, scaling and flags, for chart markers. */
  readonly events: EventLog;
  /** Load runs of the console's Load page (one at a time). */
  readonly load: LoadRunner;
  /** Named fault scenarios; the lab owns their faults and expiry timers. */
  readonly chaos: Chaos;
  readonly proxyAdminUrl: string;
  readonly hubQueryUrl: string;
  /** Prometheus text of the lab's own metrics (the edges'). */
  metrics(): string;
  /** Asks the lab to stop (as Ctrl-C would); resolves once stopping has begun. */
  requestStop(): void;
}
