/**
 * The user's services (or the cafe demo): each started by the supervisor once what
 * it depends on is there (compose's conditions), with an edge per published port
 * and an internal edge behind a fault proxy when the service has a `proxy` or
 * another service calls it. Edges follow the supervisor's events, so a replica that
 * dies leaves the rotation at once.
 */
import { LabError } from '../errors.js';
import type { Supervisor, SupervisorEvent } from '../supervisor/index.js';
import type { Edge, EdgeOptions } from '../edge/index.js';
import type { Progress } from './lab.js';
import type { LabPlan, ServicePlan } from './plan.js';
import type { RunningDependencies } from './dependencies.js';
import { serviceEnv } from './service-env.js';
import { createProxy } from './toxiproxy-client.js';

export interface ServicesContext {
  supervisor: Supervisor;
  proxyAdminUrl: string;
  progress: Progress;
  edges: Edge[];
  createEdge(options: EdgeOptions): Promise<Edge>;
  deps: RunningDependencies;
  resolvedPort(key: string, fallback: number): number;
  otlpHttpUrl: string;
  controlUrl: string;
  flagsFile: string;
}

export interface RunningServices {
  urls: Record<string, string>;
  restart(service: string): Promise<void>;
  scale(service: string, replicas: number): Promise<void>;
  kill(replicaId: string, signal?: NodeJS.Signals): void;
}

export async function startServices(plan: LabPlan, ctx: ServicesContext): Promise<RunningServices> {
  const h = plan.host;
  const urls: Record<string, string> = {};
  const serviceUrls = new Map<string, string>();
  const edgesOf = new Map<string, Edge[]>();
  const calledByOthers = new Set(plan.services.flatMap((s) => s.dependsOn.map((d) => d.name)));

  // Edges (and proxies) first: their addresses go into the environment of callers.
  for (const service of plan.services) {
    const list: Edge[] = [];
    const edgeOptions = (port: number): EdgeOptions => ({
      name: service.name, host: h, port,
      healthPath: service.health.check === 'http' ? service.health.path : null,
      healthIntervalMs: plan.edge.healthIntervalMs, healthTimeoutMs: plan.edge.healthTimeoutMs,
    });
    for (const publish of service.publish) {
      const edge = await ctx.createEdge(edgeOptions(ctx.resolvedPort(publish.key, publish.port)));
      ctx.edges.push(edge);
      list.push(edge);
      urls[`${service.name} (edge)`] = `http://${h}:${edge.port}`;
    }
    if (service.proxy || calledByOthers.has(service.name)) {
      const internal = await ctx.createEdge(edgeOptions(0));
      ctx.edges.push(internal);
      list.push(internal);
      let url = `http://${h}:${internal.port}`;
      if (service.proxy) {
        const listenPort = ctx.resolvedPort(service.proxy.key, service.proxy.port);
        await createProxy(ctx.proxyAdminUrl, { name: service.name, listen: `${h}:${listenPort}`, upstream: `${h}:${internal.port}` }, service.proxy.key);
        url = `http://${h}:${listenPort}`;
        urls[`${service.name} (through its fault proxy)`] = url;
      }
      serviceUrls.set(service.name, url);
    }
    edgesOf.set(service.name, list);
  }

  const syncEdges = (service: string): void => {
    const status = ctx.supervisor.status().find((s) => s.name === service);
    const ready = (status?.replicas ?? []).filter((r) => r.state === 'ready').map((r) => ({ id: r.id, host: h, port: r.port }));
    for (const edge of edgesOf.get(service) ?? []) edge.setBackends(ready);
  };
  ctx.supervisor.on((event: SupervisorEvent) => {
    const service = event.replica.service;
    if (!edgesOf.has(service)) return;
    if (event.type === 'exited' || event.type === 'unhealthy' || event.type === 'stopped') {
      for (const edge of edgesOf.get(service) ?? []) edge.markDown(event.replica.id);
    }
    syncEdges(service);
  });

  const endpoints = {
    host: h,
    databaseUrl: ctx.deps.databaseUrl,
    cacheUrl: ctx.deps.cacheUrl,
    serviceUrls,
    otlpHttpUrl: ctx.otlpHttpUrl,
    controlUrl: ctx.controlUrl,
    flagsFile: ctx.flagsFile,
  };
  const specFor = (service: ServicePlan) => ({
    name: service.name,
    replicas: service.replicas,
    restart: service.restart,
    assignPorts: true,
    health: { intervalMs: service.health.intervalMs, timeoutMs: service.health.timeoutMs, retries: service.health.retries, startPeriodMs: service.health.startPeriodMs },
    build: (replica: { service: string; index: number; id: string; port: number }) => ({
      name: service.name,
      command: service.command[0]!,
      args: service.command.slice(1),
      env: serviceEnv(service, replica, endpoints),
      cwd: service.cwd,
      readiness:
        service.health.check === 'http' ? { type: 'http' as const, url: `http://${h}:${replica.port}${service.health.path}` }
        : service.health.check === 'tcp' ? { type: 'tcp' as const, host: h, port: replica.port }
        : { type: 'none' as const },
      stopSignal: 'SIGTERM' as const,
      stopTimeoutMs: 10_000,
    }),
  });

  // Start each service once its dependencies are met: service_started needs the
  // dependency spawned, service_healthy needs it ready (postgres and cache are ready by now).
  const started = Date.now();
  const spawned = new Map(plan.services.map((s) => [s.name, deferred()]));
  const ready = new Map(plan.services.map((s) => [s.name, deferred()]));
  for (const service of plan.services) {
    const mine = { spawned: spawned.get(service.name)!, ready: ready.get(service.name)! };
    void (async () => {
      await Promise.all(service.dependsOn.filter((d) => d.name !== 'postgres' && d.name !== 'cache').map((d) => (d.condition === 'service_healthy' ? ready : spawned).get(d.name)!.promise));
      ctx.progress({ part: service.name, state: 'starting', detail: `${service.replicas} replica(s): ${service.command.join(' ')}` });
      const starting = ctx.supervisor.start(specFor(service));
      mine.spawned.resolve();
      await starting;
      syncEdges(service.name);
      ctx.progress({ part: service.name, state: 'ready', detail: `${service.replicas} replica(s) ready (${Date.now() - started} ms)` });
    })().then(() => mine.ready.resolve(), (err: unknown) => {
      mine.spawned.reject(err);
      mine.ready.reject(err);
    });
  }
  const results = await Promise.allSettled([...ready.values()].map((d) => d.promise));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;

  const known = (name: string): ServicePlan => {
    const service = plan.services.find((s) => s.name === name);
    if (!service) throw new LabError('LAB_CONTROL_NOT_FOUND', `no service "${name}"; services: ${plan.services.map((s) => s.name).join(', ')}`);
    return service;
  };
  return {
    urls,
    async restart(name) {
      known(name);
      await ctx.supervisor.restart(name);
      syncEdges(name);
    },
    async scale(name, replicas) {
      known(name);
      await ctx.supervisor.scale(name, replicas);
      syncEdges(name);
    },
    kill(id, signal) {
      const service = /^(.*)-\d+$/.exec(id)?.[1] ?? '';
      const status = ctx.supervisor.status().find((s) => s.name === service);
      if (!status?.replicas.some((r) => r.id === id)) throw new LabError('LAB_CONTROL_NOT_FOUND', `no replica "${id}"; \`cloudlab ps\` lists them`);
      ctx.supervisor.kill(id, signal);
    },
  };
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // a rejection nobody awaits is reported by allSettled
  return { promise, resolve, reject };
}
