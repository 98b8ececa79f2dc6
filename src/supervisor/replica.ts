/**
 * One replica of a service: its process across restarts, readiness, liveness, the
 * restart policy with exponential backoff, and a graceful stop.
 */
import { LabError } from '../errors.js';
import { probe } from './probes.js';
import { notReadyError, exitedBeforeReadyError, stoppedError } from './replica-errors.js';
import { runProcess } from './run-process.js';
import type { ExitInfo, RunningProcess } from './run-process.js';
import { delay, waitReady } from './wait-ready.js';
import type { PortPool } from './port-pool.js';
import type { ProcessTable } from './process-table.js';
import type { LogLine, ProcessSpec, ReplicaInfo, ReplicaState, ReplicaStatus, RestartPolicy, ServiceSpec, SupervisorEvent } from './types.js';
import { checkProcessSpec } from './validate.js';

/** A replica that stayed ready this long starts its backoff from the beginning again. */
export const BACKOFF_RESET_MS = 10_000;

export interface ReplicaContext {
  readonly clock: () => number;
  readonly backoff: { initialMs: number; maxMs: number };
  readonly ports: PortPool;
  readonly table: ProcessTable;
  emit(event: SupervisorEvent): void;
  log(line: LogLine): void;
}

/** strict: an exit before ready fails the launch for good (start, scale). policy: the restart policy applies (restarts). */
type LaunchMode = 'strict' | 'policy';

interface Run {
  proc: RunningProcess;
  spec: ProcessSpec;
  mode: LaunchMode;
  ready: boolean;
}

export function shouldRestart(policy: RestartPolicy, exit: ExitInfo): boolean {
  if (policy === 'no') return false;
  if (policy === 'on-failure') return exit.code !== 0 || exit.signal !== null;
  return true;
}

export class Replica {
  readonly info: ReplicaInfo;
  readonly #service: ServiceSpec;
  readonly #ctx: ReplicaContext;
  #state: ReplicaState = 'starting';
  #run: Run | undefined;
  #restarts = 0;
  #startedAtMs: number | null = null;
  #lastExit: ReplicaStatus['lastExit'] = null;
  #lastError: string | null = null;
  #crashes = 0;
  #readyAtMs: number | null = null;
  #restartTimer: NodeJS.Timeout | undefined;
  #wanted = true;
  /** Set by a final stop (supervisor stop, scale down): no launch may start a process again. */
  #retired = false;
  #stopping: Promise<void> | undefined;
  #liveness: AbortController | undefined;
  #spawning: Promise<RunningProcess> | undefined;

  constructor(service: ServiceSpec, index: number, port: number, ctx: ReplicaContext) {
    this.info = { service: service.name, index, id: `${service.name}-${index}`, port };
    this.#service = service;
    this.#ctx = ctx;
  }

  get state(): ReplicaState {
    return this.#state;
  }

  status(): ReplicaStatus {
    return {
      id: this.info.id,
      index: this.info.index,
      pid: this.#run?.proc.pid ?? null,
      port: this.info.port,
      state: this.#state,
      restarts: this.#restarts,
      startedAtMs: this.#startedAtMs,
      lastExit: this.#lastExit,
      lastError: this.#lastError,
    };
  }

  /** Spawns the process and resolves once it is ready. */
  async launch(mode: LaunchMode, signal?: AbortSignal): Promise<void> {
    const label = `service ${this.info.service} replica ${this.info.id}`;
    if (this.#retired) throw stoppedError(label);
    this.#wanted = true;
    this.#stopping = undefined;
    this.#cancelRestart();
    this.#state = 'starting';
    if (this.#service.assignPorts && this.#startedAtMs !== null) {
      const previousPort = this.info.port;
      this.info.port = await this.#ctx.ports.reacquire(previousPort);
      if (this.info.port !== previousPort) this.#ctx.emit({ type: 'port-changed', replica: { ...this.info }, previousPort });
    }
    if (!this.#wanted) throw stoppedError(label);
    let spec: ProcessSpec;
    let proc: RunningProcess;
    try {
      spec = checkProcessSpec(this.#service.build({ ...this.info }), label);
      this.#spawning = runProcess(spec, label, (stream, line) =>
        this.#ctx.log({ service: this.info.service, replica: this.info.id, stream, line, timeMs: this.#ctx.clock() }),
      );
      proc = await this.#spawning;
    } catch (error) {
      this.#state = this.#wanted ? 'failed' : 'stopped';
      this.#lastError = error instanceof Error ? error.message : String(error);
      throw error;
    } finally {
      this.#spawning = undefined;
    }
    const run: Run = { proc, spec, mode, ready: false };
    this.#run = run;
    this.#startedAtMs = this.#ctx.clock();
    this.#readyAtMs = null;
    this.#lastError = null;
    this.#ctx.table.add({ pid: proc.pid, pgid: proc.pid, name: spec.name, replica: this.info.id });
    void proc.exited.then((exit) => this.#onExit(run, exit));
    this.#emit('starting', proc.pid);
    if (!this.#wanted) proc.signalGroup('SIGKILL'); // stopped while spawning

    const outcome = await waitReady(spec.readiness, this.#service.health, proc, signal ? { signal } : {});
    if (outcome.type === 'ready' && !proc.hasExited()) {
      this.#markReady(run);
      return;
    }
    if (outcome.type === 'aborted') throw signal?.reason ?? new LabError('LAB_SUPERVISOR_STOPPED', `${label}: start aborted`);
    if (outcome.type === 'timeout') {
      const error = notReadyError(label, spec.readiness, outcome.reason, this.#service.health.startPeriodMs, this.info.port);
      if (mode === 'policy') {
        // A restarted process keeps running: liveness checks may still bring it to ready.
        this.#state = 'unhealthy';
        this.#emit('unhealthy', proc.pid);
        this.#startLiveness(run);
      }
      throw error;
    }
    const exit = await proc.exited;
    if (!this.#wanted) throw stoppedError(label);
    throw exitedBeforeReadyError(label, exit, proc.recentOutput(), spec);
  }

  /**
   * Graceful stop: stopSignal to the group, SIGKILL after stopTimeoutMs (or `limitMs`, if sooner).
   * A final stop (the default) retires the replica; relaunch() stops it without.
   */
  stop(limitMs = Infinity, final = true): Promise<void> {
    if (final) this.#retired = true;
    this.#wanted = false;
    this.#cancelRestart();
    this.#stopLiveness();
    this.#stopping ??= this.#stopRun(limitMs);
    return this.#stopping;
  }

  /** A rolling restart's step: stop, then start again and wait until ready. */
  async relaunch(): Promise<void> {
    await this.stop(Infinity, false);
    await this.launch('policy');
  }

  /** Signals the process group as a crash would; false when no process runs. */
  kill(signal: NodeJS.Signals): boolean {
    if (!this.#run) return false;
    this.#run.proc.signalGroup(signal);
    return true;
  }

  async #stopRun(limitMs: number): Promise<void> {
    // A spawn in flight ends with a process that launch() kills at once (it sees #wanted false).
    if (this.#spawning) await this.#spawning.catch(() => undefined);
    const run = this.#run;
    if (run) {
      run.proc.signalGroup(run.spec.stopSignal);
      const timer = setTimeout(() => run.proc.signalGroup('SIGKILL'), Math.max(0, Math.min(run.spec.stopTimeoutMs, limitMs)));
      await run.proc.exited;
      clearTimeout(timer);
    } else if (this.#state === 'stopped') {
      return;
    }
    this.#state = 'stopped';
    this.#emit('stopped');
  }

  #markReady(run: Run): void {
    run.ready = true;
    this.#readyAtMs = this.#ctx.clock();
    this.#state = 'ready';
    this.#emit('ready', run.proc.pid);
    this.#startLiveness(run);
  }

  #onExit(run: Run, exit: ExitInfo): void {
    if (this.#run === run) this.#run = undefined;
    this.#stopLiveness();
    this.#ctx.table.remove(run.proc.pid);
    const atMs = this.#ctx.clock();
    this.#lastExit = { code: exit.code, signal: exit.signal, atMs };
    let willRestartInMs: number | null = null;
    if (!this.#wanted) {
      this.#state = 'stopped';
    } else if (!run.ready && run.mode === 'strict') {
      this.#state = 'failed';
    } else if (shouldRestart(this.#service.restart, exit)) {
      if (this.#readyAtMs !== null && atMs - this.#readyAtMs >= BACKOFF_RESET_MS) this.#crashes = 0;
      this.#crashes++;
      const { initialMs, maxMs } = this.#ctx.backoff;
      willRestartInMs = Math.min(maxMs, initialMs * 2 ** (this.#crashes - 1));
      this.#state = 'restarting';
      this.#restartTimer = setTimeout(() => this.#restartNow(), willRestartInMs);
    } else {
      this.#state = exit.code === 0 ? 'stopped' : 'failed';
    }
    this.#ctx.emit({ type: 'exited', replica: { ...this.info }, pid: run.proc.pid, code: exit.code, signal: exit.signal, willRestartInMs });
  }

  #restartNow(): void {
    this.#restartTimer = undefined;
    if (!this.#wanted) return;
    this.#restarts++;
    // Failures are in the state: an exit restarts again, a timeout leaves it unhealthy, a spawn error fails it.
    this.launch('policy').catch(() => undefined);
  }

  #cancelRestart(): void {
    if (this.#restartTimer !== undefined) clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
  }

  #startLiveness(run: Run): void {
    this.#stopLiveness();
    const { readiness } = run.spec;
    if (readiness.type === 'none') return;
    const controller = new AbortController();
    this.#liveness = controller;
    const { intervalMs, timeoutMs } = this.#service.health;
    const retries = Math.max(1, this.#service.health.retries);
    let failures = 0;
    const loop = async (): Promise<void> => {
      while (await delay(intervalMs, controller.signal)) {
        const result = await probe(readiness, timeoutMs, controller.signal);
        if (controller.signal.aborted || this.#run !== run) return;
        if (result.ok) {
          failures = 0;
          if (this.#state !== 'unhealthy') continue;
          if (run.ready) {
            this.#state = 'ready';
            this.#emit('healthy', run.proc.pid);
          } else {
            this.#markReady(run); // a restart that missed its start period got there after all
            return;
          }
        } else if (++failures >= retries && this.#state === 'ready') {
          this.#state = 'unhealthy';
          this.#emit('unhealthy', run.proc.pid);
        }
      }
    };
    void loop();
  }

  #stopLiveness(): void {
    this.#liveness?.abort();
    this.#liveness = undefined;
  }

  #emit(type: 'starting' | 'ready' | 'unhealthy' | 'healthy' | 'stopped', pid?: number): void {
    this.#ctx.emit(pid === undefined ? { type, replica: { ...this.info } } : { type, replica: { ...this.info }, pid });
  }
}
