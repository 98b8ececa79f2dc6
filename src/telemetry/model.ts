/**
 * The hub's internal data model: what the OTLP decoders (protobuf and JSON) and the
 * Prometheus scraper produce, and what the stores keep. One shape for both
 * encodings, so the stores never see a wire format.
 *
 * Times are integer microseconds since the Unix epoch (what Jaeger's API speaks,
 * and exact in a double for the next 285 years); metric sample times are
 * milliseconds, as in Prometheus.
 */

export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };
export type Attributes = Record<string, AttributeValue>;

export interface Resource {
  attributes: Attributes;
}

export interface Scope {
  name: string;
  version: string;
}

/** OTLP's span kinds, by their protobuf numbers. */
export const SPAN_KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;
export type SpanKind = (typeof SPAN_KINDS)[number];

/** OTLP's status codes: 0 unset, 1 ok, 2 error. */
export type StatusCode = 'unset' | 'ok' | 'error';

export interface SpanEvent {
  timeUs: number;
  name: string;
  attributes: Attributes;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  attributes: Attributes;
}

export interface SpanData {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** 16 lowercase hex digits. */
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  traceState: string;
  name: string;
  kind: SpanKind;
  startUs: number;
  durationUs: number;
  attributes: Attributes;
  events: SpanEvent[];
  links: SpanLink[];
  status: { code: StatusCode; message: string };
  resource: Resource;
  scope: Scope;
}

export interface LogData {
  /** The record's time, or its observed time when the time is 0. */
  timeUs: number;
  observedUs: number;
  /** OTLP severity number 0-24 (0 unspecified). */
  severityNumber: number;
  severityText: string;
  body: AttributeValue;
  attributes: Attributes;
  /** '' when the record carries none. */
  traceId: string;
  spanId: string;
  resource: Resource;
  scope: Scope;
}

/** A Prometheus-style label set; `__name__` holds the metric name. */
export type Labels = Record<string, string>;

/** One sample of one series, as the metric store receives it. */
export interface Sample {
  labels: Labels;
  timeMs: number;
  value: number;
}

/** Temporality of a sum or histogram, as OTLP numbers it (1 delta, 2 cumulative). */
export type Temporality = 'delta' | 'cumulative';

interface PointBase {
  attributes: Attributes;
  startUs: number;
  timeUs: number;
}

export interface NumberPoint extends PointBase {
  value: number;
}

export interface HistogramPoint extends PointBase {
  count: number;
  sum: number | undefined;
  /** Upper bounds; bucketCounts has one more entry (the +Inf bucket). */
  bounds: number[];
  bucketCounts: number[];
}

export interface ExponentialHistogramPoint extends PointBase {
  count: number;
  sum: number | undefined;
  scale: number;
  zeroCount: number;
  positive: { offset: number; bucketCounts: number[] };
  negative: { offset: number; bucketCounts: number[] };
}

interface MetricBase {
  name: string;
  description: string;
  unit: string;
  resource: Resource;
  scope: Scope;
}

export type MetricData =
  | (MetricBase & { type: 'gauge'; points: NumberPoint[] })
  | (MetricBase & { type: 'sum'; temporality: Temporality; monotonic: boolean; points: NumberPoint[] })
  | (MetricBase & { type: 'histogram'; temporality: Temporality; points: HistogramPoint[] })
  | (MetricBase & { type: 'exponential_histogram'; temporality: Temporality; points: ExponentialHistogramPoint[] })
  | (MetricBase & { type: 'summary'; points: (PointBase & { count: number; sum: number; quantiles: { quantile: number; value: number }[] })[] });

/** What a decoder hands back: the records, and how many it refused (OTLP partial success). */
export interface Decoded<T> {
  items: T[];
  rejected: number;
  /** Why items were refused, for the partial-success `error_message`. */
  errors: string[];
}
