/** The supervisor's public types: what to run, how to check it, what it reports. */

export type Readiness =
  | { type: 'tcp'; host: string; port: number }
  /** Ready on an answer with `expectStatus`, or any 2xx when it is not given. */
  | { type: 'http'; url: string; expectStatus?: number }
  /** Connects with `pg` and runs `SELECT 1`. */
  | { type: 'sql'; url: string }
  | { type: 'none' };

export type StopSignal = 'SIGTERM' | 'SIGINT' | 'SIGQUIT';

/** One process to run. `command` "node" means this Node's own binary (process.execPath). */
export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  /** Added to the supervisor's own environment (PATH, HOME, ...); a key here wins. */
  env: Record<string, string>;
  cwd: string;
  uid?: number;
  gid?: number;
  readiness: Readiness;
  stopSignal: StopSignal;
  stopTimeoutMs: number;
}

export interface ReplicaInfo {
  service: string;
  /** 1-based. */
  index: number;
  /** `${service}-${index}` */
  id: string;
  /** 0 when the service takes no port. */
  port: number;
}

export type RestartPolicy = 'no' | 'always' | 'on-failure' | 'unless-stopped';

export interface HealthSpec {
  /** Liveness checks after ready, one every intervalMs. */
  intervalMs: number;
  /** Each check (readiness or liveness) gives up after timeoutMs. */
  timeoutMs: number;
  /** Consecutive failed liveness checks that make a ready replica unhealthy. */
  retries: number;
  /** How long a new process has to pass its readiness check. */
  startPeriodMs: number;
}

export interface ServiceSpec {
  name: string;
  replicas: number;
  restart: RestartPolicy;
  /** true: each replica gets a free port on the supervisor's `host`. */
  assignPorts: boolean;
  /** Called before every spawn (first start and each restart), with the replica's current port. */
  build(replica: ReplicaInfo): ProcessSpec;
  health: HealthSpec;
}

export interface LogLine {
  service: string;
  /** The replica id, `cafe-1`. */
  replica: string;
  stream: 'stdout' | 'stderr';
  line: string;
  timeMs: number;
}

export type SupervisorEvent =
  | { type: 'starting' | 'ready' | 'unhealthy' | 'healthy' | 'stopped'; replica: ReplicaInfo; pid?: number }
  | { type: 'exited'; replica: ReplicaInfo; pid: number; code: number | null; signal: string | null; willRestartInMs: number | null }
  /** A restarted replica found its port taken and got another one: the edge must follow. */
  | { type: 'port-changed'; replica: ReplicaInfo; previousPort: number; pid?: number };

export type ReplicaState = 'starting' | 'ready' | 'unhealthy' | 'restarting' | 'stopped' | 'failed';

export interface ReplicaStatus {
  id: string;
  index: number;
  pid: number | null;
  port: number;
  state: ReplicaState;
  /** Processes started by the restart policy after a crash (rolling restarts do not count). */
  restarts: number;
  startedAtMs: number | null;
  lastExit: { code: number | null; signal: string | null; atMs: number } | null;
  /** Why the replica is 'failed' when no exit explains it (a restart that could not spawn). */
  lastError: string | null;
}

export interface ServiceStatus {
  name: string;
  restart: RestartPolicy;
  replicas: ReplicaStatus[];
}

export interface SupervisorOptions {
  /** Logs go to `<stateDir>/logs/`, the live-process record to `<stateDir>/run/processes.json`. */
  stateDir: string;
  /** Where assigned ports are picked (and probed for reuse). */
  host: string;
  onLog?: (line: LogLine) => void;
  /** Restart delay after consecutive crashes; default 500 ms doubling up to 30 s. */
  backoff?: { initialMs: number; maxMs: number };
  /** Milliseconds for timestamps and the backoff reset; default Date.now. */
  clock?: () => number;
}

export interface Supervisor {
  /** Starts every replica; resolves when all are ready. On failure stops what it started. */
  start(spec: ServiceSpec, options?: { signal?: AbortSignal }): Promise<void>;
  /** Adds replicas (and waits until ready) or removes them (highest index first, graceful stop). */
  scale(service: string, replicas: number): Promise<void>;
  /** Rolling: one replica at a time, each ready before the next. */
  restart(service: string): Promise<void>;
  /** Signals a replica's process group as a crash would (the restart policy applies); default SIGKILL. */
  kill(replicaId: string, signal?: NodeJS.Signals): void;
  status(): ServiceStatus[];
  /** Every service in reverse start order: stopSignal, then SIGKILL after stopTimeoutMs or the deadline. */
  stop(options?: { deadlineMs?: number }): Promise<void>;
  on(listener: (event: SupervisorEvent) => void): () => void;
}
