/**
 * The target-neutral export model: what every exporter (compose, Kubernetes, ...)
 * needs to know about the lab, derived once from the validated config. Values the
 * platform decides (hostnames, secrets) stay symbolic: each target renders them.
 */
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabConfig, ServiceConfig } from '../config/index.js';
import { assertNoNameClash } from './name-clash.js';

/** This package's root: the compiled file is dist/src/export/, three levels below. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** One file an exporter writes, its path relative to the output directory ("/" separated). */
export interface ExportFile {
  readonly path: string;
  readonly content: string;
}

export interface ExportModelOptions {
  /** Where cloudlab is installed (the cafe demo's sources live under it); default: this package. */
  readonly packageRoot?: string;
}

/**
 * A variable's value. Symbolic kinds are rendered by each target: `databaseUrl` is the
 * Postgres URL (password from a secret/variable), `cacheUrl` the Valkey URL,
 * `serviceUrl` another service's base URL, `otlpEndpoint` the OTLP/HTTP collector,
 * `otelDisabled` the tracing toggle (true unless the user turns tracing on).
 */
export type ModelEnvValue =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'databaseUrl' }
  | { readonly kind: 'cacheUrl' }
  | { readonly kind: 'serviceUrl'; readonly service: string }
  | { readonly kind: 'otlpEndpoint' }
  | { readonly kind: 'otelDisabled' };

export interface ModelEnvVar {
  readonly name: string;
  readonly value: ModelEnvValue;
}

export interface ModelBuild {
  /** The build context, absolute. */
  readonly context: string;
  /**
   * The Dockerfile. `generated`: the exporter writes it (at `path`, relative to the
   * export's directory); `user`: the user's own, at `path` relative to the context.
   */
  readonly dockerfile: { readonly kind: 'generated'; readonly path: string } | { readonly kind: 'user'; readonly path: string };
  /** The multi-stage target to build; null for the default (last) stage. */
  readonly target: string | null;
}

export interface ModelDependency {
  /** A service name, or "postgres" / "cache". */
  readonly name: string;
  readonly condition: 'service_healthy' | 'service_started';
}

export interface ModelService {
  readonly name: string;
  /** `<project>-<service>`. */
  readonly image: string;
  readonly build: ModelBuild;
  /** Program and arguments, relative to the image's working directory. */
  readonly command: readonly string[];
  /** The port the container listens on. */
  readonly containerPort: number;
  /** The variable that carries the port (PORT unless the config says otherwise). */
  readonly portEnv: string;
  readonly replicas: number;
  /** The HTTP health path, or null when the service has no HTTP healthcheck. */
  readonly healthPath: string | null;
  readonly healthcheck: { readonly intervalMs: number; readonly timeoutMs: number; readonly retries: number; readonly startPeriodMs: number };
  /** Ports published to users through the edge (load balancer); empty for internal services. */
  readonly publishedPorts: readonly number[];
  readonly environment: readonly ModelEnvVar[];
  readonly dependsOn: readonly ModelDependency[];
  /**
   * Where Prometheus scrapes it: the lab's convention is GET /metrics on the service's
   * own port (the hub's scrape_interval says so), unless its environment turns the
   * Prometheus exporter off (OTEL_METRICS_EXPORTER without "prometheus"); null then.
   */
  readonly metricsPath: string | null;
  /** The port of the metrics endpoint: the container port, or OTEL_EXPORTER_PROMETHEUS_PORT when the service sets it. */
  readonly metricsPort: number;
  /** True for the cafe demo's services, whose own metrics (cache, pool, breakers) the dashboards also chart. */
  readonly demo: boolean;
}

export interface ModelPostgres {
  /** The service/host name on the new platform. */
  readonly name: 'postgres';
  readonly image: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  /** The variable (or secret key) holding the password; never a value. */
  readonly passwordVariable: string;
}

export interface ModelCache {
  readonly name: 'valkey';
  readonly image: string;
  readonly port: number;
}

/** A fault proxy (Toxiproxy) in front of a dependency or a service, as in the lab. */
export interface ModelProxy {
  /** Toxiproxy's proxy name, as in the lab: "postgres", "cache" or the service's name. */
  readonly name: string;
  /** The model name of what it fronts: "postgres", "valkey" or a service. */
  readonly upstream: string;
  readonly upstreamPort: number;
  /** The port Toxiproxy listens on for it. */
  readonly listenPort: number;
}

export interface ExportModel {
  /** The lab's name as a compose project / namespace: lowercase, [a-z0-9-]. */
  readonly project: string;
  /** True when this is the built-in cafe demo. */
  readonly demo: boolean;
  readonly services: readonly ModelService[];
  readonly postgres: ModelPostgres | null;
  readonly cache: ModelCache | null;
  readonly proxies: readonly ModelProxy[];
  /** The OTLP/HTTP port of the collector/Jaeger. */
  readonly otlpHttpPort: number;
  /** Toxiproxy's admin API port. */
  readonly toxiproxyPort: number;
}

export const CONTAINER_PORT = 8080;
export const POSTGRES_IMAGE = 'postgres:17-alpine';
export const VALKEY_IMAGE = 'valkey/valkey:8-alpine';
export const POSTGRES_PASSWORD_VARIABLE = 'POSTGRES_PASSWORD';
/** The Dockerfile the exporters write for the cafe demo (both services, one target each). */
export const DEMO_DOCKERFILE = 'cafe/Dockerfile';

/** Variables the lab sets itself; the export sets its own versions instead. */
const LAB_ONLY = new Set(['CLOUDLAB_REPLICA', 'CLOUDLAB_OFREP_URL', 'CLOUDLAB_FLAGS_FILE', 'HOST']);

export function projectName(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return cleaned === '' ? 'cloudlab' : cleaned;
}

function envName(service: string): string {
  return service.toUpperCase().replace(/-/g, '_');
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** A demo service runs from examples/cafe; anything else is the user's own. */
function demoTarget(service: ServiceConfig, cafeDir: string): string | null {
  const script = service.command.find((arg) => isAbsolute(arg) && isInside(arg, join(cafeDir, 'dist')));
  if (script === undefined) return null;
  const parts = relative(join(cafeDir, 'dist', 'src'), script).split(sep);
  return parts.length >= 2 && !parts[0]!.startsWith('..') ? parts[0]! : null;
}

function relativeCommand(command: readonly string[], workdir: string): string[] {
  return command.map((arg) => (isAbsolute(arg) && isInside(arg, workdir) ? relative(workdir, arg).split(sep).join('/') : arg));
}

function ownEnvironment(service: ServiceConfig, config: LabConfig): ModelEnvVar[] {
  const out: ModelEnvVar[] = [];
  for (const [name, value] of Object.entries(service.environment)) {
    // Paths into the lab's state directory (flag files, sockets) mean nothing elsewhere.
    if (isAbsolute(value) && isInside(value, config.stateDir)) continue;
    if (LAB_ONLY.has(name) || name === service.portEnv) continue;
    out.push({ name, value: { kind: 'literal', value } });
  }
  return out;
}

function injectedEnvironment(service: ServiceConfig, config: LabConfig, containerPort: number): ModelEnvVar[] {
  const env: ModelEnvVar[] = [
    { name: service.portEnv, value: { kind: 'literal', value: String(containerPort) } },
    { name: 'HOST', value: { kind: 'literal', value: '0.0.0.0' } },
  ];
  const deps = new Set(service.dependsOn.map((d) => d.name));
  if (config.dependencies.postgres && deps.has('postgres')) env.push({ name: 'DATABASE_URL', value: { kind: 'databaseUrl' } });
  if (config.dependencies.cache && deps.has('cache')) {
    env.push({ name: 'VALKEY_URL', value: { kind: 'cacheUrl' } }, { name: 'REDIS_URL', value: { kind: 'cacheUrl' } });
  }
  for (const dep of service.dependsOn) {
    if (config.services[dep.name]) env.push({ name: `${envName(dep.name)}_URL`, value: { kind: 'serviceUrl', service: dep.name } });
  }
  env.push(
    { name: 'OTEL_SERVICE_NAME', value: { kind: 'literal', value: service.name } },
    { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: { kind: 'otlpEndpoint' } },
    { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: { kind: 'literal', value: 'http/protobuf' } },
    // Metrics are scraped from GET /metrics; OTLP carries traces only.
    { name: 'OTEL_METRICS_EXPORTER', value: { kind: 'literal', value: 'prometheus' } },
    { name: 'OTEL_SDK_DISABLED', value: { kind: 'otelDisabled' } },
  );
  return env;
}

function mergeEnv(injected: ModelEnvVar[], own: ModelEnvVar[]): ModelEnvVar[] {
  // As in the lab, the service's own environment wins.
  const ownNames = new Set(own.map((v) => v.name));
  return [...injected.filter((v) => !ownNames.has(v.name)), ...own];
}

/** Where a service's metrics are scraped: see ModelService.metricsPath. */
function metricsEndpoint(service: ServiceConfig, containerPort: number): { metricsPath: string | null; metricsPort: number } {
  const exporter = service.environment['OTEL_METRICS_EXPORTER'];
  const off = exporter !== undefined && !exporter.split(',').map((e) => e.trim()).includes('prometheus');
  const port = Number(service.environment['OTEL_EXPORTER_PROMETHEUS_PORT']);
  return { metricsPath: off ? null : '/metrics', metricsPort: Number.isInteger(port) && port > 0 && port < 65536 ? port : containerPort };
}

function serviceModel(service: ServiceConfig, config: LabConfig, project: string, cafeDir: string): ModelService {
  const target = demoTarget(service, cafeDir);
  const containerPort = CONTAINER_PORT;
  const build: ModelBuild = target === null
    ? { context: service.cwd, dockerfile: { kind: 'user', path: 'Dockerfile' }, target: null }
    : { context: cafeDir, dockerfile: { kind: 'generated', path: DEMO_DOCKERFILE }, target };
  const command = target === null ? relativeCommand(service.command, service.cwd) : ['node', `dist/src/${target}/main.js`];
  const hc = service.healthcheck;
  return {
    name: service.name,
    image: `${project}-${service.name}`,
    build,
    command,
    containerPort,
    portEnv: service.portEnv,
    replicas: service.replicas,
    healthPath: hc.kind === 'http' ? hc.path : null,
    healthcheck: { intervalMs: hc.intervalMs, timeoutMs: hc.timeoutMs, retries: hc.retries, startPeriodMs: hc.startPeriodMs },
    publishedPorts: service.ports.map((p) => p.port).filter((p) => p > 0),
    environment: mergeEnv(injectedEnvironment(service, config, containerPort), ownEnvironment(service, config)),
    dependsOn: service.dependsOn.map((d) => ({ name: d.name, condition: d.condition })),
    ...metricsEndpoint(service, containerPort),
    demo: target !== null,
  };
}

function postgresModel(config: LabConfig): ModelPostgres | null {
  const pg = config.dependencies.postgres;
  if (pg === null) return null;
  let database = 'app';
  let user = 'cloudlab';
  if (pg.engine === 'embedded') {
    database = pg.database;
    user = pg.user;
  } else {
    try {
      const url = new URL(pg.url);
      database = decodeURIComponent(url.pathname.replace(/^\//, '')) || database;
      user = decodeURIComponent(url.username) || user;
    } catch {
      // An unparsable external URL keeps the defaults; validation already accepted it.
    }
  }
  return { name: 'postgres', image: POSTGRES_IMAGE, port: 5432, database, user, passwordVariable: POSTGRES_PASSWORD_VARIABLE };
}

function proxiesModel(config: LabConfig, services: readonly ModelService[]): ModelProxy[] {
  const out: ModelProxy[] = [];
  const pg = config.dependencies.postgres;
  if (pg?.proxy) out.push({ name: 'postgres', upstream: 'postgres', upstreamPort: 5432, listenPort: pg.proxy.listen.port || 5432 });
  const cache = config.dependencies.cache;
  if (cache?.proxy) out.push({ name: 'cache', upstream: 'valkey', upstreamPort: 6379, listenPort: cache.proxy.listen.port || 6379 });
  let nextFree = 18081;
  const taken = new Set(out.map((p) => p.listenPort));
  for (const service of services) {
    const proxy = config.services[service.name]?.proxy;
    if (!proxy) continue;
    let port = proxy.listen.port;
    if (port === 0 || taken.has(port)) {
      while (taken.has(nextFree)) nextFree++;
      port = nextFree;
    }
    taken.add(port);
    out.push({ name: service.name, upstream: service.name, upstreamPort: service.containerPort, listenPort: port });
  }
  return out;
}

/**
 * The export model of a validated lab config. Pure: reads no files. Throws
 * LAB_EXPORT_NAME_CLASH when a service is named like a part the export adds.
 */
export function exportModel(config: LabConfig, options: ExportModelOptions = {}): ExportModel {
  assertNoNameClash(config);
  const packageRoot = resolve(options.packageRoot ?? PACKAGE_ROOT);
  const cafeDir = join(packageRoot, 'examples', 'cafe');
  const project = projectName(config.name);
  const services = Object.values(config.services).map((s) => serviceModel(s, config, project, cafeDir));
  return {
    project,
    demo: config.source.file === null,
    services,
    postgres: postgresModel(config),
    cache: config.dependencies.cache === null ? null : { name: 'valkey', image: VALKEY_IMAGE, port: 6379 },
    proxies: proxiesModel(config, services),
    otlpHttpPort: 4318,
    toxiproxyPort: config.toxiproxy.port || 8474,
  };
}

