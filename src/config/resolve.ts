/**
 * From the validated file to the effective config: defaults (flag, then file, then
 * default, in this one place), durations in milliseconds, absolute paths, camelCase.
 */
import { basename, resolve } from 'node:path';
import { DEFAULTS, FALLBACK_NAME } from './defaults.js';
import { parseDuration } from './duration.js';
import { splitCommand } from './command.js';
import { readAddress } from './raw.js';
import type { FileConfig } from './schema.js';
import type { FileService } from './schema-service.js';
import type {
  CacheConfig,
  ConfigOverrides,
  HealthcheckConfig,
  LabConfig,
  ListenAddress,
  PostgresConfig,
  ProxySettings,
  ServiceConfig,
  ServiceDependency,
} from './types.js';

export interface ResolveContext {
  /** Absolute directory relative paths are read from. */
  dir: string;
  /** Absolute path of the file, or null for the built-in demo. */
  file: string | null;
  env: Readonly<Record<string, string | undefined>>;
  overrides: ConfigOverrides;
}

const ms = (value: number | string): number => parseDuration(value) ?? 0;

/** A lab name from a directory name, as compose derives a project name. */
export function nameFromDirectory(dir: string): string {
  const name = basename(dir).toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[_-]+/, '');
  return name === '' ? FALLBACK_NAME : name;
}

export function resolveConfig(file: FileConfig, context: ResolveContext): LabConfig {
  const host = file.host ?? DEFAULTS.host;
  const free = context.overrides.freePorts === true;
  /** A public listener: 0 when the caller asked for free ports. */
  const listen = (value: number | string): ListenAddress => {
    const address = readAddress(value, host) ?? { host, port: 0 };
    return free ? { host: address.host, port: 0 } : address;
  };
  const publicPort = (value: number): number => (free ? 0 : value);
  const proxy = (value: false | null | { listen?: number | string | undefined } | undefined, byDefault: number | null): ProxySettings | null => {
    if (value === false || (value === undefined && byDefault === null)) return null;
    return { listen: listen(value?.listen ?? byDefault ?? 0) };
  };

  const deps = file.dependencies ?? {};
  const services: Record<string, ServiceConfig> = {};
  for (const [name, service] of Object.entries(file.services ?? {})) {
    services[name] = resolveService(name, service, context, listen, proxy);
  }
  const hub = file.hub ?? {};
  const edge = file.edge ?? {};
  const config: LabConfig = {
    name: file.name ?? nameFromDirectory(context.dir),
    source: { file: context.file },
    dir: context.dir,
    stateDir: resolve(context.dir, file.state_dir ?? DEFAULTS.state_dir),
    host,
    dependencies: {
      postgres: deps.postgres === undefined ? null : resolvePostgres(deps.postgres ?? {}, proxy),
      cache: deps.cache === undefined ? null : resolveCache(deps.cache ?? {}, proxy),
    },
    services,
    proxies: (file.proxies ?? []).map((p) => ({ name: p.name, listen: listen(p.listen), upstream: p.upstream, enabled: p.enabled ?? DEFAULTS.proxy_entry.enabled })),
    hub: {
      otlpGrpcPort: publicPort(hub.otlp_grpc_port ?? DEFAULTS.hub.otlp_grpc_port),
      otlpHttpPort: publicPort(hub.otlp_http_port ?? DEFAULTS.hub.otlp_http_port),
      queryPort: publicPort(hub.query_port ?? DEFAULTS.hub.query_port),
      scrapeIntervalMs: ms(hub.scrape_interval ?? DEFAULTS.hub.scrape_interval),
      retentionMs: ms(hub.retention ?? DEFAULTS.hub.retention),
      maxSeries: hub.max_series ?? DEFAULTS.hub.max_series,
      maxSpans: hub.max_spans ?? DEFAULTS.hub.max_spans,
      maxLogs: hub.max_logs ?? DEFAULTS.hub.max_logs,
    },
    toxiproxy: { port: publicPort(portOf(file.toxiproxy) ?? DEFAULTS.toxiproxy.port) },
    console: { port: publicPort(portOf(file.console) ?? DEFAULTS.console.port) },
    edge: {
      healthIntervalMs: ms(edge.health_interval ?? DEFAULTS.edge.health_interval),
      healthTimeoutMs: ms(edge.health_timeout ?? DEFAULTS.edge.health_timeout),
    },
    scenarios: structuredClone<Record<string, Record<string, unknown>>>(file.scenarios ?? {}),
  };
  return deepFreeze(config);
}

function portOf(section: unknown): number | undefined {
  const port = (section as { port?: unknown } | null | undefined)?.port;
  return typeof port === 'number' ? port : undefined;
}

type ProxyResolver = (value: false | null | { listen?: number | string | undefined } | undefined, byDefault: number | null) => ProxySettings | null;
type NonNull<T> = Exclude<T, null | undefined>;
type FileDeps = NonNull<FileConfig['dependencies']>;

function resolvePostgres(pg: NonNull<FileDeps['postgres']>, proxy: ProxyResolver): PostgresConfig {
  const settings = proxy(pg.proxy, DEFAULTS.postgres.proxy.listen);
  if (pg.engine === 'external') return { engine: 'external', url: pg.url ?? '', proxy: settings };
  return {
    engine: 'embedded',
    database: pg.database ?? DEFAULTS.postgres.database,
    user: pg.user ?? DEFAULTS.postgres.user,
    password: pg.password ?? DEFAULTS.postgres.password,
    port: pg.port ?? DEFAULTS.postgres.port,
    proxy: settings,
  };
}

function resolveCache(cache: NonNull<FileDeps['cache']>, proxy: ProxyResolver): CacheConfig {
  const settings = proxy(cache.proxy, DEFAULTS.cache.proxy.listen);
  if (cache.engine === 'external') return { engine: 'external', url: cache.url ?? '', proxy: settings };
  return { engine: cache.engine ?? DEFAULTS.cache.engine, port: cache.port ?? DEFAULTS.cache.port, proxy: settings };
}

function resolveService(name: string, service: FileService, context: ResolveContext, listen: (v: number | string) => ListenAddress, proxy: ProxyResolver): ServiceConfig {
  const command = typeof service.command === 'string' ? (splitCommand(service.command) ?? []) : [...service.command];
  return {
    name,
    command,
    cwd: resolve(context.dir, service.cwd ?? DEFAULTS.service.cwd),
    replicas: service.replicas ?? DEFAULTS.service.replicas,
    environment: resolveEnvironment(service.environment, context.env),
    portEnv: service.port_env ?? DEFAULTS.service.port_env,
    healthcheck: resolveHealthcheck(service.healthcheck),
    restart: service.restart ?? DEFAULTS.service.restart,
    dependsOn: resolveDependsOn(service.depends_on),
    ports: (service.ports ?? []).map(listen),
    proxy: proxy(service.proxy === null ? {} : service.proxy, null),
  };
}

function resolveEnvironment(environment: FileService['environment'], env: ResolveContext['env']): Record<string, string> {
  const out: Record<string, string> = {};
  const set = (name: string, value: string | number | boolean | null): void => {
    // An empty value passes on the variable of the same name, as compose does.
    const text = value === null ? env[name] : String(value);
    if (text !== undefined) out[name] = text;
  };
  if (Array.isArray(environment)) {
    for (const item of environment) {
      const eq = item.indexOf('=');
      if (eq === -1) set(item, null);
      else set(item.slice(0, eq), item.slice(eq + 1));
    }
  } else {
    for (const [name, value] of Object.entries(environment ?? {})) set(name, value);
  }
  return out;
}

function resolveHealthcheck(hc: FileService['healthcheck']): HealthcheckConfig {
  const d = DEFAULTS.healthcheck;
  const timings = {
    intervalMs: ms(hc?.interval ?? d.interval),
    timeoutMs: ms(hc?.timeout ?? d.timeout),
    retries: hc?.retries ?? d.retries,
    startPeriodMs: ms(hc?.start_period ?? d.start_period),
  };
  if (hc?.disable) return { kind: 'none', ...timings };
  if (hc?.tcp) return { kind: 'tcp', ...timings };
  return { kind: 'http', path: hc?.http ?? d.http, ...timings };
}

function resolveDependsOn(dependsOn: FileService['depends_on']): ServiceDependency[] {
  const condition = DEFAULTS.service.depends_on_condition;
  if (Array.isArray(dependsOn)) return [...new Set(dependsOn)].map((name) => ({ name, condition }));
  return Object.entries(dependsOn ?? {}).map(([name, entry]) => ({ name, condition: entry?.condition ?? condition }));
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}
