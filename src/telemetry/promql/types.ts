import type { Labels } from '../model.js';

/** A Prometheus value pair: [seconds since the epoch, the value as Prometheus spells it]. */
export type PromValue = [number, string];

export interface VectorSample {
  metric: Labels;
  value: PromValue;
}

export interface MatrixSeries {
  metric: Labels;
  values: PromValue[];
}

export type MatrixResult = { resultType: 'matrix'; result: MatrixSeries[] };

/** The `data` of a Prometheus /api/v1/query or /api/v1/query_range answer. */
export type QueryResult =
  | { resultType: 'vector'; result: VectorSample[] }
  | MatrixResult
  | { resultType: 'scalar'; result: PromValue }
  | { resultType: 'string'; result: PromValue };

export interface QueryOptions {
  /** How far back an instant selector looks for a sample; Prometheus's default is 5 minutes. */
  lookbackDeltaMs?: number;
  /**
   * Whose semantics to follow where Prometheus 2 and 3 differ (default 3):
   * - windows: Prometheus 3 selects samples in the left-open window (t - range, t]
   *   for range selectors and the lookback; Prometheus 2 in the closed [t - range, t];
   * - rate/increase: Prometheus 2 limits the extrapolation to the counter's zero point
   *   before the 1.1 x interval rule, Prometheus 3 after it.
   * Pass 2 to compare with a Prometheus 2.x server (Debian 12 ships 2.42).
   */
  prometheusVersion?: 2 | 3;
  /** The same as `prometheusVersion: 2` when true (its first name; kept for callers that use it). */
  closedWindows?: boolean;
}

export const DEFAULT_LOOKBACK_DELTA_MS = 5 * 60 * 1000;

/** Prometheus refuses range queries with more points than this per series. */
export const MAX_POINTS_PER_SERIES = 11_000;
