/** The load engine's public API. */
export { runLoad } from './run-load.js';
export type { RunLoadOptions } from './run-load.js';
export type { TransportKind } from './request.js';
export { usersAt, rateAt, totalDurationMs, arrivalTimesMs } from './schedule.js';
export { renderTemplate, compileString, compileValue } from './template.js';
export type { TemplateContext } from './template.js';
export { LatencyHistogram } from './histogram.js';
export type { HistogramBuckets } from './histogram.js';
export { probeTarget } from './probe.js';
