/**
 * The orchestrator behind `cloudlab up`: starts every part of a LabPlan in order
 * (control API, hub, fault proxy, postgres, cache, services by depends_on), wires
 * them (proxies, edges, environment, logs to the hub) and stops them in reverse.
 * Every process runs under the supervisor, so nothing outlives the lab.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabError } from '../errors.js';
import { createSupervisor, reapOrphans } from '../supervisor/index.js';
import type { Supervisor, ServiceSpec, ProcessSpec } from '../supervisor/index.js';
import { createEdge } from '../edge/index.js';
import type { Edge } from '../edge/index.js';
import { createControlServer } from './api.js';
import type { ControlServer } from './api.js';
import { createFlagStore } from './flags.js';
import { createEventLog } from './events.js';
import { createLoadRunner } from './load-runner.js';
import type { FlagStore } from './flags.js';
import { createLogForwarder } from './log-forwarder.js';
import type { LabPlan } from './plan.js';
import { readLabState, removeLabState, writeLabState } from './state-file.js';
import { newToken } from './guard.js';
import { claimPorts } from './port-check.js';
import { createProxy } from './toxiproxy-client.js';
import { startDependencies } from './dependencies.js';
import type { RunningDependencies } from './dependencies.js';
import { startServices } from './services.js';
import type { RunningServices } from './services.js';
import { labStatus } from './status.js';
import type { LabHandle, LabStatus } from './handle.js';
import { chaosProcesses, createChaos } from '../chaos/index.js';

const MAIN = fileURLToPath(new URL('../cli/main.js', import.meta.url));

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
    const control: ControlServer = await createControlServer({ host: h, port: port('console.port'), token });
    cleanups.push(() => control.close());
    const otlpHttpUrl = `http://${h}:${port('hub.otlp_http_port')}`;
    const forwarder = createLogForwarder({ endpoint: otlpHttpUrl });
    const supervisor: Supervisor = createSupervisor({ stateDir: plan.stateDir, host: h, onLog: (line) => forwarder.push(line) });
    cleanups.push(async () => {
      progress({ part: 'lab', state: 'stopping', detail: 'stopping every process (services first, then dependencies)' });
      await forwarder.flush();
      await supervisor.stop({ deadlineMs: 15_000 });
      await forwarder.close();
    });

    const queryUrl = `http://${h}:${port('hub.query_port')}`;
    const proxyAdminUrl = `http://${h}:${port('toxiproxy.port')}`;
    const t0 = Date.now();
    // The hub, the proxy and the dependencies start at once; only the proxies in front
    // of the dependencies wait for the proxy's API.
    progress({ part: 'hub', state: 'starting', detail: 'OpenTelemetry hub' });
    progress({ part: 'toxiproxy', state: 'starting', detail: 'fault proxy' });
    const hubReady = supervisor
      .start(
        nodeProcess('hub', [
          'collector', '--host', h,
          '--otlp-grpc-port', String(port('hub.otlp_grpc_port')), '--otlp-http-port', String(port('hub.otlp_http_port')), '--query-port', String(port('hub.query_port')),
          '--scrape', `${control.url}/metrics`, '--scrape', `${proxyAdminUrl}/metrics`,
          '--scrape-interval', `${plan.hub.scrapeIntervalMs}ms`, '--retention', `${plan.hub.retentionMs}ms`,
          '--max-series', String(plan.hub.maxSeries), '--max-spans', String(plan.hub.maxSpans), '--max-logs', String(plan.hub.maxLogs),
        ], plan, { type: 'http', url: `${queryUrl}/api/v1/status/buildinfo` }),
      )
      .then(() => progress({ part: 'hub', state: 'ready', detail: `OTLP ${otlpHttpUrl} (HTTP), ${h}:${port('hub.otlp_grpc_port')} (gRPC); queries ${queryUrl} (${Date.now() - t0} ms)` }));
    const proxyReady = supervisor
      .start(nodeProcess('toxiproxy', ['proxy', '--host', h, '--port', String(port('toxiproxy.port'))], plan, { type: 'http', url: `${proxyAdminUrl}/version` }))
      .then(() => progress({ part: 'toxiproxy', state: 'ready', detail: `Toxiproxy API ${proxyAdminUrl} (${Date.now() - t0} ms)` }));
    const depsReady = startDependencies(plan, supervisor, proxyReady, proxyAdminUrl, progress, {
      postgres: plan.postgres?.proxy ? port(plan.postgres.proxy.key) : null,
      cache: plan.cache?.proxy ? port(plan.cache.proxy.key) : null,
    });
    const [settledHub, settledProxy, settledDeps] = await Promise.allSettled([hubReady, proxyReady, depsReady]);
    for (const settled of [settledHub, settledProxy, settledDeps]) if (settled.status === 'rejected') throw settled.reason;
    const deps = (settledDeps as PromiseFulfilledResult<RunningDependencies>).value;
    const flags: FlagStore = await createFlagStore(join(plan.stateDir, 'flags.json'));
    const extraProxies: Record<string, string> = {};
    for (const p of plan.proxies) {
      const made = await createProxy(proxyAdminUrl, { name: p.name, listen: p.listen, upstream: p.upstream, enabled: p.enabled }, p.key);
      extraProxies[`proxy ${p.name} (to ${p.upstream})`] = made.listen;
    }
    const edges: Edge[] = [];
    cleanups.push(async () => {
      await Promise.all(edges.map((e) => e.close()));
    });
    const services: RunningServices = await startServices(plan, {
      supervisor,
      proxyAdminUrl,
      progress,
      edges,
      createEdge,
      deps,
      resolvedPort: resolved,
      otlpHttpUrl,
      controlUrl: control.url,
      flagsFile: join(plan.stateDir, 'flags.json'),
    });

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
