/** createSupervisor(): services of replicas, started, scaled, restarted and stopped as a whole. */
import { LabError } from '../errors.js';
import { LogFiles } from './log-files.js';
import { PortPool } from './port-pool.js';
import { ProcessTable } from './process-table.js';
import { Replica } from './replica.js';
import type { ReplicaContext } from './replica.js';
import type { LogLine, ServiceSpec, ServiceStatus, Supervisor, SupervisorEvent, SupervisorOptions } from './types.js';
import { checkReplicaCount, checkServiceSpec } from './validate.js';

export const DEFAULT_BACKOFF = { initialMs: 500, maxMs: 30_000 };

interface Service {
  spec: ServiceSpec;
  replicas: Replica[];
  /** scale() and restart() of one service run one after the other. */
  queue: Promise<void>;
}

export function createSupervisor(options: SupervisorOptions): Supervisor {
  return new LabSupervisor(options);
}

class LabSupervisor implements Supervisor {
  readonly #services = new Map<string, Service>();
  readonly #listeners = new Set<(event: SupervisorEvent) => void>();
  readonly #logs: LogFiles;
  readonly #ctx: ReplicaContext;
  readonly #onLog: ((line: LogLine) => void) | undefined;
  #stopping: Promise<void> | undefined;

  constructor(options: SupervisorOptions) {
    this.#logs = new LogFiles(options.stateDir);
    this.#onLog = options.onLog;
    this.#ctx = {
      clock: options.clock ?? Date.now,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      ports: new PortPool(options.host),
      table: new ProcessTable(options.stateDir),
      emit: (event) => this.#emit(event),
      log: (line) => this.#log(line),
    };
  }

  async start(spec: ServiceSpec, options: { signal?: AbortSignal } = {}): Promise<void> {
    checkServiceSpec(spec);
    this.#checkRunning(`start service ${spec.name}`);
    if (this.#services.has(spec.name)) {
      throw new LabError('LAB_SUPERVISOR_ALREADY_RUNNING', `service ${spec.name} is already started; fix: scale() or restart() it, or give the new service another name`);
    }
    options.signal?.throwIfAborted();
    const service: Service = { spec, replicas: [], queue: Promise.resolve() };
    this.#services.set(spec.name, service);
    try {
      await this.#exclusive(service, () => this.#addReplicas(service, spec.replicas, options.signal));
    } catch (error) {
      if (this.#services.get(spec.name) === service) this.#services.delete(spec.name);
      throw error;
    }
  }

  async scale(name: string, replicas: number): Promise<void> {
    const service = this.#service(name);
    checkReplicaCount(`scale ${name}`, replicas);
    await this.#exclusive(service, async () => {
      this.#checkRunning(`scale service ${name}`);
      const current = service.replicas.length;
      if (replicas > current) {
        await this.#addReplicas(service, replicas - current);
        return;
      }
      while (service.replicas.length > replicas) {
        const replica = service.replicas[service.replicas.length - 1]!;
        await replica.stop();
        service.replicas.pop();
        this.#release(service, replica);
      }
    });
  }

  async restart(name: string): Promise<void> {
    const service = this.#service(name);
    await this.#exclusive(service, async () => {
      for (const replica of [...service.replicas]) {
        this.#checkRunning(`restart service ${name}`);
        await replica.relaunch();
      }
    });
  }

  kill(replicaId: string, signal: NodeJS.Signals = 'SIGKILL'): void {
    for (const service of this.#services.values()) {
      const replica = service.replicas.find((r) => r.info.id === replicaId);
      if (replica) {
        replica.kill(signal);
        return;
      }
    }
    const known = [...this.#services.values()].flatMap((s) => s.replicas.map((r) => r.info.id));
    throw new LabError('LAB_SUPERVISOR_UNKNOWN_REPLICA', `no replica ${JSON.stringify(replicaId)}; the replicas are: ${known.join(', ') || 'none'}`);
  }

  status(): ServiceStatus[] {
    return [...this.#services.values()].map((s) => ({ name: s.spec.name, restart: s.spec.restart, replicas: s.replicas.map((r) => r.status()) }));
  }

  stop(options: { deadlineMs?: number } = {}): Promise<void> {
    this.#stopping ??= this.#stopAll(options.deadlineMs);
    return this.#stopping;
  }

  on(listener: (event: SupervisorEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async #stopAll(deadlineMs: number | undefined): Promise<void> {
    const until = deadlineMs === undefined ? Infinity : performance.now() + deadlineMs;
    for (const service of [...this.#services.values()].reverse()) {
      const left = Math.max(0, until - performance.now());
      await Promise.all(service.replicas.map((r) => r.stop(left)));
      for (const replica of service.replicas) this.#release(service, replica);
    }
    this.#logs.close();
  }

  /** Adds `count` replicas after the last one and waits until all are ready; on failure stops them all again. */
  async #addReplicas(service: Service, count: number, signal?: AbortSignal): Promise<void> {
    const added: Replica[] = [];
    try {
      for (let i = 0; i < count; i++) {
        const port = service.spec.assignPorts ? await this.#ctx.ports.acquire() : 0;
        const replica = new Replica(service.spec, service.replicas.length + 1, port, this.#ctx);
        service.replicas.push(replica);
        added.push(replica);
      }
      this.#checkRunning(`start service ${service.spec.name}`);
      await Promise.all(added.map((r) => r.launch('strict', signal)));
    } catch (error) {
      // No half-started service: what this call started goes again.
      await Promise.all(added.map((r) => r.stop()));
      service.replicas = service.replicas.filter((r) => !added.includes(r));
      for (const replica of added) this.#release(service, replica);
      throw error;
    }
  }

  #release(service: Service, replica: Replica): void {
    if (service.spec.assignPorts) this.#ctx.ports.release(replica.info.port);
  }

  #service(name: string): Service {
    const service = this.#services.get(name);
    if (!service) {
      throw new LabError('LAB_SUPERVISOR_UNKNOWN_SERVICE', `no service ${JSON.stringify(name)}; the services are: ${[...this.#services.keys()].join(', ') || 'none'}`);
    }
    return service;
  }

  #checkRunning(what: string): void {
    if (this.#stopping) throw new LabError('LAB_SUPERVISOR_STOPPED', `cannot ${what}: the supervisor is stopping or stopped; fix: create a new supervisor`);
  }

  #exclusive(service: Service, task: () => Promise<void>): Promise<void> {
    const result = service.queue.then(task);
    service.queue = result.catch(() => undefined);
    return result;
  }

  #emit(event: SupervisorEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        process.emitWarning(`cloudlab supervisor: an event listener threw: ${String(error)}`);
      }
    }
  }

  #log(line: LogLine): void {
    try {
      this.#onLog?.(line);
    } catch (error) {
      process.emitWarning(`cloudlab supervisor: onLog threw: ${String(error)}`);
    }
    this.#logs.append(line);
  }
}
