/** cloudlab.yaml: schema, loader, defaults and the effective config. Public API. */
export { loadConfig, parseConfig, DEFAULT_FILES } from './load.js';
export type { ParseConfigOptions } from './load.js';
export { formatConfig, toFileShape, MASK } from './format.js';
export { configJsonSchema, configJsonSchemaText, SCHEMA_FILE } from './json-schema.js';
export { DEFAULTS } from './defaults.js';
export { BUILTIN_LABEL } from './builtin.js';
export { parseDuration, formatDuration } from './duration.js';
export type {
  CacheConfig,
  ConfigFormat,
  ConfigOverrides,
  ConfigSource,
  ConsoleConfig,
  DependenciesConfig,
  DependencyCondition,
  EdgeConfig,
  EmbeddedPostgresConfig,
  ExternalCacheConfig,
  ExternalPostgresConfig,
  HealthcheckConfig,
  HealthcheckTimings,
  HubConfig,
  LabConfig,
  ListenAddress,
  LoadConfigOptions,
  LocalCacheConfig,
  LocalCacheEngine,
  PostgresConfig,
  ProxyEntryConfig,
  ProxySettings,
  RestartPolicy,
  ServiceConfig,
  ServiceDependency,
  ToxiproxyConfig,
} from './types.js';
