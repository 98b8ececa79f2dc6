/**
 * The orchestrator behind `cloudlab up`: starts every part of a LabPlan as soon as what
 * it needs is there (hub, fault proxy, postgres and cache at once; services by
 * depends_on once postgres, the cache and their proxies are ready; the control API's
 * routes while the services boot), wires them (proxies, edges, environment, logs to
 * the hub) and stops them in reverse.
 * Every process runs under the supervisor, so nothing outlives the lab.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabError } from '../errors.js';
import { createSupervisor, reapOrphans } from '../supervisor/index.js';
import type { Supervisor, ServiceSpec, ProcessSpec } from '../supervisor/index.js';
import { createEdge } from '../edge/index.js';
import type { Edge } from '../edge/index.js';
import { createFlagStore } from './flags.js';
import { createEventLog } from './events.js';
import { listenControl } from './control-listener.js';
import { createLogForwarder } from './log-forwarder.js';
import type { ForwardedLine } from './log-forwarder.js';
import type { LabPlan } from './plan.js';
import { readLabState, removeLabState, writeLabState } from './state-file.js';
import { newToken } from './guard.js';
import { claimPorts } from './port-check.js';
import { createProxy } from './toxiproxy-client.js';
import { startDependencies } from './dependencies.js';
import { startServices } from './services.js';
import type { RunningServices } from './services.js';
import { labStatus } from './status.js';
import type { LabHandle, LabStatus } from './handle.js';

const MAIN = fileURLToPath(new URL('../cli/main.js', import.meta.url));
/** Lines kept for the hub while it starts; older ones go first. */
const HELD_LINES_MAX = 10_000;

export type Progress = (event: { part: string; state: 'starting' | 'ready' | 'failed' | 'stopping' | 'stopped' | 'info'; detail: string }) => void;

export interface Lab extends LabHandle {
  readonly urls: Record<string, string>;
  /** Which engines run (for the banner). */
  readonly notes: readonly string[];
  readonly token: string;
  readonly consoleUrl: string;
  /** Resolves when a stop was requested (API /api/down). */
  readonly stopRequested: Promise<void>;
  stop(): Promise<void>;
}

function infraHealth(): ServiceSpec['health'] {
  return { intervalMs: 2000, timeoutMs: 1000, retries: 3, startPeriodMs: 60_000 };
}

function nodeProcess(name: string, args: string[], plan: LabPlan, readiness: ProcessSpec['readiness']): ServiceSpec {
  return {
    name,
    replicas: 1,
    restart: 'on-failure',
    assignPorts: false,
    health: infraHealth(),
    build: () => ({ name, command: process.execPath, args: [MAIN, ...args], env: { ...process.env } as Record<string, string>, cwd: plan.dir, readiness, stopSignal: 'SIGTERM', stopTimeoutMs: 5000 }),
  };
}

/** Starts the lab; on any failure stops what already started and rethrows. */
export async function startLab(plan: LabPlan, progress: Progress = () => undefined): Promise<Lab> {
  const running = await readLabState(plan.stateDir);
  if (running) {
    throw new LabError('LAB_UP_ALREADY_RUNNING', `a lab already runs from ${plan.stateDir} (pid ${running.pid}, console ${running.controlUrl}); fix: run \`cloudlab down\` first, or use it as it is`);
  }
  const reaped = await reapOrphans(plan.stateDir);
  if (reaped.killed.length > 0) progress({ part: 'lab', state: 'info', detail: `stopped ${reaped.killed.length} process(es) a killed run left behind: ${reaped.killed.map((k) => `${k.name} (pid ${k.pid})`).join(', ')}` });

  const where = plan.configFile ?? 'the built-in cafe demo config';
  const h = plan.host;
  const claims = await claimPorts(
    [
      { key: 'console.port', host: h, port: plan.console.port },
      { key: 'toxiproxy.port', host: h, port: plan.toxiproxy.port },
      { key: 'hub.otlp_grpc_port', host: h, port: plan.hub.otlpGrpcPort },
      { key: 'hub.otlp_http_port', host: h, port: plan.hub.otlpHttpPort },
      { key: 'hub.query_port', host: h, port: plan.hub.queryPort },
      ...(plan.postgres?.proxy ? [plan.postgres.proxy] : []),
      ...(plan.cache?.proxy ? [plan.cache.proxy] : []),
      ...plan.services.flatMap((s) => [...s.publish, ...(s.proxy ? [s.proxy] : [])]),
    ],
    where,
  );
  const port = (key: string): number => claims.find((c) => c.key === key)!.port;
  const resolved = (key: string, fallback: number): number => claims.find((c) => c.key === key)?.port ?? fallback;

  const token = newToken();
  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    cleanups.length = 0;
  };

  try {
    // The control plane's heavier modules (the API with its load and chaos routes) load
    // once every process is spawned, while the services boot: loading them sooner would
    // hold up the dependencies' checks and the services' spawns, as module loading keeps
    // the event loop busy. The lab is attached to the API only once all is ready anyway.
    let openGate!: () => void;
    let gateOpen = false;
    const gate = new Promise<void>((resolve) => (openGate = () => {
      gateOpen = true;
      resolve();
    }));
    const apiModule = gate.then(() => import('./api.js'));
    const runnersModule = gate.then(() => Promise.all([import('./load-runner.js'), import('../chaos/index.js')]));
    runnersModule.catch(() => undefined); // awaited below; a failure must not go unhandled before then
    const listener = await listenControl(h, port('console.port'));
    const controlStarting = apiModule.then((api) => api.createControlServer({ host: h, port: listener.port, token, listener }));
    controlStarting.catch(() => undefined); // awaited below
    // Registered first, so it runs last: the console answers while everything else stops.
    cleanups.push(async () => {
      const started = gateOpen ? await controlStarting.catch(() => null) : null;
      await (started ? started.close() : listener.close());
    });
    const controlUrl = listener.url;
    const otlpHttpUrl = `http://${h}:${port('hub.otlp_http_port')}`;
    const forwarder = createLogForwarder({ endpoint: otlpHttpUrl });
    // Services may print before the hub listens (they do not wait for it): their lines
    // wait here until it answers, so none is lost to a refused connection.
    let held: ForwardedLine[] | null = [];
    const supervisor: Supervisor = createSupervisor({
      stateDir: plan.stateDir,
      host: h,
      onLog: (line) => {
        if (held === null) forwarder.push(line);
        else if (held.push(line) > HELD_LINES_MAX) held.shift();
      },
    });
    cleanups.push(async () => {
      progress({ part: 'lab', state: 'stopping', detail: 'stopping every process (services first, then dependencies)' });
      await forwarder.flush();
      await supervisor.stop({ deadlineMs: 15_000 });
      await forwarder.close();
    });

    const queryUrl = `http://${h}:${port('hub.query_port')}`;
    const proxyAdminUrl = `http://${h}:${port('toxiproxy.port')}`;
    const t0 = Date.now();
    // The hub, the proxy and the dependencies start at once; the proxies in front of the
    // dependencies wait for the proxy's API, and the services for the dependencies and the
    // proxy: not for the hub, which only receives their telemetry (the exporters retry).
    progress({ part: 'hub', state: 'starting', detail: 'OpenTelemetry hub' });
    progress({ part: 'toxiproxy', state: 'starting', detail: 'fault proxy' });
    const hubReady = supervisor
      .start(
        nodeProcess('hub', [
          'collector', '--host', h,
          '--otlp-grpc-port', String(port('hub.otlp_grpc_port')), '--otlp-http-port', String(port('hub.otlp_http_port')), '--query-port', String(port('hub.query_port')),
          '--scrape', `${controlUrl}/metrics`, '--scrape', `${proxyAdminUrl}/metrics`,
          '--scrape-interval', `${plan.hub.scrapeIntervalMs}ms`, '--retention', `${plan.hub.retentionMs}ms`,
          '--max-series', String(plan.hub.maxSeries), '--max-spans', String(plan.hub.maxSpans), '--max-logs', String(plan.hub.maxLogs),
        ], plan, { type: 'http', url: `${queryUrl}/api/v1/status/buildinfo` }),
      )
      .then(() => {
        for (const line of held ?? []) forwarder.push(line);
        held = null;
        progress({ part: 'hub', state: 'ready', detail: `OTLP ${otlpHttpUrl} (HTTP), ${h}:${port('hub.otlp_grpc_port')} (gRPC); queries ${queryUrl} (${Date.now() - t0} ms)` });
      });
    const proxyReady = supervisor
      .start(nodeProcess('toxiproxy', ['proxy', '--host', h, '--port', String(port('toxiproxy.port'))], plan, { type: 'http', url: `${proxyAdminUrl}/version` }))
      .then(() => progress({ part: 'toxiproxy', state: 'ready', detail: `Toxiproxy API ${proxyAdminUrl} (${Date.now() - t0} ms)` }));
    const depsReady = startDependencies(plan, supervisor, proxyReady, proxyAdminUrl, progress, {
      postgres: plan.postgres?.proxy ? port(plan.postgres.proxy.key) : null,
      cache: plan.cache?.proxy ? port(plan.cache.proxy.key) : null,
    });
    const replicaIds = (name: string, replicas: number): string[] => Array.from({ length: replicas }, (_, i) => `${name}-${i + 1}`);
    const notSpawned = new Set([
      ...replicaIds('hub', 1),
      ...replicaIds('toxiproxy', 1),
      ...(plan.postgres?.engine === 'embedded' ? replicaIds('postgres', 1) : []),
      ...(plan.cache && plan.cache.engine !== 'external' ? replicaIds('cache', 1) : []),
      ...plan.services.flatMap((s) => replicaIds(s.name, s.replicas)),
    ]);
    const stopWatching = supervisor.on((event) => {
      if (event.type === 'starting') notSpawned.delete(event.replica.id);
      if (notSpawned.size > 0) return;
      stopWatching();
      openGate();
    });
    const edges: Edge[] = [];
    cleanups.push(async () => {
      await Promise.all(edges.map((e) => e.close()));
    });
    const servicesReady = (async () => {
      // Not the control API: until the lab is attached to it (once everything is ready) its
      // /api answers 503 anyway, so a service asking it for flags at start gets no more from it.
      const [deps, flags] = await Promise.all([depsReady, createFlagStore(join(plan.stateDir, 'flags.json')), proxyReady]);
      const extraProxies: Record<string, string> = {};
      for (const p of plan.proxies) {
        const made = await createProxy(proxyAdminUrl, { name: p.name, listen: p.listen, upstream: p.upstream, enabled: p.enabled }, p.key);
        extraProxies[`proxy ${p.name} (to ${p.upstream})`] = made.listen;
      }
      const services: RunningServices = await startServices(plan, {
        supervisor,
        proxyAdminUrl,
        progress,
        edges,
        createEdge,
        deps,
        resolvedPort: resolved,
        otlpHttpUrl,
        controlUrl,
        flagsFile: join(plan.stateDir, 'flags.json'),
      });
      return { deps, flags, extraProxies, services };
    })();
    // Whatever did not spawn (a failure), the API loads once the rest settled.
    void Promise.allSettled([hubReady, proxyReady, depsReady, servicesReady]).then(() => {
      stopWatching();
      openGate();
    });
    // Nothing is left starting when a failure stops the lab: every branch settles first.
    const settled = await Promise.allSettled([hubReady, proxyReady, depsReady, controlStarting, servicesReady]);
    for (const one of settled) if (one.status === 'rejected') throw one.reason;
    const { deps, flags, extraProxies, services } = (settled[4] as PromiseFulfilledResult<Awaited<typeof servicesReady>>).value;
    const control = (settled[3] as PromiseFulfilledResult<Awaited<typeof controlStarting>>).value;
    const [{ createLoadRunner }, { chaosProcesses, createChaos }] = await runnersModule;

    const urls: Record<string, string> = {
      ...services.urls,
      console: `${control.url}/?token=${token}`,
      'hub (OTLP/HTTP)': otlpHttpUrl,
      'hub (OTLP/gRPC)': `${h}:${port('hub.otlp_grpc_port')}`,
      'hub (queries, Prometheus API)': queryUrl,
      'toxiproxy API': proxyAdminUrl,
      ...deps.urls,
      ...extraProxies,
    };
    const startedAtMs = Date.now();
    const events = createEventLog();
    const edgeUrl = urls['cafe (edge)'] ?? Object.entries(urls).find(([name]) => name.includes('(edge)'))?.[1] ?? null;
    const load = createLoadRunner({ stateDir: plan.stateDir, defaultTarget: edgeUrl, otlpEndpoint: otlpHttpUrl, events });
    cleanups.push(() => load.close());
    const chaos = await createChaos({
      proxyAdminUrl, flags, events, databaseUrl: deps.directDatabaseUrl, cacheUrl: deps.directCacheUrl,
      processes: chaosProcesses(supervisor, plan.services.map((s) => s.name)),
    });
    // Pushed last, so it runs first: faults are undone while the proxy and postgres still run.
    cleanups.push(() => chaos.close());
    let requestStop!: () => void;
    const stopRequested = new Promise<void>((resolve) => (requestStop = resolve));
    let stopping: Promise<void> | null = null;

    const lab: Lab = {
      urls,
      notes: deps.notes,
      token,
      consoleUrl: urls['console']!,
      stopRequested,
      flags,
      proxyAdminUrl,
      hubQueryUrl: queryUrl,
      status: (): LabStatus => labStatus(plan, supervisor, edges, deps, urls, startedAtMs),
      events,
      load,
      chaos,
      restart: async (service) => {
        events.add({ kind: 'lab', action: 'restart', detail: `rolling restart of ${service}` });
        await services.restart(service);
      },
      scale: async (service, n) => {
        events.add({ kind: 'lab', action: 'scale', detail: `${service} scaled to ${n}` });
        await services.scale(service, n);
      },
      kill: (id, signal) => {
        services.kill(id, signal);
        events.add({ kind: 'fault', action: 'inject', detail: `replica ${id} killed (${signal ?? 'SIGKILL'})` });
      },
      metrics: () => edges.map((e) => e.metrics()).join(''),
      requestStop: () => requestStop(),
      stop: () => (stopping ??= (async () => {
        await stopAll();
        await removeLabState(plan.stateDir);
        progress({ part: 'lab', state: 'stopped', detail: 'every process stopped' });
      })()),
    };
    control.attach(lab);
    await writeLabState(plan.stateDir, { pid: process.pid, name: plan.name, startedAtMs, controlUrl: control.url, token, urls, connections: { postgres: deps.directDatabaseUrl, cache: deps.directCacheUrl } });
    return lab;
  } catch (err) {
    progress({ part: 'lab', state: 'failed', detail: `${(err as Error).message}; stopping what already started` });
    await stopAll();
    throw err;
  }
}
