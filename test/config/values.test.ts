/** Small value readers: durations, command lines, key suggestions, cycles. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, parseDuration } from '../../src/config/index.js';
import { splitCommand } from '../../src/config/command.js';
import { closestKey, unknownKeyFix } from '../../src/config/suggest.js';
import { findCycles } from '../../src/config/check-dependencies.js';

test('durations parse from units and milliseconds, and format back exactly', () => {
  const cases: [string | number, number][] = [
    ['500ms', 500],
    ['2s', 2000],
    ['1.5s', 1500],
    ['1m', 60_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1h2m3s4ms', 3_723_004],
    [250, 250],
    [0, 0],
  ];
  for (const [input, ms] of cases) {
    assert.equal(parseDuration(input), ms, String(input));
    assert.equal(parseDuration(formatDuration(ms)), ms, `${ms} formats as ${formatDuration(ms)} and back`);
  }
  for (const bad of ['', '5', '5 s', 's', '1d', '-1s', '1s 2s']) assert.equal(parseDuration(bad), undefined, bad);
  assert.equal(parseDuration(-1), undefined);
  assert.deepEqual([3_600_000, 90_000, 1500, 0].map(formatDuration), ['1h', '90s', '1500ms', '0s']);
});

test('a command line splits on whitespace with simple quotes', () => {
  assert.deepEqual(splitCommand('node  dist/main.js --port 80'), ['node', 'dist/main.js', '--port', '80']);
  assert.deepEqual(splitCommand(`node "my app.js" 'it''s' --x="a b"`), ['node', 'my app.js', 'its', '--x=a b']);
  assert.deepEqual(splitCommand('echo "say \\"hi\\"" \'no \\escape\''), ['echo', 'say "hi"', 'no \\escape']);
  assert.deepEqual(splitCommand('a "" b'), ['a', '', 'b']);
  assert.deepEqual(splitCommand('   '), []);
  assert.equal(splitCommand('node "open'), undefined);
  assert.equal(splitCommand("node 'open"), undefined);
});

test('unknown keys: close typos, other spellings, and compose keys', () => {
  const known = ['command', 'environment', 'depends_on', 'port_env', 'healthcheck'];
  assert.equal(closestKey('enviroment', known), 'environment');
  assert.equal(closestKey('dependsOn', known), 'depends_on');
  assert.equal(closestKey('port-env', known), 'port_env');
  assert.equal(closestKey('comand', known), 'command');
  assert.equal(closestKey('healtcheck', known), 'healthcheck');
  assert.equal(closestKey('zzz', known), undefined);
  assert.equal(closestKey('ab', known), undefined);
  assert.match(unknownKeyFix('image', known), /not containers/);
  assert.equal(unknownKeyFix('zzz', known), 'remove it; the known keys are command, environment, depends_on, port_env, healthcheck');
});

test('cycles are found once each, starting at their smallest name', () => {
  const graph = new Map([
    ['c', ['a']],
    ['a', ['b']],
    ['b', ['c', 'd']],
    ['d', []],
    ['e', ['e']],
  ]);
  assert.deepEqual(findCycles(graph), [['a', 'b', 'c'], ['e']]);
  assert.deepEqual(findCycles(new Map([['a', ['b']], ['b', []]])), []);
});
