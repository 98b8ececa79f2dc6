/**
 * The seams between the hub's parts, so that each can be built and tested alone:
 * receivers write into a TelemetrySink; query APIs read through SeriesSource and
 * the stores; the hub (hub.ts) composes them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LogData, MetricData, Sample, SpanData } from './model.js';

/** Where the receivers (OTLP HTTP, OTLP gRPC, the scraper) put what they decoded. */
export interface TelemetrySink {
  addSpans(spans: SpanData[]): void;
  addMetrics(metrics: MetricData[]): void;
  addLogs(logs: LogData[]): void;
  /** Prometheus samples, as the scraper reads them (already named and labelled). */
  addSamples(samples: Sample[]): void;
}

/** Bounds of the in-memory stores. The oldest data goes first; counters say how much. */
export interface StoreLimits {
  maxSeries: number;
  /** Samples kept per series (a ring); with retentionMs, whichever drops first. */
  maxSamplesPerSeries: number;
  maxSpans: number;
  maxLogs: number;
  retentionMs: number;
}

export const DEFAULT_LIMITS: Readonly<StoreLimits> = Object.freeze({
  maxSeries: 50_000,
  maxSamplesPerSeries: 2_000,
  maxSpans: 200_000,
  maxLogs: 200_000,
  retentionMs: 60 * 60 * 1000,
});

/** Milliseconds since the epoch; injected so tests control time. */
export type Clock = () => number;

/** One label matcher of a PromQL selector. */
export interface Matcher {
  name: string;
  type: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** A stored series with its samples inside the asked window, oldest first. */
export interface SeriesData {
  labels: Readonly<Record<string, string>>;
  timestamps: ArrayLike<number>;
  values: ArrayLike<number>;
}

/** What PromQL evaluation and the Prometheus metadata endpoints read. */
export interface SeriesSource {
  /** Series matching every matcher, with samples in [startMs, endMs]. */
  select(matchers: readonly Matcher[], startMs: number, endMs: number): SeriesData[];
  /** Label names of the series matching any of the selectors (all series when none). */
  labelNames(selectors: readonly (readonly Matcher[])[], startMs: number, endMs: number): string[];
  labelValues(name: string, selectors: readonly (readonly Matcher[])[], startMs: number, endMs: number): string[];
}

/**
 * A part of the query API on :9090. Answers the request and returns true when the
 * path is its own; returns false to let the next part try.
 */
export type QueryRoute = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;
