/** Test helpers: a store with known samples, and results flattened for comparison. */
import assert from 'node:assert/strict';
import { createMetricStore } from '../../../src/telemetry/metrics/index.js';
import type { MetricStore } from '../../../src/telemetry/metrics/index.js';
import type { Labels } from '../../../src/telemetry/model.js';
import { instantQuery } from '../../../src/telemetry/promql/index.js';
import type { QueryOptions, QueryResult } from '../../../src/telemetry/promql/index.js';

/** [labels, [[seconds, value], ...]] */
export type SeriesSpec = [Labels, [number, number][]];

/** A store whose clock is far after the samples and whose retention keeps them all. */
export function storeOf(series: SeriesSpec[]): MetricStore {
  const store = createMetricStore({ clock: () => 100_000_000, limits: { retentionMs: 1e12 } });
  for (const [labels, points] of series) {
    store.append(points.map(([s, value]) => ({ labels, timeMs: s * 1000, value })));
  }
  return store;
}

/** `{a="1",b="x"}` with names sorted, `__name__` written in front as Prometheus prints it. */
export function show(metric: Labels): string {
  const { __name__: name, ...rest } = metric;
  const body = Object.keys(rest).sort().map((k) => `${k}="${rest[k]}"`).join(',');
  return `${name ?? ''}{${body}}`;
}

/** A vector result as `series => value`, sorted by series. */
export function vectorOf(result: QueryResult): Record<string, string> {
  assert.equal(result.resultType, 'vector', `expected a vector, got ${result.resultType}`);
  const out: Record<string, string> = {};
  if (result.resultType !== 'vector') return out;
  for (const s of [...result.result].sort((a, b) => show(a.metric).localeCompare(show(b.metric)))) out[show(s.metric)] = s.value[1];
  return out;
}

/** Evaluates at `seconds` and flattens a vector result. */
export function evalAt(store: MetricStore, query: string, seconds: number, options?: QueryOptions): Record<string, string> {
  return vectorOf(instantQuery(store, query, seconds * 1000, options));
}

/** Asserts each expected series has a value within 1e-9 relative (or exact for NaN/Inf spellings). */
export function assertValues(actual: Record<string, string>, expected: Record<string, number | string>, context: string): void {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${context}: series`);
  for (const [series, want] of Object.entries(expected)) {
    const got = actual[series]!;
    if (typeof want === 'string') {
      assert.equal(got, want, `${context}: ${series}`);
      continue;
    }
    const diff = Math.abs(Number(got) - want);
    assert.ok(diff <= 1e-9 * Math.max(1, Math.abs(want)), `${context}: ${series} = ${got}, expected ${want}`);
  }
}
