import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatValue, instantQuery, rangeQuery } from '../../../src/telemetry/promql/index.js';
import { storeOf } from './helpers.js';

const store = storeOf([
  [{ __name__: 'up', job: 'b', instance: 'x' }, [[10, 1], [20, 0], [30, 1]]],
  [{ __name__: 'up', job: 'a', instance: 'x' }, [[10, 1], [20, 1], [30, 1]]],
  [{ __name__: 'reqs_total', job: 'a' }, [[0, 0], [15, 15], [30, 30], [45, 45], [60, 60]]],
]);

test('instant query shapes: scalar, string, vector and (for a range selector) matrix', () => {
  assert.deepEqual(instantQuery(store, '1 + 2', 30_500), { resultType: 'scalar', result: [30.5, '3'] });
  assert.deepEqual(instantQuery(store, '"hello"', 30_000), { resultType: 'string', result: [30, 'hello'] });
  assert.deepEqual(instantQuery(store, 'time()', 30_000), { resultType: 'scalar', result: [30, '30'] });
  const v = instantQuery(store, 'up{job="a"}', 30_000);
  assert.deepEqual(v, { resultType: 'vector', result: [{ metric: { __name__: 'up', instance: 'x', job: 'a' }, value: [30, '1'] }] });
  const m = instantQuery(store, 'up[15s]', 30_000);
  assert.deepEqual(m, {
    resultType: 'matrix',
    result: [
      { metric: { __name__: 'up', instance: 'x', job: 'a' }, values: [[20, '1'], [30, '1']] },
      { metric: { __name__: 'up', instance: 'x', job: 'b' }, values: [[20, '0'], [30, '1']] },
    ],
  });
});

test('range query: a matrix, one point per step, series sorted by labels, names dropped by functions', () => {
  const r = rangeQuery(store, 'up', 10_000, 30_000, 10_000);
  assert.equal(r.resultType, 'matrix');
  assert.deepEqual(r.result.map((s) => s.metric['job']), ['a', 'b']);
  assert.deepEqual(r.result[1]!.values, [[10, '1'], [20, '0'], [30, '1']]);
  // rate over (t - 30s, t]: two 15 s samples, 15 up; extrapolated over 30 s -> 1/s.
  const rate = rangeQuery(store, 'rate(reqs_total[30s])', 30_000, 60_000, 15_000);
  assert.deepEqual(rate.result, [{ metric: { job: 'a' }, values: [[30, '1'], [45, '1'], [60, '1']] }]);
  const scalar = rangeQuery(store, 'time() * 2', 0, 20_000, 10_000);
  assert.deepEqual(scalar.result, [{ metric: {}, values: [[0, '0'], [10, '20'], [20, '40']] }]);
  // Series absent at some steps have no point there.
  const sparse = rangeQuery(store, 'up == 0', 10_000, 30_000, 10_000);
  assert.deepEqual(sparse.result, [{ metric: { __name__: 'up', instance: 'x', job: 'b' }, values: [[20, '0']] }]);
});

test('formatValue spells numbers as Prometheus does', () => {
  const cases: [number, string][] = [
    [NaN, 'NaN'], [Infinity, '+Inf'], [-Infinity, '-Inf'], [0, '0'], [-0, '-0'], [1, '1'], [-1.5, '-1.5'],
    [0.1 + 0.2, '0.30000000000000004'], [1e21, '1000000000000000000000'], [1.5e-7, '0.00000015'],
    [123456789012345680000, '123456789012345680000'], [2.5e25, '25000000000000000000000000'], [1e-300 * 1e-10, '0.' + '0'.repeat(309) + '1'],
  ];
  for (const [value, text] of cases) assert.equal(formatValue(value), text, String(value));
});
