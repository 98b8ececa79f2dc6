/** The lab's status for `cloudlab status`, `cloudlab ps` and the console. */
import type { Supervisor } from '../supervisor/index.js';
import type { Edge } from '../edge/index.js';
import type { LabPlan } from './plan.js';
import type { RunningDependencies } from './dependencies.js';
import type { LabStatus, PartStatus } from './handle.js';

function overall(states: string[]): string {
  if (states.length === 0) return 'stopped';
  if (states.every((s) => s === 'ready')) return 'ready';
  if (states.some((s) => s === 'ready')) return 'degraded';
  return states[0] ?? 'stopped';
}

export function labStatus(plan: LabPlan, supervisor: Supervisor, edges: Edge[], deps: RunningDependencies, urls: Record<string, string>, startedAtMs: number): LabStatus {
  const processes = supervisor.status();
  const parts: PartStatus[] = [];
  const infra: Array<[string, PartStatus['kind'], string, string | undefined]> = [
    ['hub', 'hub', 'OpenTelemetry hub', urls['hub (queries, Prometheus API)']],
    ['toxiproxy', 'proxy', 'fault proxy (Toxiproxy API)', urls['toxiproxy API']],
    ['postgres', 'postgres', deps.postgresDetail ?? '', urls['postgres']],
    ['cache', 'cache', deps.cacheDetail ?? '', urls['cache']],
  ];
  for (const [name, kind, detail, url] of infra) {
    const proc = processes.find((p) => p.name === name);
    if (!proc && !(name === 'postgres' && deps.postgresDetail) && !(name === 'cache' && deps.cacheDetail)) continue;
    const state = proc ? overall(proc.replicas.map((r) => r.state)) : 'external';
    parts.push({ name, kind, state, detail, ...(url ? { url } : {}) });
  }
  for (const service of plan.services) {
    const proc = processes.find((p) => p.name === service.name);
    const replicas = (proc?.replicas ?? []).map((r) => ({ id: r.id, pid: r.pid ?? null, port: r.port, state: r.state, restarts: r.restarts, startedAtMs: r.startedAtMs ?? null, lastExit: r.lastExit ?? null }));
    const ready = replicas.filter((r) => r.state === 'ready').length;
    parts.push({ name: service.name, kind: 'service', state: overall(replicas.map((r) => r.state)), detail: `${ready}/${replicas.length} replicas ready`, replicas, ...(urls[`${service.name} (edge)`] ? { url: urls[`${service.name} (edge)`]! } : {}) });
  }
  for (const edge of edges) {
    const backends = edge.backends();
    parts.push({ name: `edge :${edge.port}`, kind: 'edge', state: backends.some((b) => b.healthy) ? 'ready' : 'no healthy backend', detail: backends.map((b) => `${b.id}${b.healthy ? '' : ' (down)'}`).join(', ') });
  }
  return { name: plan.name, pid: process.pid, startedAtMs, configFile: plan.configFile, stateDir: plan.stateDir, urls, parts };
}
