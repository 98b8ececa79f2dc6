/**
 * The named scenarios: what each takes, what it acts on, its nearest AWS FIS action,
 * and what part of the lab it needs. The names are pinned (drills and the console use them).
 */
import type { ChaosScenarioInfo } from './types.js';

export type ValueKind = 'latency' | 'rate' | 'ratio' | 'timeout' | 'count' | 'flag';

export interface ValueSpec {
  name: string;
  unit: string;
  required: boolean;
  default: number | string | null;
  kind: ValueKind;
}

export interface TargetSpec {
  name: 'proxy' | 'service' | 'flag';
  required: boolean;
  default: string | null;
  /** A default that depends on the lab (kill-replica's service). */
  defaultFor?: (parts: LabParts) => string | null;
}

/** What the lab has, for availability. */
export interface LabParts {
  proxies: ReadonlySet<string>;
  services: readonly string[];
  embeddedPostgres: boolean;
  /** kill-replica's default: the first service with 2 or more replicas, else the first with any. */
  defaultService: string | null;
  databaseUrl: string | null;
  cacheUrl: string | null;
}

export interface ScenarioDefinition {
  name: string;
  summary: string;
  value: ValueSpec | null;
  target: TargetSpec | null;
  instant: boolean;
  fisAction: string;
  /** Why this lab cannot run it, or null when it can. */
  missing(parts: LabParts): string | null;
}

const LATENCY: ValueSpec = { name: 'latency_ms', unit: 'ms', required: true, default: null, kind: 'latency' };

const needsProxy = (name: string) => (parts: LabParts): string | null =>
  parts.proxies.has(name) ? null : `this lab has no fault proxy named "${name}" (proxies: ${[...parts.proxies].join(', ') || 'none'})`;

const needsAnyProxy = (parts: LabParts): string | null => (parts.proxies.size > 0 ? null : 'this lab has no fault proxy');

export const SCENARIOS: readonly ScenarioDefinition[] = [
  {
    name: 'postgres-latency', summary: 'adds latency to every reply from Postgres (latency toxic on proxy postgres, downstream)',
    value: LATENCY, target: null, instant: false, fisAction: 'aws:ecs:task-network-latency', missing: needsProxy('postgres'),
  },
  {
    name: 'postgres-outage', summary: 'Postgres unreachable: proxy postgres disabled (listener and open connections closed)',
    value: null, target: null, instant: false, fisAction: 'aws:network:disrupt-connectivity', missing: needsProxy('postgres'),
  },
  {
    name: 'postgres-bandwidth', summary: 'limits the data rate from Postgres (bandwidth toxic on proxy postgres, downstream)',
    value: { name: 'rate', unit: 'KB/s', required: true, default: null, kind: 'rate' }, target: null, instant: false,
    fisAction: 'aws:ecs:task-network-packet-loss', missing: needsProxy('postgres'),
  },
  {
    name: 'cache-latency', summary: 'adds latency to every reply from the cache (latency toxic on proxy cache, downstream)',
    value: LATENCY, target: null, instant: false, fisAction: 'aws:ecs:task-network-latency', missing: needsProxy('cache'),
  },
  {
    name: 'cache-outage', summary: 'the cache unreachable: proxy cache disabled',
    value: null, target: null, instant: false, fisAction: 'aws:network:disrupt-connectivity', missing: needsProxy('cache'),
  },
  {
    name: 'payments-latency', summary: 'slows the payments service (latency toxic on proxy payments, downstream)',
    value: LATENCY, target: null, instant: false, fisAction: 'aws:ecs:task-network-latency', missing: needsProxy('payments'),
  },
  {
    name: 'payments-errors', summary: 'payments answers 503 for this fraction of charges (flag paymentFailureRate)',
    value: { name: 'ratio', unit: '0..1', required: true, default: null, kind: 'ratio' }, target: null, instant: false,
    fisAction: 'aws:fis:inject-api-internal-error',
    missing: (parts) => (parts.services.includes('payments') ? null : `this lab has no service named "payments" (services: ${parts.services.join(', ') || 'none'})`),
  },
  {
    name: 'reset-peer', summary: 'resets connections through a proxy with a TCP RST after timeout_ms (reset_peer toxic)',
    value: { name: 'timeout_ms', unit: 'ms', required: false, default: 0, kind: 'timeout' }, target: { name: 'proxy', required: true, default: null },
    instant: false, fisAction: 'aws:ecs:task-network-blackhole-port', missing: needsAnyProxy,
  },
  {
    name: 'toxic', summary: 'any raw Toxiproxy toxic on a proxy (type, stream, toxicity, attributes)',
    value: null, target: { name: 'proxy', required: true, default: null }, instant: false, fisAction: 'aws:ssm:send-command', missing: needsAnyProxy,
  },
  {
    name: 'kill-replica', summary: 'SIGKILLs running replicas of a service (the supervisor restarts them)',
    value: { name: 'count', unit: 'replicas', required: false, default: 1, kind: 'count' }, target: { name: 'service', required: false, default: null, defaultFor: (parts) => parts.defaultService },
    instant: true, fisAction: 'aws:ecs:stop-task', missing: (parts) => (parts.services.length > 0 ? null : 'this lab runs no services'),
  },
  {
    name: 'restart-postgres', summary: 'restarts the embedded Postgres through the supervisor; answers once it is ready again',
    value: null, target: null, instant: true, fisAction: 'aws:rds:reboot-db-instances',
    missing: (parts) => (parts.embeddedPostgres ? null : parts.databaseUrl ? 'postgres is external (DATABASE_URL / postgres.url): the lab does not run it, so it cannot restart it' : 'this lab has no postgres'),
  },
  {
    name: 'flush-cache', summary: 'FLUSHALL on the cache: every cached entry gone (a cold cache)',
    value: null, target: null, instant: true, fisAction: 'aws:elasticache:interrupt-cluster-az-power',
    missing: (parts) => (parts.cacheUrl ? null : 'this lab has no cache'),
  },
  {
    name: 'postgres-connections', summary: 'holds idle Postgres connections so services cannot open new ones (default: every free slot)',
    value: { name: 'count', unit: 'connections', required: false, default: 'fill', kind: 'count' }, target: null, instant: false,
    fisAction: 'aws:ssm:send-command', missing: (parts) => (parts.databaseUrl ? null : 'this lab has no postgres'),
  },
  {
    name: 'flag', summary: 'sets an app failure flag (paymentFailureRate, slowMenuQueryMs, cpuHog, memoryLeak, cacheDisabled, ...)',
    value: { name: 'value', unit: 'true/false/number/string', required: true, default: null, kind: 'flag' }, target: { name: 'flag', required: true, default: null },
    instant: false, fisAction: 'aws:ssm:start-automation-execution', missing: () => null,
  },
];

export const SCENARIO_NAMES: readonly string[] = SCENARIOS.map((s) => s.name);

export function findScenario(name: string): ScenarioDefinition | undefined {
  return SCENARIOS.find((s) => s.name === name);
}

export function scenarioInfo(def: ScenarioDefinition, parts: LabParts): ChaosScenarioInfo {
  const reason = def.missing(parts);
  return {
    name: def.name,
    summary: def.summary,
    value: def.value ? { name: def.value.name, unit: def.value.unit, required: def.value.required, default: def.value.default } : null,
    target: def.target ? { name: def.target.name, required: def.target.required, default: def.target.defaultFor?.(parts) ?? def.target.default } : null,
    instant: def.instant,
    fisAction: def.fisAction,
    available: reason === null,
    reason,
  };
}
