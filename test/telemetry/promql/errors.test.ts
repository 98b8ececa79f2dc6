import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LabError } from '../../../src/errors.js';
import { instantQuery, parseQuery, parseSeriesSelector, rangeQuery } from '../../../src/telemetry/promql/index.js';
import { storeOf } from './helpers.js';

const store = storeOf([
  [{ __name__: 'm', a: '1', b: 'x' }, [[100, 1]]],
  [{ __name__: 'm', a: '1', b: 'y' }, [[100, 2]]],
  [{ __name__: 'n', a: '1' }, [[100, 10]]],
  [{ __name__: 'o', a: '1' }, [[100, 10]]],
]);

function rejects(fn: () => unknown, code: string, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof LabError, `expected a LabError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.match(err.message, message);
    return true;
  });
}

const BAD: [string, RegExp][] = [
  ['', /no expression found/],
  ['sum(', /^1:5: parse error: unexpected end of input/],
  ['a +', /^1:4: parse error: unexpected end of input/],
  ['foo{a="b"', /^1:10: parse error/],
  ['rate(m)', /expected type range vector in call to function "rate", got instant vector/],
  ['abs(m[5m])', /expected type instant vector in call to function "abs", got range vector/],
  ['abs(m, m)', /expected 1 argument\(s\) in call to "abs", got 2/],
  ['round(m, 1, 2)', /expected at most 2 argument\(s\)/],
  ['histogram_quantile(m, m)', /expected type scalar in call to function "histogram_quantile"/],
  ['sum(m[5m])', /expected type instant vector in aggregation expression, got range vector/],
  ['topk(m, m)', /expected type scalar in aggregation parameter/],
  ['1 > 2', /comparisons between scalars must use BOOL modifier/],
  ['m + bool 1', /bool modifier can only be used on comparison operators/],
  ['1 and m', /set operator "and" not allowed in binary scalar expression/],
  ['m + on(a) 1', /vector matching only allowed between instant vectors/],
  ['m and on(a) group_left n', /no grouping allowed for "and" operation/],
  ['m[5m] + 1', /binary expression must contain only scalar and instant vector types/],
  ['sum(m)[5m]', /ranges only allowed for vector selectors/],
  ['sum(m) offset 5m', /offset modifier must be preceded by an instant vector selector/],
  ['m offset 1m offset 2m', /offset may not be set multiple times/],
  ['{a=""}', /vector selector must contain at least one non-empty matcher/],
  ['{a=~".*"}', /vector selector must contain at least one non-empty matcher/],
  ['m{__name__="n"}', /metric name must not be set twice/],
  ['m{a=~"("}', /^1:6: parse error: invalid regular expression/],
  ['m{a="\\q"}', /unknown escape sequence/],
  ['foo(m)', /unknown function with name "foo"/],
  ['-"a"', /unary expression only allowed on expressions of type scalar or instant vector/],
  ['m[0s]', /range must be greater than 0/],
];

for (const [query, message] of BAD) {
  test(`bad query ${JSON.stringify(query)}`, () => {
    rejects(() => parseQuery(query), 'LAB_PROMQL_BAD_QUERY', message);
  });
}

const UNSUPPORTED: [string, RegExp][] = [
  ['m[5m:1m]', /a subquery is not supported/],
  ['m @ 100', /the @ modifier is not supported/],
  ['limitk(1, m)', /the aggregation limitk is not supported/],
  ['histogram_count(m)', /the function histogram_count\(\) is not supported/],
  ['holt_winters(m[5m], 0.1, 0.1)', /the function holt_winters\(\) is not supported/],
  ['sort_by_label(m, "a")', /the function sort_by_label\(\) is not supported/],
  ['rate(m[5m:])', /a subquery is not supported/],
];

for (const [query, message] of UNSUPPORTED) {
  test(`unsupported ${JSON.stringify(query)}`, () => {
    rejects(() => parseQuery(query), 'LAB_PROMQL_UNSUPPORTED', message);
  });
}

test('execution errors answer 422 as Prometheus does', () => {
  // b differs, so on(a) finds two series on the right for one on the left.
  rejects(() => instantQuery(store, 'n + on(a) m', 100_000), 'LAB_PROMQL_EXECUTION', /found duplicate series for the match group/);
  rejects(() => instantQuery(store, 'm + on(a) n', 100_000), 'LAB_PROMQL_EXECUTION', /multiple matches for labels/);
  // n and o differ only by name: dropping it leaves two series with one label set.
  rejects(() => instantQuery(store, '{__name__=~"n|o"} * 2', 100_000), 'LAB_PROMQL_EXECUTION', /same labelset/);
  rejects(() => rangeQuery(store, 'abs({__name__=~"n|o"})', 90_000, 100_000, 5_000), 'LAB_PROMQL_EXECUTION', /same labelset/);
  const err = (() => {
    try {
      instantQuery(store, 'n + on(a) m', 100_000);
    } catch (e) {
      return e as LabError;
    }
    return null;
  })();
  assert.equal(err?.statusCode, 422);
});

test('range query arguments are checked', () => {
  rejects(() => rangeQuery(store, 'm', 100_000, 90_000, 1000), 'LAB_PROMQL_BAD_QUERY', /end timestamp must not be before start time/);
  rejects(() => rangeQuery(store, 'm', 0, 100_000, 0), 'LAB_PROMQL_BAD_QUERY', /zero or negative query resolution step/);
  rejects(() => rangeQuery(store, 'm', 0, 100_000_000, 1), 'LAB_PROMQL_BAD_QUERY', /exceeded maximum resolution of 11000 points/);
  rejects(() => rangeQuery(store, 'm[5m]', 0, 100_000, 1000), 'LAB_PROMQL_BAD_QUERY', /invalid expression type "range vector" for range query/);
  rejects(() => rangeQuery(store, '"s"', 0, 100_000, 1000), 'LAB_PROMQL_BAD_QUERY', /invalid expression type "string"/);
  rejects(() => instantQuery(store, 'm', Number.NaN), 'LAB_PROMQL_BAD_QUERY', /time must be a finite number/);
});

test('parseSeriesSelector returns the matchers of a selector and refuses anything else', () => {
  assert.deepEqual(parseSeriesSelector('up{job="api",x!~"a.*"}'), [
    { name: '__name__', type: '=', value: 'up' },
    { name: 'job', type: '=', value: 'api' },
    { name: 'x', type: '!~', value: 'a.*' },
  ]);
  assert.deepEqual(parseSeriesSelector('{__name__=~"a|b"}'), [{ name: '__name__', type: '=~', value: 'a|b' }]);
  rejects(() => parseSeriesSelector('sum(up)'), 'LAB_PROMQL_BAD_QUERY', /invalid series selector/);
  rejects(() => parseSeriesSelector('up[5m]'), 'LAB_PROMQL_BAD_QUERY', /invalid series selector/);
});

test('string literals follow Go quoting', () => {
  assert.deepEqual(parseQuery('"a\\tb\\u00e9\\x41\\101"'), { kind: 'string', value: 'a\tbéAA' });
  assert.deepEqual(parseQuery("'it\\'s'"), { kind: 'string', value: "it's" });
  assert.deepEqual(parseQuery('`raw\\n`'), { kind: 'string', value: 'raw\\n' });
});

test('number literals: hex, exponent, Inf/NaN, durations as seconds, signs', () => {
  const value = (q: string): number => {
    const e = parseQuery(q);
    assert.equal(e.kind, 'number');
    return e.kind === 'number' ? e.value : NaN;
  };
  assert.equal(value('0x1f'), 31);
  assert.equal(value('1e3'), 1000);
  assert.equal(value('1_000'), 1000);
  assert.equal(value('-Inf'), -Infinity);
  assert.ok(Number.isNaN(value('NaN')));
  assert.equal(value('5m'), 300);
  assert.equal(value('1h30m'), 5400);
  assert.equal(value('-2'), -2);
});
