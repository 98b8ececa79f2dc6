/**
 * The effective lab configuration: every default applied, durations in milliseconds,
 * paths absolute. `loadConfig()` returns it deep-frozen.
 */

/** A listening address: `port` 0 means a free port chosen at start. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** A fault proxy in front of a dependency or a service. */
export interface ProxySettings {
  readonly listen: ListenAddress;
}

export interface EmbeddedPostgresConfig {
  readonly engine: 'embedded';
  readonly database: string;
  readonly user: string;
  readonly password: string;
  /** The engine's own port, behind the proxy; 0 = a free port. */
  readonly port: number;
  /** null when `proxy: false`. */
  readonly proxy: ProxySettings | null;
}

export interface ExternalPostgresConfig {
  readonly engine: 'external';
  readonly url: string;
  readonly proxy: ProxySettings | null;
}

export type PostgresConfig = EmbeddedPostgresConfig | ExternalPostgresConfig;

export type LocalCacheEngine = 'auto' | 'valkey' | 'redis' | 'builtin';

export interface LocalCacheConfig {
  /** auto: valkey-server, else redis-server on PATH, else the built-in RESP cache. */
  readonly engine: LocalCacheEngine;
  readonly port: number;
  readonly proxy: ProxySettings | null;
}

export interface ExternalCacheConfig {
  readonly engine: 'external';
  readonly url: string;
  readonly proxy: ProxySettings | null;
}

export type CacheConfig = LocalCacheConfig | ExternalCacheConfig;

export interface DependenciesConfig {
  /** null when the file declares no database. */
  readonly postgres: PostgresConfig | null;
  /** null when the file declares no cache. */
  readonly cache: CacheConfig | null;
}

export interface HealthcheckTimings {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Consecutive failures that make a replica unhealthy. */
  readonly retries: number;
  /** Failures in this time after a start do not count. */
  readonly startPeriodMs: number;
}

export type HealthcheckConfig =
  | (HealthcheckTimings & { readonly kind: 'http'; readonly path: string })
  | (HealthcheckTimings & { readonly kind: 'tcp' })
  | (HealthcheckTimings & { readonly kind: 'none' });

export type RestartPolicy = 'no' | 'always' | 'on-failure' | 'unless-stopped';

export type DependencyCondition = 'service_healthy' | 'service_started';

export interface ServiceDependency {
  /** A service name, or "postgres" / "cache". */
  readonly name: string;
  readonly condition: DependencyCondition;
}

export interface ServiceConfig {
  readonly name: string;
  /** Program and arguments, run without a shell. */
  readonly command: readonly string[];
  /** Absolute working directory. */
  readonly cwd: string;
  readonly replicas: number;
  /** Variables set for every replica (after interpolation), all strings. */
  readonly environment: Readonly<Record<string, string>>;
  /** The variable that receives each replica's port. */
  readonly portEnv: string;
  readonly healthcheck: HealthcheckConfig;
  readonly restart: RestartPolicy;
  readonly dependsOn: readonly ServiceDependency[];
  /** Published through the edge load balancer. */
  readonly ports: readonly ListenAddress[];
  /** A fault proxy named after the service in front of its replicas; null for none. */
  readonly proxy: ProxySettings | null;
}

/** An extra fault proxy, as an entry of toxiproxy.json. */
export interface ProxyEntryConfig {
  readonly name: string;
  readonly listen: ListenAddress;
  /** "host:port". */
  readonly upstream: string;
  readonly enabled: boolean;
}

export interface HubConfig {
  readonly otlpGrpcPort: number;
  readonly otlpHttpPort: number;
  readonly queryPort: number;
  readonly scrapeIntervalMs: number;
  readonly retentionMs: number;
  readonly maxSeries: number;
  readonly maxSpans: number;
  readonly maxLogs: number;
}

export interface ToxiproxyConfig {
  /** The proxy admin API. */
  readonly port: number;
}

export interface ConsoleConfig {
  /** The console and its control API. */
  readonly port: number;
}

export interface EdgeConfig {
  readonly healthIntervalMs: number;
  readonly healthTimeoutMs: number;
}

export interface ConfigSource {
  /** Absolute path of the file read; null for the built-in cafe demo. */
  readonly file: string | null;
}

export interface LabConfig {
  readonly name: string;
  readonly source: ConfigSource;
  /** Absolute directory of the config file (the working directory for the built-in demo). */
  readonly dir: string;
  /** Absolute directory where the lab keeps everything. */
  readonly stateDir: string;
  /** Bind address of every listener that does not name its own host. */
  readonly host: string;
  readonly dependencies: DependenciesConfig;
  /** By name, in the file's order. */
  readonly services: Readonly<Record<string, ServiceConfig>>;
  readonly proxies: readonly ProxyEntryConfig[];
  readonly hub: HubConfig;
  readonly toxiproxy: ToxiproxyConfig;
  readonly console: ConsoleConfig;
  readonly edge: EdgeConfig;
  /** Reserved for the load generator and drills. */
  readonly scenarios: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface ConfigOverrides {
  /** Sets every public listen port (proxies, edge, hub, toxiproxy, console) to 0. */
  freePorts?: boolean;
}

export interface LoadConfigOptions {
  /** Where `cloudlab.yaml` is looked for, and what a relative `file` is relative to. */
  cwd: string;
  /** A config file; when left out, cloudlab.yaml then cloudlab.yml in cwd, else the built-in cafe demo. */
  file?: string;
  /** Variables for `${VAR}` interpolation (default process.env). */
  env?: NodeJS.ProcessEnv;
  overrides?: ConfigOverrides;
}

export type ConfigFormat = 'yaml' | 'json';
