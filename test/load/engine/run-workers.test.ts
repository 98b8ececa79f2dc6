import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runLoad } from '../../../src/load/engine/index.js';
import { delayAtLeast, closedScenario, openScenario, startServer, task } from './helpers.js';

test('two workers share the users, merge counters and histograms, and record from both', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cloudlab-load-workers-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const vus = new Set<string>();
  const server = await startServer(t, (req, res) => {
    vus.add(String(req.headers['x-vu']));
    delayAtLeast(10, () => res.end(req.url === '/fail' ? 'nope' : 'ok'));
  });
  const tasks = [task({ name: 'ok', headers: { 'x-vu': '{{vu}}' }, record: true }), task({ name: 'fail', path: '/fail', headers: { 'x-vu': '{{vu}}' }, check: { bodyIncludes: 'ok' } })];
  const file = join(dir, 'records.jsonl');
  const summary = await runLoad({ scenario: closedScenario(server.url, 6, 1500, tasks), workers: 2, recordFile: file });
  assert.equal(summary.environment.workers, 2);
  assert.equal(summary.requests, server.received());
  assert.deepEqual([...vus].sort(), ['1', '2', '3', '4', '5', '6']);
  assert.equal(summary.tasks.reduce((sum, x) => sum + x.requests, 0), summary.requests);
  assert.equal(summary.responseTime.count, summary.requests);
  assert.equal(summary.errors.check, summary.tasks[1]?.requests);
  assert.equal(summary.intervals[0]?.users, 6);
  assert.equal(summary.intervals.reduce((sum, i) => sum + i.requests, 0), summary.requests);
  // The upper bound is loose on purpose: a busy machine (CI runs test files in parallel) adds its own delay.
  assert.ok(summary.responseTime.p50 >= 9.5 && summary.responseTime.p50 < 100, `p50 ${summary.responseTime.p50}`);
  // Each second breaks down by task, merged exactly over the workers: the seconds add up to the run.
  for (const [i, name] of ['ok', 'fail'].entries()) {
    const seconds = summary.intervals.map((s) => s.tasks?.[i]);
    assert.ok(seconds.every((s) => s?.name === name), `every second has task ${name}`);
    assert.equal(seconds.reduce((sum, s) => sum + (s?.requests ?? 0), 0), summary.tasks[i]?.requests);
    assert.equal(seconds.reduce((sum, s) => sum + (s?.durationCounts.reduce((a, b) => a + b, 0) ?? 0), 0), summary.tasks[i]?.requests, 'every answered request in one duration bucket');
    // 10 ms answers: in the (5, 10] or (10, 25] ms buckets (le 10 and le 25), none faster.
    const counts = seconds.reduce((sum, s) => sum.map((n, b) => n + (s?.durationCounts[b] ?? 0)), new Array<number>(16).fill(0));
    assert.equal(counts.slice(0, 3).reduce((a, b) => a + b, 0), 0, `no answer under 5 ms: ${counts.join(',')}`);
  }
  assert.equal(summary.intervals.reduce((sum, s) => sum + (s.tasks?.[1]?.errors.check ?? 0), 0), summary.errors.check);
  assert.equal(readFileSync(file, 'utf8').trim().split('\n').length, summary.tasks[0]?.requests);
});

test('the open model split over 3 workers issues exactly the integral of the rate', async (t) => {
  const server = await startServer(t, (_req, res) => res.end('ok'));
  // maxInFlight high enough that a busy machine (slow answers) drops nothing; if it still
  // did, a dropped arrival is counted, so the sum below holds either way.
  const summary = await runLoad({ scenario: openScenario(server.url, 150, 2000, 600), workers: 3 });
  assert.equal(summary.requests + (summary.errors.dropped ?? 0), 300);
  assert.equal(server.received(), summary.requests);
  assert.deepEqual(Object.keys(summary.errors).filter((k) => k !== 'dropped'), []);
});
