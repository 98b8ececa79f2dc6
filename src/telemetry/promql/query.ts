/** The public entry points: instant and range queries, with results in Prometheus's shapes. */
import { LabError } from '../../errors.js';
import type { SeriesSource } from '../contracts.js';
import { typeOf } from './ast.js';
import { Evaluator } from './evaluator.js';
import { formatValue } from './format.js';
import { parseQuery } from './parse.js';
import type { MatrixResult, MatrixSeries, PromValue, QueryOptions, QueryResult } from './types.js';
import { DEFAULT_LOOKBACK_DELTA_MS, MAX_POINTS_PER_SERIES } from './types.js';
import type { SeriesRef } from './values.js';
import { compareLabels } from './values.js';

function checkTime(name: string, value: number): void {
  if (!Number.isFinite(value)) {
    throw new LabError('LAB_PROMQL_BAD_QUERY', `${name} must be a finite number of milliseconds, received ${String(value)}`);
  }
}

function evaluatorOptions(options: QueryOptions, startMs: number, endMs: number, stepMs = 1) {
  const lookbackDeltaMs = options.lookbackDeltaMs ?? DEFAULT_LOOKBACK_DELTA_MS;
  if (!(lookbackDeltaMs > 0)) {
    throw new LabError('LAB_PROMQL_BAD_QUERY', `lookbackDeltaMs must be a positive number, received ${String(lookbackDeltaMs)}`);
  }
  const version = options.prometheusVersion ?? (options.closedWindows ? 2 : 3);
  if (version !== 2 && version !== 3) {
    throw new LabError('LAB_PROMQL_BAD_QUERY', `prometheusVersion must be 2 or 3, received ${String(version)}`);
  }
  return { startMs, endMs, stepMs, lookbackDeltaMs, prometheus2: version === 2 };
}

function pair(timeMs: number, value: number): PromValue {
  return [timeMs / 1000, formatValue(value)];
}

/**
 * Evaluates `query` at `timeMs` (Prometheus's /api/v1/query). A top-level range
 * selector answers a matrix of the raw samples in its window.
 */
export function instantQuery(source: SeriesSource, query: string, timeMs: number, options: QueryOptions = {}): QueryResult {
  checkTime('time', timeMs);
  const expr = parseQuery(query);
  const ev = new Evaluator(source, evaluatorOptions(options, timeMs, timeMs));
  const value = ev.eval(expr, timeMs);
  switch (value.type) {
    case 'scalar': return { resultType: 'scalar', result: pair(timeMs, value.v) };
    case 'string': return { resultType: 'string', result: [timeMs / 1000, value.s] };
    case 'vector':
      return {
        resultType: 'vector',
        result: value.samples.map((s) => ({ metric: { ...s.ref.labels }, value: pair(timeMs, s.v) })),
      };
    case 'matrix': {
      const result: MatrixSeries[] = value.windows.map((w) => {
        const values: PromValue[] = [];
        for (let i = w.lo; i < w.hi; i++) values.push(pair(w.ts[i]!, w.vs[i]!));
        return { metric: { ...w.ref.labels }, values };
      });
      result.sort((a, b) => compareLabels(a.metric, b.metric));
      return { resultType: 'matrix', result };
    }
  }
}

/**
 * Evaluates `query` at every step from startMs to endMs inclusive (Prometheus's
 * /api/v1/query_range). The expression must be a scalar or an instant vector;
 * series come sorted by their labels, as Prometheus sorts them.
 */
export function rangeQuery(source: SeriesSource, query: string, startMs: number, endMs: number, stepMs: number, options: QueryOptions = {}): MatrixResult {
  checkTime('start', startMs);
  checkTime('end', endMs);
  if (endMs < startMs) throw new LabError('LAB_PROMQL_BAD_QUERY', 'end timestamp must not be before start time');
  if (!(stepMs > 0) || !Number.isFinite(stepMs)) {
    throw new LabError('LAB_PROMQL_BAD_QUERY', 'zero or negative query resolution step widths are not accepted. Try a positive integer');
  }
  if ((endMs - startMs) / stepMs > MAX_POINTS_PER_SERIES) {
    throw new LabError('LAB_PROMQL_BAD_QUERY', `exceeded maximum resolution of ${MAX_POINTS_PER_SERIES} points per timeseries. Try decreasing the query resolution (?step=XX)`);
  }
  const expr = parseQuery(query);
  const type = typeOf(expr);
  if (type !== 'scalar' && type !== 'vector') {
    const name = type === 'matrix' ? 'range vector' : 'string';
    throw new LabError('LAB_PROMQL_BAD_QUERY', `invalid expression type "${name}" for range query, must be Scalar or instant Vector`);
  }
  const ev = new Evaluator(source, evaluatorOptions(options, startMs, endMs, stepMs));
  // Indexed by SeriesRef.id; insertion order kept in `order`.
  const series: ({ ref: SeriesRef; values: PromValue[]; lastMs: number } | undefined)[] = [];
  const order: { ref: SeriesRef; values: PromValue[]; lastMs: number }[] = [];
  const scalarRef = ev.interner.intern({});
  for (let t = startMs; t <= endMs; t += stepMs) {
    const value = ev.eval(expr, t);
    const samples = value.type === 'scalar' ? [{ ref: scalarRef, v: value.v }] : value.type === 'vector' ? value.samples : [];
    for (const s of samples) {
      let entry = series[s.ref.id];
      if (!entry) {
        entry = { ref: s.ref, values: [], lastMs: NaN };
        series[s.ref.id] = entry;
        order.push(entry);
      } else if (entry.lastMs === t) {
        throw new LabError('LAB_PROMQL_EXECUTION', `vector cannot contain metrics with the same labelset: ${JSON.stringify(s.ref.labels)}`);
      }
      entry.lastMs = t;
      entry.values.push(pair(t, s.v));
    }
  }
  const result: MatrixSeries[] = order.map((e) => ({ metric: { ...e.ref.labels }, values: e.values }));
  result.sort((a, b) => compareLabels(a.metric, b.metric));
  return { resultType: 'matrix', result };
}
