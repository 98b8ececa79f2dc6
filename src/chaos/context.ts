/**
 * The lab's ports the chaos engine acts through, so the engine runs (and is tested)
 * without a whole lab: the proxy's HTTP API, the flag store, the supervisor, the
 * direct dependency URLs, the event log and the clock.
 */
import type { FlagStore } from '../control/flags.js';
import type { EventLog } from '../control/events.js';

/** One replica as chaos sees it. */
export interface ChaosReplica {
  id: string;
  pid: number | null;
  state: string;
}

/** What chaos needs from the supervisor. */
export interface ChaosProcesses {
  /** The user's services (not the lab's own processes), in config order. */
  services(): string[];
  /** The replicas of any supervised process (`cafe`, `postgres`, ...); empty for none. */
  replicas(service: string): ChaosReplica[];
  /** SIGKILLs one replica, as a crash would: the restart policy brings it back. */
  kill(replicaId: string): void;
  /** Restarts a supervised process and resolves once it is ready again. */
  restartProcess(name: string): Promise<void>;
}

/** Whatever setTimer returns; only handed back to clearTimer. */
export type TimerHandle = unknown;

export interface ChaosContext {
  /** The Toxiproxy API's base URL (`http://127.0.0.1:8474`); chaos talks to the proxy only through it. */
  proxyAdminUrl: string;
  flags: Pick<FlagStore, 'all' | 'set' | 'remove' | 'clear'>;
  processes: ChaosProcesses;
  /** Postgres straight, not through the proxy; null without a database. */
  databaseUrl: string | null;
  /** The cache straight (`redis://host:port`); null without a cache. */
  cacheUrl: string | null;
  events: Pick<EventLog, 'add'>;
  /** Milliseconds since the epoch; Date.now by default. */
  clock?: () => number;
  /** setTimeout by default (unref'd). */
  setTimer?: (fn: () => void, ms: number) => TimerHandle;
  clearTimer?: (handle: TimerHandle) => void;
}
