/**
 * The effective config in the file's own key names, for `cloudlab config`. Secrets are
 * masked. The YAML form loads back to the same config (except masked secrets): `$` is
 * written as `$$` so interpolation gives it back, and paths are absolute.
 */
import { stringify } from 'yaml';
import { BUILTIN_LABEL } from './builtin.js';
import { formatDuration } from './duration.js';
import { maskUrl } from './problem.js';
import type { CacheConfig, ConfigFormat, HealthcheckConfig, LabConfig, ListenAddress, PostgresConfig, ProxySettings, ServiceConfig } from './types.js';

export const MASK = '********';

export function formatConfig(config: LabConfig, format: ConfigFormat): string {
  const file = toFileShape(config);
  if (format === 'json') return `${JSON.stringify(file, null, 2)}\n`;
  const source = config.source.file ?? BUILTIN_LABEL;
  return `# source: ${source}\n${stringify(escapeDollars(file), { lineWidth: 0, aliasDuplicateObjects: false })}`;
}

/** The config as a cloudlab.yaml would write it, every default spelled out. */
export function toFileShape(config: LabConfig): Record<string, unknown> {
  const listen = (address: ListenAddress): number | string => (address.host === config.host ? address.port : hostPort(address));
  const proxy = (settings: ProxySettings | null): false | { listen: number | string } => (settings === null ? false : { listen: listen(settings.listen) });
  const dependencies: Record<string, unknown> = {};
  if (config.dependencies.postgres) dependencies['postgres'] = postgres(config.dependencies.postgres, proxy);
  if (config.dependencies.cache) dependencies['cache'] = cache(config.dependencies.cache, proxy);
  return {
    name: config.name,
    state_dir: config.stateDir,
    host: config.host,
    dependencies,
    services: Object.fromEntries(Object.entries(config.services).map(([name, s]) => [name, service(s, listen, proxy)])),
    proxies: config.proxies.map((p) => ({ name: p.name, listen: hostPort(p.listen), upstream: p.upstream, enabled: p.enabled })),
    hub: {
      otlp_grpc_port: config.hub.otlpGrpcPort,
      otlp_http_port: config.hub.otlpHttpPort,
      query_port: config.hub.queryPort,
      scrape_interval: formatDuration(config.hub.scrapeIntervalMs),
      retention: formatDuration(config.hub.retentionMs),
      max_series: config.hub.maxSeries,
      max_spans: config.hub.maxSpans,
      max_logs: config.hub.maxLogs,
    },
    toxiproxy: { port: config.toxiproxy.port },
    console: { port: config.console.port },
    edge: { health_interval: formatDuration(config.edge.healthIntervalMs), health_timeout: formatDuration(config.edge.healthTimeoutMs) },
    scenarios: config.scenarios,
  };
}

type ProxyShape = (settings: ProxySettings | null) => false | { listen: number | string };

function postgres(pg: PostgresConfig, proxy: ProxyShape): Record<string, unknown> {
  if (pg.engine === 'external') return { engine: pg.engine, url: maskUrl(pg.url), proxy: proxy(pg.proxy) };
  return { engine: pg.engine, database: pg.database, user: pg.user, password: MASK, port: pg.port, proxy: proxy(pg.proxy) };
}

function cache(c: CacheConfig, proxy: ProxyShape): Record<string, unknown> {
  if (c.engine === 'external') return { engine: c.engine, url: maskUrl(c.url), proxy: proxy(c.proxy) };
  return { engine: c.engine, port: c.port, proxy: proxy(c.proxy) };
}

function service(s: ServiceConfig, listen: (a: ListenAddress) => number | string, proxy: ProxyShape): Record<string, unknown> {
  return {
    command: [...s.command],
    cwd: s.cwd,
    replicas: s.replicas,
    environment: { ...s.environment },
    port_env: s.portEnv,
    healthcheck: healthcheck(s.healthcheck),
    restart: s.restart,
    depends_on: Object.fromEntries(s.dependsOn.map((d) => [d.name, { condition: d.condition }])),
    ports: s.ports.map((p) => String(listen(p))),
    ...(s.proxy === null ? {} : { proxy: proxy(s.proxy) }),
  };
}

function healthcheck(hc: HealthcheckConfig): Record<string, unknown> {
  const check = hc.kind === 'http' ? { http: hc.path } : hc.kind === 'tcp' ? { tcp: true } : { disable: true };
  return { ...check, interval: formatDuration(hc.intervalMs), timeout: formatDuration(hc.timeoutMs), retries: hc.retries, start_period: formatDuration(hc.startPeriodMs) };
}

function hostPort(address: ListenAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

function escapeDollars(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\$/g, '$$$$');
  if (Array.isArray(value)) return value.map(escapeDollars);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeDollars(v)]));
  return value;
}
