import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunSummary } from '../../../src/load/types.js';
import { httpTarget, load, scenarioFile, tempDir, waitFor } from './helpers.js';

test('the minimal scenario runs, prints progress and the summary, and --out writes both reports (exit 0)', async (t) => {
  const [target, dir] = await Promise.all([httpTarget(t), tempDir(t)]);
  const file = await scenarioFile(dir, target, "thresholds:\n  http_req_duration: ['p(95)<5000']\n");
  const run = load(t, dir, [file, '--out', 'out/report.json', '--no-otlp']);
  assert.equal(await run.exited, 0, run.stderr());
  assert.match(run.stdout(), /^ {3}1s {2}users +\d+ +\d+ req\/s {2}p50 [\d.]+ ms/m, 'a plain progress line per second');
  assert.match(run.stdout(), /✔ http_req_duration p\(95\)<5000/);
  assert.match(run.stdout(), /^root\s+\d+\s+0\s/m);
  const summary = JSON.parse(await readFile(join(dir, 'out', 'report.json'), 'utf8')) as RunSummary;
  assert.ok(summary.requests > 0);
  assert.equal(summary.thresholds[0]?.passed, true);
  assert.equal(summary.interrupted, false);
  assert.match(await readFile(join(dir, 'out', 'report.html'), 'utf8'), /<svg /);
});

test('a failed threshold exits 99, as k6 does', async (t) => {
  const [target, dir] = await Promise.all([httpTarget(t), tempDir(t)]);
  const file = await scenarioFile(dir, target, "thresholds:\n  http_reqs: ['count>100000000']\n");
  const run = load(t, dir, [file, '--no-otlp']);
  assert.equal(await run.exited, 99, run.stderr());
  assert.match(run.stdout(), /✖ http_reqs count>100000000/);
});

test('Ctrl-C (SIGINT) stops the run cleanly and still writes the reports', async (t) => {
  const [target, dir] = await Promise.all([httpTarget(t), tempDir(t)]);
  const file = await scenarioFile(dir, target, '', '10m');
  const run = load(t, dir, [file, '--out', 'r.json', '--no-otlp']);
  await waitFor(run, /1s {2}users/);
  run.child.kill('SIGINT');
  assert.equal(await run.exited, 0, run.stderr());
  assert.match(run.stdout(), /stopping/);
  assert.match(run.stdout(), /interrupted/);
  const summary = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')) as RunSummary;
  assert.equal(summary.interrupted, true);
  assert.ok(summary.durationMs < 60_000);
  assert.match(await readFile(join(dir, 'r.html'), 'utf8'), /interrupted/);
});

test('--compare prints the differences of two reports', async (t) => {
  const [target, dir] = await Promise.all([httpTarget(t), tempDir(t)]);
  const file = await scenarioFile(dir, target);
  const first = load(t, dir, [file, '--out', 'a.json', '--no-otlp']);
  assert.equal(await first.exited, 0, first.stderr());
  const compare = load(t, dir, ['a.json', '--compare', 'a.json']);
  assert.equal(await compare.exited, 0, compare.stderr());
  assert.match(compare.stdout(), /^requests\/s\s+[\d.]+\s+[\d.]+\s+0\.0%$/m);
  assert.match(compare.stdout(), /^root: p95\s/m);
});

test('errors exit 1 with the code: an unknown scenario, an unreachable target, a bad flag', async (t) => {
  const dir = await tempDir(t);
  const unknown = load(t, dir, ['no-such-scenario']);
  const refused = load(t, dir, [await scenarioFile(dir, 'http://127.0.0.1:9'), '--no-otlp']);
  const badFlag = load(t, dir, ['steady', '--vus', 'many']);
  assert.equal(await unknown.exited, 1);
  assert.match(unknown.stderr(), /LAB_LOAD_SCENARIO_NOT_FOUND/);
  assert.equal(await refused.exited, 1);
  assert.match(refused.stderr(), /127\.0\.0\.1:9.*LAB_LOAD_TARGET_UNREACHABLE/s);
  assert.equal(await badFlag.exited, 1);
  assert.match(badFlag.stderr(), /--vus must be a whole number.*LAB_CLI_BAD_FLAG/);
});
