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
  assert.ok(summary.responseTime.p50 >= 9.5 && summary.responseTime.p50 < 20);
  assert.equal(readFileSync(file, 'utf8').trim().split('\n').length, summary.tasks[0]?.requests);
});

test('the open model split over 3 workers issues exactly the integral of the rate', async (t) => {
  const server = await startServer(t, (_req, res) => res.end('ok'));
  const summary = await runLoad({ scenario: openScenario(server.url, 150, 2000, 60), workers: 3 });
  assert.equal(summary.requests, 300);
  assert.equal(server.received(), 300);
  assert.deepEqual(summary.errors, {});
});
