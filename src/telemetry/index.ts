/** The OpenTelemetry hub: public API. */
export { createHub } from './hub.js';
export type { Hub, HubOptions, HubAddresses } from './hub.js';
export { DEFAULT_LIMITS } from './contracts.js';
export type { StoreLimits, TelemetrySink, Clock } from './contracts.js';
export type { SpanData, LogData, MetricData, Sample } from './model.js';
export type { ScrapeTargetOptions } from './scrape/index.js';
