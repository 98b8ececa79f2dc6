/** The trace store: public API. */
export { TraceStore, DEFAULT_TRACE_SEARCH_LIMIT } from './trace-store.js';
export type { TraceStoreOptions, TraceQuery, StoredTrace, Operation, TraceStoreStats } from './trace-store.js';
export { RecordInterner, StringInterner } from './intern.js';
export { NO_SERVICE_NAME, serviceOf, spanHasTag, tagString } from './span-tags.js';
