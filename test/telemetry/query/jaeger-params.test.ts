import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseGoDuration, parseLogfmt, parseTraceId } from '../../../src/telemetry/query/jaeger-params.js';
import { LabError } from '../../../src/errors.js';

test('Go durations, in nanoseconds, with Go\'s error texts', () => {
  const cases: [string, number | string][] = [
    ['0', 0],
    ['5us', 5_000],
    ['5µs', 5_000],
    ['5μs', 5_000],
    ['100ms', 100e6],
    ['1.2s', 1.2e9],
    ['.5s', 0.5e9],
    ['1.s', 1e9],
    ['2h45m', (2 * 3600 + 45 * 60) * 1e9],
    ['1h0.5m1ns', 3600e9 + 30e9 + 1],
    ['+3ms', 3e6],
    ['-3ms', -3e6],
    ['', 'time: invalid duration ""'],
    ['.', 'time: invalid duration "."'],
    ['ms', 'time: invalid duration "ms"'],
    ['100', 'time: missing unit in duration "100"'],
    ['1d', 'time: unknown unit "d" in duration "1d"'],
    ['1s2', 'time: missing unit in duration "1s2"'],
  ];
  for (const [text, want] of cases) assert.equal(parseGoDuration(text), want, text);
});

test('property: a sum of unit terms parses to its value', () => {
  const unit = fc.constantFrom(['ns', 1], ['us', 1e3], ['ms', 1e6], ['s', 1e9], ['m', 60e9], ['h', 3600e9]);
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 999 }), unit), { minLength: 1, maxLength: 4 }), (terms) => {
      const text = terms.map(([n, [u]]) => `${n}${u}`).join('');
      const want = terms.reduce((sum, [n, [, scale]]) => sum + n * (scale as number), 0);
      assert.equal(parseGoDuration(text), want, text);
    }),
  );
});

test('logfmt pairs, quoted values and bare keys', () => {
  assert.deepEqual(parseLogfmt('a=1 b="two words" c= flag'), { a: '1', b: 'two words', c: '', flag: 'true' });
  assert.deepEqual(parseLogfmt('q="say \\"hi\\""'), { q: 'say "hi"' });
  assert.deepEqual(parseLogfmt(''), {});
  assert.equal(parseLogfmt('"a'), undefined);
});

test('trace ids: up to 32 hex digits, left-padded and lowercased', () => {
  assert.equal(parseTraceId('ABC'), `${'0'.repeat(29)}abc`);
  assert.equal(parseTraceId('4bf92f3577b34da6a3ce929d0e0e4736'), '4bf92f3577b34da6a3ce929d0e0e4736');
  assert.throws(() => parseTraceId('g'), (err: unknown) => err instanceof LabError && err.code === 'LAB_QUERY_TRACE_BAD_PARAM');
  assert.throws(() => parseTraceId(''), LabError);
  assert.throws(() => parseTraceId('1'.repeat(33)), /cannot be longer than 32 hex characters/);
});
