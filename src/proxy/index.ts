/** The Toxiproxy-compatible fault proxy: public API. */
export { createToxiproxyServer } from './server.js';
export type { ToxiproxyServer, ToxiproxyServerOptions } from './server.js';
export { ProxyCollection } from './collection.js';
export type { Proxy, ProxyJson } from './proxy.js';
export type { Toxic } from './toxic.js';
export { populateFromFile } from './config-file.js';
export { TOXICS } from './toxics/registry.js';
export type { ToxicDefinition, Stream, Attributes } from './toxics/definition.js';
export { TOXIPROXY_API_VERSION } from './api.js';
