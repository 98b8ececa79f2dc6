import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveSeverity, severityFromText, severityName } from '../../../src/telemetry/logs/index.js';

test('severity names map to the start of their OTLP range, numbered names inside it', () => {
  const cases: [string, number | undefined][] = [
    ['TRACE', 1],
    ['debug', 5],
    ['Info', 9],
    ['WARN', 13],
    ['warning', 13],
    ['ERROR', 17],
    ['err', 17],
    ['FATAL', 21],
    ['critical', 21],
    ['WARN3', 15],
    ['error4', 20],
    ['error5', undefined],
    ['LOUD', undefined],
    ['', undefined],
    ['WARNING2', undefined],
  ];
  for (const [text, want] of cases) assert.equal(severityFromText(text), want, text);
});

test('severity numbers have short names; 0 and out of range have none', () => {
  assert.equal(severityName(1), 'TRACE');
  assert.equal(severityName(13), 'WARN');
  assert.equal(severityName(18), 'ERROR2');
  assert.equal(severityName(24), 'FATAL4');
  assert.equal(severityName(0), '');
  assert.equal(severityName(25), '');
  assert.equal(severityName(1.5), '');
});

test('a record without a severity number is filtered by its text', () => {
  assert.equal(effectiveSeverity(17, 'INFO'), 17);
  assert.equal(effectiveSeverity(0, 'error'), 17);
  assert.equal(effectiveSeverity(0, 'whatever'), 0);
  assert.equal(effectiveSeverity(0, ''), 0);
});
