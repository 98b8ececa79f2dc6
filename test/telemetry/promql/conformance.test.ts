/**
 * PromQL conformance: each supported function and operator over known samples,
 * with results worked out by hand (arithmetic in the comments). Windows follow
 * Prometheus 3: a range selector at time t holds samples in (t - range, t]; an
 * instant selector takes the latest sample in (t - 5m, t].
 */
import { test } from 'node:test';
import { assertValues, evalAt, storeOf } from './helpers.js';
import type { SeriesSpec } from './helpers.js';
import type { QueryOptions } from '../../../src/telemetry/promql/index.js';

const every10s = (values: number[], from = 10): [number, number][] => values.map((v, i) => [from + i * 10, v]);

const SERIES: SeriesSpec[] = [
  // Counters, samples every 10 s.
  [{ __name__: 'c', case: 'steady' }, every10s([10, 20, 30, 40, 50, 60])],
  [{ __name__: 'c', case: 'reset' }, every10s([5, 10, 2, 4, 6, 8])],
  [{ __name__: 'c', case: 'zero' }, every10s([1, 11, 21, 31, 41, 51])],
  [{ __name__: 'c', case: 'ends' }, every10s([10, 20, 30])],
  [{ __name__: 'c', case: 'late' }, every10s([3, 4, 5, 6], 30)],
  [{ __name__: 'c', case: 'late2' }, every10s([1, 2, 3, 4], 30)],
  [{ __name__: 'c', case: 'single' }, [[60, 7]]],
  // A gauge.
  [{ __name__: 'g', job: 'j' }, every10s([5, 3, 8, 2, 6, 4])],
  // Instant values at t = 100 s for aggregation and operators.
  [{ __name__: 'm', a: '1', b: 'x' }, [[100, 1]]],
  [{ __name__: 'm', a: '2', b: 'x' }, [[100, 2]]],
  [{ __name__: 'm', a: '3', b: 'y' }, [[100, 6]]],
  [{ __name__: 'n', a: '1' }, [[100, 10]]],
  [{ __name__: 'n', a: '2' }, [[100, 20]]],
  [{ __name__: 'k', a: '1', c: 'z' }, [[100, 2]]],
  [{ __name__: 'r', v: 'pos' }, [[100, 2.5]]],
  [{ __name__: 'r', v: 'neg' }, [[100, -2.5]]],
  [{ __name__: 'r', v: 'frac' }, [[100, 1.26]]],
  // A classic histogram (cumulative bucket counts) at t = 100 s.
  ...([['0.1', 10], ['0.5', 30], ['1', 40], ['+Inf', 50]] as const).map(([le, v]): SeriesSpec => [{ __name__: 'h_bucket', job: 'j', le }, [[100, v]]]),
  // Edge-case histograms.
  ...([['0.1', 10], ['0.5', 8], ['+Inf', 20]] as const).map(([le, v]): SeriesSpec => [{ __name__: 'hm_bucket', le }, [[100, v]]]),
  ...([['-1', 5], ['+Inf', 10]] as const).map(([le, v]): SeriesSpec => [{ __name__: 'hneg_bucket', le }, [[100, v]]]),
  ...([['0.1', 3], ['0.5', 5]] as const).map(([le, v]): SeriesSpec => [{ __name__: 'hnoinf_bucket', le }, [[100, v]]]),
  ...([['1', 0], ['+Inf', 0]] as const).map(([le, v]): SeriesSpec => [{ __name__: 'hzero_bucket', le }, [[100, v]]]),
];

interface Case {
  query: string;
  at: number;
  expected: Record<string, number | string>;
  options?: QueryOptions;
}

const CASES: Case[] = [
  // --- rate / increase: window (0, 60] holds the samples at 10..60 s.
  // steady: 10 -> 60, sampled interval 50 s over 5 intervals (avg 10 s, threshold 11 s).
  // durationToStart = 10 - 0 = 10 s < 11 s: extrapolate to the start; zero point is
  // 50 * (10 / 50) = 10 s away, not closer. durationToEnd = 0.
  // increase = 50 * (50 + 10 + 0) / 50 = 60; rate = 60 / 60 s = 1.
  { query: 'increase(c{case="steady"}[1m])', at: 60, expected: { '{case="steady"}': 60 } },
  { query: 'rate(c{case="steady"}[1m])', at: 60, expected: { '{case="steady"}': 1 } },
  // reset: 5,10,2,4,6,8: last - first = 3, plus 10 for the drop 10 -> 2 = 13.
  // zero point 50 * 5/13 = 19.2 s > 10 s; increase = 13 * 60/50 = 15.6; rate = 0.26.
  { query: 'increase(c{case="reset"}[1m])', at: 60, expected: { '{case="reset"}': 15.6 } },
  { query: 'rate(c{case="reset"}[1m])', at: 60, expected: { '{case="reset"}': 0.26 } },
  // zero clamp: 1 -> 51 (50 up); the counter was 0 at 50 * 1/50 = 1 s before the first
  // sample, closer than the 10 s to the window start: increase = 50 * (50 + 1) / 50 = 51.
  { query: 'increase(c{case="zero"}[1m])', at: 60, expected: { '{case="zero"}': 51 } },
  { query: 'rate(c{case="zero"}[1m])', at: 60, expected: { '{case="zero"}': 0.85 } },
  // ends early: 10,20,30 at 10..30 s. avg 10 s; start gap 10 s < 11 s: full; end gap
  // 30 s >= 11 s: only half an interval (5 s). increase = 20 * (20 + 10 + 5) / 20 = 35.
  { query: 'increase(c{case="ends"}[1m])', at: 60, expected: { '{case="ends"}': 35 } },
  { query: 'rate(c{case="ends"}[1m])', at: 60, expected: { '{case="ends"}': 35 / 60 } },
  // starts late: 3..6 at 30..60 s; start gap 30 s >= 11 s -> 5 s; zero point 30 * 3/3 = 30 s.
  // increase = 3 * (30 + 5 + 0) / 30 = 3.5.
  { query: 'increase(c{case="late"}[1m])', at: 60, expected: { '{case="late"}': 3.5 } },
  // late2: 1..4 at 30..60 s: start gap 30 s >= 11 s; zero point 30 * 1/3 = 10 s.
  // Prometheus 3: the rule first (5 s), then min(5, 10) = 5 s: increase = 3 * 35/30 = 3.5.
  // Prometheus 2: the zero point first (10 s < 30 s), then 10 s < 11 s stays: 3 * 40/30 = 4.
  { query: 'increase(c{case="late2"}[1m])', at: 60, expected: { '{case="late2"}': 3.5 } },
  { query: 'increase(c{case="late2"}[1m])', at: 60, expected: { '{case="late2"}': 4 }, options: { prometheusVersion: 2 } },
  // One sample: no rate.
  { query: 'rate(c{case="single"}[1m])', at: 60, expected: {} },
  // delta (no reset handling, no zero clamp): g 5,3,8,2,6,4: 4 - 5 = -1, * 60/50 = -1.2.
  { query: 'delta(g[1m])', at: 60, expected: { '{job="j"}': -1.2 } },
  // irate / idelta: the last two samples.
  { query: 'irate(c{case="reset"}[1m])', at: 60, expected: { '{case="reset"}': 0.2 } }, // (8 - 6) / 10 s
  { query: 'irate(c{case="reset"}[1m])', at: 30, expected: { '{case="reset"}': 0.2 } }, // reset 10 -> 2: 2 / 10 s
  { query: 'idelta(g[1m])', at: 60, expected: { '{job="j"}': -2 } }, // 4 - 6
  // deriv: least squares slope of 10,20,...,60 over 10..60 s = 1 per second.
  { query: 'deriv(c{case="steady"}[1m])', at: 60, expected: { '{case="steady"}': 1 } },
  // predict_linear: the fit is v = t (seconds) - 0; at t = 60 + 30 s it is 90.
  { query: 'predict_linear(c{case="steady"}[1m], 30)', at: 60, expected: { '{case="steady"}': 90 } },
  // --- *_over_time on g: 5,3,8,2,6,4.
  { query: 'avg_over_time(g[1m])', at: 60, expected: { '{job="j"}': 28 / 6 } },
  { query: 'min_over_time(g[1m])', at: 60, expected: { '{job="j"}': 2 } },
  { query: 'max_over_time(g[1m])', at: 60, expected: { '{job="j"}': 8 } },
  { query: 'sum_over_time(g[1m])', at: 60, expected: { '{job="j"}': 28 } },
  { query: 'count_over_time(g[1m])', at: 60, expected: { '{job="j"}': 6 } },
  { query: 'last_over_time(g[1m])', at: 60, expected: { 'g{job="j"}': 4 } }, // keeps the name
  { query: 'first_over_time(g[1m])', at: 60, expected: { 'g{job="j"}': 5 } },
  // sorted 2,3,4,5,6,8: rank 0.5 * 5 = 2.5 -> halfway between 4 and 5.
  { query: 'quantile_over_time(0.5, g[1m])', at: 60, expected: { '{job="j"}': 4.5 } },
  // mean 14/3; squared deviations sum to 70/3; variance 70/18.
  { query: 'stdvar_over_time(g[1m])', at: 60, expected: { '{job="j"}': 70 / 18 } },
  { query: 'stddev_over_time(g[1m])', at: 60, expected: { '{job="j"}': Math.sqrt(70 / 18) } },
  { query: 'present_over_time(g[1m])', at: 60, expected: { '{job="j"}': 1 } },
  { query: 'changes(g[1m])', at: 60, expected: { '{job="j"}': 5 } },
  { query: 'resets(g[1m])', at: 60, expected: { '{job="j"}': 3 } }, // 5>3, 8>2, 6>4
  // --- windows: at 70 s, (10, 70] leaves out the sample at 10 s; Prometheus 2's closed window keeps it.
  { query: 'count_over_time(g[1m])', at: 70, expected: { '{job="j"}': 5 } },
  { query: 'count_over_time(g[1m])', at: 70, expected: { '{job="j"}': 6 }, options: { prometheusVersion: 2 } },
  // Lookback: the last sample of g is at 60 s; (t - 5m, t] holds it until t = 359 s.
  { query: 'g', at: 359, expected: { 'g{job="j"}': 4 } },
  { query: 'g', at: 360, expected: {} },
  { query: 'g', at: 360, expected: { 'g{job="j"}': 4 }, options: { prometheusVersion: 2 } },
  { query: 'g', at: 60, expected: { 'g{job="j"}': 4 }, options: { lookbackDeltaMs: 1000 } },
  { query: 'g', at: 65, expected: {}, options: { lookbackDeltaMs: 1000 } },
  // offset: g offset 20s at 60 s reads the sample at 40 s.
  { query: 'g offset 20s', at: 60, expected: { 'g{job="j"}': 2 } },
  { query: 'sum_over_time(g[20s] offset 20s)', at: 60, expected: { '{job="j"}': 10 } }, // (20, 40]: 8 + 2
  // --- matchers.
  { query: 'c{case=~"st.*"}', at: 60, expected: { 'c{case="steady"}': 60 } },
  { query: 'c{case=~"st"}', at: 60, expected: {} }, // anchored
  { query: 'c{case!~"s.*|r.*|z.*|e.*|late2"}', at: 60, expected: { 'c{case="late"}': 6 } },
  { query: 'c{case!="steady",case!="reset",case!="zero"}', at: 60, expected: { 'c{case="ends"}': 30, 'c{case="late"}': 6, 'c{case="late2"}': 4, 'c{case="single"}': 7 } },
  { query: '{__name__="m",b="y"}', at: 100, expected: { 'm{a="3",b="y"}': 6 } },
  { query: 'm{missing=""}', at: 100, expected: { 'm{a="1",b="x"}': 1, 'm{a="2",b="x"}': 2, 'm{a="3",b="y"}': 6 } },
  // --- aggregations over m = {1, 2, 6}.
  { query: 'sum(m)', at: 100, expected: { '{}': 9 } },
  { query: 'sum by (b) (m)', at: 100, expected: { '{b="x"}': 3, '{b="y"}': 6 } },
  { query: 'sum without (a) (m)', at: 100, expected: { '{b="x"}': 3, '{b="y"}': 6 } },
  { query: 'avg(m)', at: 100, expected: { '{}': 3 } },
  { query: 'min(m)', at: 100, expected: { '{}': 1 } },
  { query: 'max by (b) (m)', at: 100, expected: { '{b="x"}': 2, '{b="y"}': 6 } },
  { query: 'count(m)', at: 100, expected: { '{}': 3 } },
  { query: 'group by (b) (m)', at: 100, expected: { '{b="x"}': 1, '{b="y"}': 1 } },
  { query: 'stdvar(m)', at: 100, expected: { '{}': 14 / 3 } }, // deviations from 3: 4 + 1 + 9
  { query: 'stddev(m)', at: 100, expected: { '{}': Math.sqrt(14 / 3) } },
  { query: 'quantile(0.5, m)', at: 100, expected: { '{}': 2 } },
  { query: 'topk(1, m)', at: 100, expected: { 'm{a="3",b="y"}': 6 } }, // keeps the series' labels
  { query: 'bottomk(2, m)', at: 100, expected: { 'm{a="1",b="x"}': 1, 'm{a="2",b="x"}': 2 } },
  { query: 'topk by (b) (1, m)', at: 100, expected: { 'm{a="2",b="x"}': 2, 'm{a="3",b="y"}': 6 } },
  { query: 'count_values("value", m)', at: 100, expected: { '{value="1"}': 1, '{value="2"}': 1, '{value="6"}': 1 } },
  // --- arithmetic and comparison.
  { query: 'm + 1', at: 100, expected: { '{a="1",b="x"}': 2, '{a="2",b="x"}': 3, '{a="3",b="y"}': 7 } },
  { query: '2 * m{a="3"}', at: 100, expected: { '{a="3",b="y"}': 12 } },
  { query: 'm{a="3"} / 4', at: 100, expected: { '{a="3",b="y"}': 1.5 } },
  { query: 'm{a="3"} % 4', at: 100, expected: { '{a="3",b="y"}': 2 } },
  { query: 'm{a="3"} ^ 2', at: 100, expected: { '{a="3",b="y"}': 36 } },
  { query: '-m{a="3"}', at: 100, expected: { '{a="3",b="y"}': -6 } },
  { query: 'm > 1', at: 100, expected: { 'm{a="2",b="x"}': 2, 'm{a="3",b="y"}': 6 } }, // a filter keeps the name
  { query: 'm == bool 2', at: 100, expected: { '{a="1",b="x"}': 0, '{a="2",b="x"}': 1, '{a="3",b="y"}': 0 } },
  { query: '3 > m', at: 100, expected: { 'm{a="1",b="x"}': 1, 'm{a="2",b="x"}': 2 } }, // the vector's value is kept
  { query: 'm / on(a) n', at: 100, expected: { '{a="1"}': 0.1, '{a="2"}': 0.1 } },
  { query: 'n - ignoring(b) m', at: 100, expected: { '{a="1"}': 9, '{a="2"}': 18 } },
  { query: 'm != on(a) n', at: 100, expected: { '{a="1"}': 1, '{a="2"}': 2 } },
  { query: 'm < bool on(a) n', at: 100, expected: { '{a="1"}': 1, '{a="2"}': 1 } },
  { query: 'm * on(a) group_left(c) k', at: 100, expected: { '{a="1",b="x",c="z"}': 2 } },
  { query: 'k * on(a) group_right(c) m', at: 100, expected: { '{a="1",b="x",c="z"}': 2 } },
  { query: 'm and on(a) n', at: 100, expected: { 'm{a="1",b="x"}': 1, 'm{a="2",b="x"}': 2 } },
  { query: 'm unless on(a) n', at: 100, expected: { 'm{a="3",b="y"}': 6 } },
  { query: 'n or on(a) m', at: 100, expected: { 'n{a="1"}': 10, 'n{a="2"}': 20, 'm{a="3",b="y"}': 6 } },
  // --- functions of instant vectors.
  { query: 'abs(-m{a="1"})', at: 100, expected: { '{a="1",b="x"}': 1 } },
  { query: 'clamp_min(m, 2)', at: 100, expected: { '{a="1",b="x"}': 2, '{a="2",b="x"}': 2, '{a="3",b="y"}': 6 } },
  { query: 'clamp_max(m, 2)', at: 100, expected: { '{a="1",b="x"}': 1, '{a="2",b="x"}': 2, '{a="3",b="y"}': 2 } },
  { query: 'clamp(m, 2, 5)', at: 100, expected: { '{a="1",b="x"}': 2, '{a="2",b="x"}': 2, '{a="3",b="y"}': 5 } },
  { query: 'clamp(m, 5, 2)', at: 100, expected: {} }, // min > max: empty
  // round: floor(x + 0.5), so ties go up: 2.5 -> 3, -2.5 -> -2; to 0.1: floor(12.6 + 0.5) / 10 = 1.3.
  { query: 'round(r)', at: 100, expected: { '{v="pos"}': 3, '{v="neg"}': -2, '{v="frac"}': 1 } },
  { query: 'round(r{v="frac"}, 0.1)', at: 100, expected: { '{v="frac"}': 1.3 } },
  { query: 'ceil(r{v="frac"})', at: 100, expected: { '{v="frac"}': 2 } },
  { query: 'floor(r{v="neg"})', at: 100, expected: { '{v="neg"}': -3 } },
  { query: 'sqrt(m{a="3"} * 6)', at: 100, expected: { '{a="3",b="y"}': 6 } },
  { query: 'vector(7)', at: 100, expected: { '{}': 7 } },
  { query: 'vector(time())', at: 100, expected: { '{}': 100 } },
  { query: 'm{a="1"} + scalar(m{a="3"})', at: 100, expected: { '{a="1",b="x"}': 7 } },
  { query: 'vector(scalar(m))', at: 100, expected: { '{}': 'NaN' } }, // more than one element
  { query: 'timestamp(g)', at: 65, expected: { '{job="j"}': 60 } }, // the sample's time, not 65
  { query: 'absent(nothing{job="x"})', at: 100, expected: { '{job="x"}': 1 } },
  { query: 'absent(m)', at: 100, expected: {} },
  { query: 'absent_over_time(nothing{job="x"}[1m])', at: 100, expected: { '{job="x"}': 1 } },
  { query: 'label_replace(n{a="1"}, "dst", "v-$1", "a", "(.*)")', at: 100, expected: { 'n{a="1",dst="v-1"}': 10 } },
  { query: 'label_join(m{a="1"}, "ab", "-", "a", "b")', at: 100, expected: { 'm{a="1",ab="1-x",b="x"}': 1 } },
  { query: 'hour(vector(7200 + 180))', at: 100, expected: { '{}': 2 } },
  { query: 'minute(vector(7200 + 180))', at: 100, expected: { '{}': 3 } },
  // --- histogram_quantile over h: cumulative 10 (le 0.1), 30 (0.5), 40 (1), 50 (+Inf).
  // q 0.5: rank 25 falls in (0.1, 0.5] holding 20, 15 of them in: 0.1 + 0.4 * 15/20 = 0.4.
  { query: 'histogram_quantile(0.5, h_bucket)', at: 100, expected: { '{job="j"}': 0.4 } },
  // q 0.05: rank 2.5 in the first bucket, from 0: 0.1 * 2.5/10 = 0.025.
  { query: 'histogram_quantile(0.05, h_bucket)', at: 100, expected: { '{job="j"}': 0.025 } },
  // q 0.9: rank 45 > 40, in the +Inf bucket: the highest finite bound, 1.
  { query: 'histogram_quantile(0.9, h_bucket)', at: 100, expected: { '{job="j"}': 1 } },
  { query: 'histogram_quantile(0, h_bucket)', at: 100, expected: { '{job="j"}': 0 } },
  { query: 'histogram_quantile(-1, h_bucket)', at: 100, expected: { '{job="j"}': '-Inf' } },
  { query: 'histogram_quantile(2, h_bucket)', at: 100, expected: { '{job="j"}': '+Inf' } },
  { query: 'histogram_quantile(NaN, h_bucket)', at: 100, expected: { '{job="j"}': 'NaN' } },
  // Non-monotonic counts are evened out: 10, 8 -> 10, 20; q 0.5: rank 10 in the first bucket: 0.1.
  { query: 'histogram_quantile(0.5, hm_bucket)', at: 100, expected: { '{}': 0.1 } },
  // First bound <= 0: its bound is the answer when the rank falls in it.
  { query: 'histogram_quantile(0.1, hneg_bucket)', at: 100, expected: { '{}': -1 } },
  { query: 'histogram_quantile(0.5, hnoinf_bucket)', at: 100, expected: { '{}': 'NaN' } }, // no +Inf bucket
  { query: 'histogram_quantile(0.5, hzero_bucket)', at: 100, expected: { '{}': 'NaN' } }, // no observations
  { query: 'histogram_quantile(0.5, sum by (le) (h_bucket))', at: 100, expected: { '{}': 0.4 } },
  // --- spelling of special values.
  { query: 'm{a="1"} / 0', at: 100, expected: { '{a="1",b="x"}': '+Inf' } },
  { query: '-m{a="1"} / 0', at: 100, expected: { '{a="1",b="x"}': '-Inf' } },
  { query: 'm{a="1"} * 1e21', at: 100, expected: { '{a="1",b="x"}': '1000000000000000000000' } },
  { query: 'm{a="1"} * 1e-7', at: 100, expected: { '{a="1",b="x"}': '0.0000001' } },
];

const store = storeOf(SERIES);

for (const c of CASES) {
  const label = c.options ? `${c.query} @${c.at}s ${JSON.stringify(c.options)}` : `${c.query} @${c.at}s`;
  test(label, () => {
    assertValues(evalAt(store, c.query, c.at, c.options), c.expected, c.query);
  });
}
