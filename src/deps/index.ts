/** Dependencies of the lab (the database and the cache): how to launch each, or an external URL. */
export type { Launch, Readiness } from './launch.js';
export { preparePostgres } from './postgres.js';
export type { PreparePostgresOptions, PreparedPostgres } from './postgres.js';
export { prepareCache } from './cache.js';
export type { PrepareCacheOptions, PreparedCache, CacheEngine, CacheEngineChoice } from './cache.js';
export { externalPostgres, externalCache } from './external.js';
export type { ExternalDependency } from './external.js';
export { createRespServer } from './resp/server.js';
export type { RespServer, RespServerOptions } from './resp/server.js';
