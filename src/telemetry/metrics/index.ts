/**
 * The hub's metric store and the OTLP-to-Prometheus mapping that feeds it.
 * The store implements SeriesSource, so PromQL (../promql) and the Prometheus
 * HTTP API read it directly.
 */
export { MetricStore, createMetricStore } from './metric-store.js';
export type { MetricStoreOptions, MetricStoreStats } from './metric-store.js';
export { OtlpTranslator, createOtlpTranslator, otlpToPrometheus, attributeLabels, attributeString, jobAndInstance } from './otlp-to-prometheus.js';
export type { OtlpTranslatorOptions, OtlpTranslatorStats } from './otlp-to-prometheus.js';
export { prometheusMetricName, prometheusLabelName, formatGoFloat } from './prom-names.js';
export type { PromKind } from './prom-names.js';
export { classicBuckets, bucketEdge } from './exponential-buckets.js';
export type { ClassicBucket } from './exponential-buckets.js';
