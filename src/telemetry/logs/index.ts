/** The log store: public API. */
export { LogStore, DEFAULT_LOG_SEARCH_LIMIT } from './log-store.js';
export type { LogStoreOptions, LogQuery, LogSearchResult, LogStoreStats, LogListener } from './log-store.js';
export type { LogFilter } from './log-filter.js';
export { effectiveSeverity, severityFromText, severityName } from './severity.js';
