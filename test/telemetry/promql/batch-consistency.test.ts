/**
 * A range query evaluates selectors, range functions and aggregations series by
 * series (batch.ts); an instant query evaluates one step. Both must agree exactly:
 * a range query's points are the instant query's answers at each step.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createMetricStore } from '../../../src/telemetry/metrics/index.js';
import { instantQuery, rangeQuery } from '../../../src/telemetry/promql/index.js';
import type { QueryResult } from '../../../src/telemetry/promql/index.js';
import { show } from './helpers.js';

const QUERIES = [
  'x',
  'x offset 20s',
  'rate(x[1m])',
  'increase(x[45s])',
  'delta(x[1m])',
  'irate(x[1m])',
  'idelta(x[30s])',
  'deriv(x[1m])',
  'predict_linear(x[1m], 60)',
  'avg_over_time(x[1m])',
  'min_over_time(x[1m])',
  'max_over_time(x[1m] offset 15s)',
  'sum_over_time(x[1m])',
  'count_over_time(x[1m])',
  'last_over_time(x[1m])',
  'quantile_over_time(0.3, x[1m])',
  'stddev_over_time(x[1m])',
  'changes(x[1m])',
  'resets(x[1m])',
  'sum by (g) (rate(x[1m]))',
  'avg without (i) (x)',
  'max(x)',
  'min by (g) (x)',
  'count(rate(x[1m]))',
  'stddev by (g) (x)',
  'group(x)',
  'histogram_quantile(0.9, sum by (le) (rate(x[1m])))',
  'histogram_quantile(0.5, x)',
  'sum(rate(x[1m])) / sum(x)',
  'topk(2, x)',
  'rate(x[1m]) > 0.5',
  'x > bool 1',
  'sum(x) by (g)',
  'abs(delta(x[1m]))',
  'clamp_max(x, 3) - clamp_min(x, 1)',
  'vector(1) + sum(x)',
  'x * on(g) group_left sum by (g) (x)',
  'label_replace(rate(x[1m]), "z", "$1", "g", "(.*)")',
  'quantile_over_time(scalar(count(x)) / 10, x[1m])',
  'count_values("v", x)',
  '-x',
  'sort_desc(x)',
  'timestamp(x)',
  'absent(x{g="c"})',
];

function points(result: QueryResult): Map<string, string> {
  const out = new Map<string, string>();
  if (result.resultType === 'vector') for (const s of result.result) out.set(`${show(s.metric)}@${s.value[0]}`, s.value[1]);
  if (result.resultType === 'matrix') for (const s of result.result) for (const [t, v] of s.values) out.set(`${show(s.metric)}@${t}`, v);
  return out;
}

const sample = fc.record({
  g: fc.constantFrom('a', 'b'),
  i: fc.constantFrom('1', '2', '3'),
  le: fc.constantFrom('0.5', '1', '+Inf'),
  t: fc.integer({ min: 0, max: 40 }),
  v: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.double({ min: -5, max: 5, noNaN: true })),
});

test('range queries agree with instant queries at every step', () => {
  fc.assert(
    fc.property(fc.array(sample, { maxLength: 120 }), fc.constantFrom(...QUERIES), fc.integer({ min: 1, max: 4 }), fc.constantFrom(2 as const, 3 as const), (samples, query, stepUnits, prometheusVersion) => {
      const store = createMetricStore({ clock: () => 1e9, limits: { retentionMs: 1e12 } });
      // Times are multiples of 5 s so that windows often start or end exactly on a sample.
      const sorted = [...samples].sort((a, b) => a.t - b.t);
      store.append(sorted.map((s) => ({ labels: { __name__: 'x', g: s.g, i: s.i, le: s.le }, timeMs: s.t * 5000, value: s.v })));
      const step = stepUnits * 5000;
      const range = points(rangeQuery(store, query, 0, 200_000, step, { prometheusVersion }));
      const instant = new Map<string, string>();
      for (let t = 0; t <= 200_000; t += step) for (const [k, v] of points(instantQuery(store, query, t, { prometheusVersion }))) instant.set(k, v);
      assert.deepEqual(range, instant);
    }),
    { numRuns: 300 },
  );
});
