/**
 * The console's pure parts, under Node: the time axis's tick labels, the chaos scenario
 * form's checks, and the drills page's verdict badges and durations. (The browser test
 * drives the same code through the pages.)
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { timeTickLabels, TIME_INCRS } from '../../src/console/app/src/time-axis.js';
import { checkDuration, checkValue, formatCountdown, parseDuration } from '../../src/console/app/src/pages/chaos/scenario-checks.js';
import type { ValueSpec } from '../../src/console/app/src/pages/chaos/scenario-checks.js';
import { ago, formatDurationMs, verdictBadge } from '../../src/console/app/src/pages/drills/drill-format.js';

/** Local time, so that the test holds in any time zone. */
const at = (y: number, mo: number, d: number, h: number, mi: number, s = 0): number => new Date(y, mo, d, h, mi, s).getTime() / 1000;

describe('time axis labels', () => {
  test('only the first tick carries the date; the others are times alone', () => {
    const splits = [at(2026, 10, 24, 9, 19, 45), at(2026, 10, 24, 9, 20, 0), at(2026, 10, 24, 9, 20, 15)];
    assert.deepEqual(timeTickLabels(splits, 15), ['09:19:45\nNov 24', '09:20:00', '09:20:15']);
  });

  test('minutes apart: hours and minutes; a tick on a new day carries the new date', () => {
    const splits = [at(2026, 11, 31, 23, 58), at(2026, 11, 31, 23, 59), at(2027, 0, 1, 0, 0), at(2027, 0, 1, 0, 1)];
    assert.deepEqual(timeTickLabels(splits, 60), ['23:58\nDec 31', '23:59', '00:00\nJan 1', '00:01']);
  });

  test('days apart: the date alone', () => {
    assert.deepEqual(timeTickLabels([at(2026, 10, 24, 0, 0), at(2026, 10, 25, 0, 0)], 86_400), ['Nov 24', 'Nov 25']);
  });

  test('no labels for no ticks; the steps include 2 minutes (a narrow 5-minute chart)', () => {
    assert.deepEqual(timeTickLabels([], 60), []);
    assert.ok(TIME_INCRS.includes(120));
    assert.deepEqual([...TIME_INCRS].sort((a, b) => a - b), TIME_INCRS, 'ascending, as uPlot expects');
  });
});

describe('scenario form checks', () => {
  const latency: ValueSpec = { name: 'latency_ms', unit: 'ms', required: true, default: null };
  const ratio: ValueSpec = { name: 'ratio', unit: '0..1', required: true, default: null };
  const count: ValueSpec = { name: 'count', unit: 'connections', required: false, default: 'fill' };
  const flag: ValueSpec = { name: 'value', unit: 'true/false/number/string', required: true, default: null };

  test('latency: whole milliseconds, 0 to 600000', () => {
    assert.deepEqual(checkValue(latency, ' 250 '), { ok: true, value: 250 });
    assert.deepEqual(checkValue(latency, '0'), { ok: true, value: 0 });
    for (const bad of ['12.5', '-1', '600001', '1e3', 'fast']) {
      const r = checkValue(latency, bad);
      assert.equal(r.ok, false, bad);
      assert.match(r.ok ? '' : r.problem, new RegExp(`^latency_ms \\(ms\\) must be a whole number of milliseconds from 0 to 600000, received "${bad.replace('.', '\\.')}"$`));
    }
  });

  test('a required value left blank names the field and what it takes', () => {
    assert.deepEqual(checkValue(latency, ''), { ok: false, problem: 'latency_ms (ms) is required: whole milliseconds, 0 to 600000' });
  });

  test('ratio: 0 to 1', () => {
    assert.deepEqual(checkValue(ratio, '0.3'), { ok: true, value: 0.3 });
    assert.deepEqual(checkValue(ratio, '1.5'), { ok: false, problem: 'ratio (0..1) must be a ratio from 0 to 1 (0.3 fails 30 %), received "1.5"' });
  });

  test('an optional value left blank is left out (the lab applies its default); counts are whole and at least 1', () => {
    assert.deepEqual(checkValue(count, ''), { ok: true, value: undefined });
    assert.deepEqual(checkValue(count, '3'), { ok: true, value: 3 });
    assert.equal(checkValue(count, '0').ok, false);
  });

  test('a flag value goes as typed, numbers as numbers', () => {
    assert.deepEqual(checkValue(flag, 'true'), { ok: true, value: 'true' });
    assert.deepEqual(checkValue(flag, '50'), { ok: true, value: 50 });
  });

  test('durations: the choices, and a custom one from 100 ms to 24 h', () => {
    assert.deepEqual(checkDuration('none', ''), { ok: true, value: null });
    assert.deepEqual(checkDuration('30s', ''), { ok: true, value: 30_000 });
    assert.deepEqual(checkDuration('5m', ''), { ok: true, value: 300_000 });
    assert.deepEqual(checkDuration('custom', '1m30s'), { ok: true, value: 90_000 });
    assert.deepEqual(checkDuration('custom', '90'), { ok: true, value: 90_000 });
    assert.deepEqual(checkDuration('custom', '50ms'), { ok: false, problem: 'the custom duration must be from 100 ms to 24 h, such as 90s, 2m or 1h, received "50ms"' });
    assert.equal(checkDuration('custom', '25h').ok, false);
    assert.equal(checkDuration('custom', 'soon').ok, false);
  });

  test('parseDuration reads ms, s, m, min and h, and refuses the rest', () => {
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('2 min'), 120_000);
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.ok(Number.isNaN(parseDuration('2x')));
    assert.ok(Number.isNaN(parseDuration('')));
  });

  test('countdowns read m:ss, or h:mm:ss past an hour', () => {
    assert.equal(formatCountdown(42_000), '0:42');
    assert.equal(formatCountdown(41_001), '0:42', 'rounds up: it reads 0:00 only once the time is up');
    assert.equal(formatCountdown(245_000), '4:05');
    assert.equal(formatCountdown(3_723_000), '1:02:03');
    assert.equal(formatCountdown(-5), '0:00');
  });
});

describe('drill verdicts and times', () => {
  test('every verdict has an icon and a word beside its colour', () => {
    const seen = new Set<string>();
    for (const v of ['passed', 'failed', 'aborted', 'interrupted', 'error']) {
      const b = verdictBadge(v);
      assert.equal(b.label, v);
      assert.ok(b.icon.length > 0 && b.meaning.length > 0, v);
      seen.add(b.icon);
    }
    assert.equal(seen.size, 5, 'each verdict has its own icon');
    assert.deepEqual([verdictBadge('passed').tone, verdictBadge('failed').tone, verdictBadge('aborted').tone], ['good', 'bad', 'warn']);
    assert.equal(verdictBadge('someday').label, 'someday');
  });

  test('durations and ages in words', () => {
    assert.equal(formatDurationMs(850), '850 ms');
    assert.equal(formatDurationMs(4_200), '4.2 s');
    assert.equal(formatDurationMs(65_000), '1 min 05 s');
    assert.equal(formatDurationMs(3_720_000), '1 h 02 min');
    assert.equal(ago(1_000, 20_000), 'just now');
    assert.equal(ago(0, 5 * 60_000), '5 min ago');
    assert.equal(ago(0, 2 * 86_400_000), '2 days ago');
  });
});
