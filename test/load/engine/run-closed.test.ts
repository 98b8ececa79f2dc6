import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runLoad } from '../../../src/load/engine/index.js';
import type { Interval } from '../../../src/load/types.js';
import { delayAtLeast, closedScenario, closedPort, startServer } from './helpers.js';

test('the closed model measures a server with 20 ms latency right, per task and overall', async (t) => {
  const server = await startServer(t, (_req, res) => {
    delayAtLeast(20, () => res.end('ok'));
  });
  const live: Interval[] = [];
  const summary = await runLoad({ scenario: closedScenario(server.url, 10, 2000), onInterval: (i) => live.push(i) });
  assert.equal(summary.model, 'closed');
  assert.equal(summary.interrupted, false);
  assert.deepEqual(summary.errors, {});
  assert.equal(summary.requests, server.received());
  assert.equal(summary.tasks[0]?.requests, summary.requests);
  // 10 users at ~21 ms a round trip make ~950 requests in 2 s on an idle machine.
  assert.ok(summary.requests > 100 && summary.requests < 1100, `requests ${summary.requests}`); // never more than 10 users can do in 2 s at 20 ms each
  // The upper bound is loose on purpose: a busy machine (CI runs test files in parallel) adds its own delay.
  assert.ok(summary.responseTime.p50 >= 19.5 && summary.responseTime.p50 < 200, `p50 ${summary.responseTime.p50}`);
  assert.ok(summary.responseTime.min >= 19.5, `min ${summary.responseTime.min}`);
  assert.deepEqual(summary.responseTime, summary.serviceTime); // closed model: both from the send
  assert.ok(Math.abs(summary.durationMs - 2000) < 300, `duration ${summary.durationMs}`);
  assert.ok(live.length >= 2 && live.length <= 3, `intervals ${live.length}`);
  assert.deepEqual(summary.intervals, live);
  assert.equal(live[0]?.second, 1);
  assert.equal(live[0]?.users, 10);
  assert.equal(live.reduce((sum, i) => sum + i.requests, 0), summary.requests);
  assert.ok((live[0]?.p50 ?? 0) >= 19.5);
});

test('users follow the stages: ramp 0 to 6 over 1.5 s, then hold', async (t) => {
  const server = await startServer(t, (_req, res) => {
    setTimeout(() => res.end('ok'), 5);
  });
  const scenario = closedScenario(server.url, 0, 0);
  scenario.model = { kind: 'closed', startUsers: 0, stages: [{ durationMs: 1500, target: 6 }, { durationMs: 1500, target: 6 }] };
  const summary = await runLoad({ scenario });
  const users = summary.intervals.map((i) => i.users);
  // Sampled at 1 s (4 of 6 ramped in), 2 s and 3 s (holding 6; at 3 s the run ends).
  assert.ok(users[0] === 4 || users[0] === 3, `users ${users.join(',')}`);
  assert.equal(users[1], 6);
  assert.ok(summary.requests > 0);
});

test('an unreachable target fails fast with the address and the fix', async () => {
  const port = await closedPort();
  const started = Date.now();
  await assert.rejects(runLoad({ scenario: closedScenario(`http://127.0.0.1:${port}`, 1, 1000) }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'LAB_LOAD_TARGET_UNREACHABLE');
    assert.match(err.message, new RegExp(`127\\.0\\.0\\.1:${port}.*ECONNREFUSED.*--target`));
    return true;
  });
  assert.ok(Date.now() - started < 1000);
});

test('bad run options are LAB_LOAD_BAD_RUN_OPTIONS naming the field', async () => {
  await assert.rejects(runLoad({ scenario: closedScenario('ftp://x', 1, 10) }), /scenario.target must be an http/);
  await assert.rejects(runLoad({ scenario: closedScenario('http://127.0.0.1:1', 1, 10), workers: 0 }), /workers must be a whole number from 1 to 64, received 0/);
  const badTransport = { scenario: closedScenario('http://127.0.0.1:1', 1, 10), transport: 'h2' } as unknown as Parameters<typeof runLoad>[0];
  await assert.rejects(runLoad(badTransport), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'LAB_LOAD_BAD_RUN_OPTIONS');
    assert.match(err.message, /transport must be one of auto, http1, undici, received "h2"/);
    return true;
  });
  await assert.rejects(runLoad({ scenario: closedScenario('https://127.0.0.1:1', 1, 10), transport: 'http1' }), /transport http1 speaks plain http: only, received the target https:\/\/127.0.0.1:1; use transport auto or undici/);
});
