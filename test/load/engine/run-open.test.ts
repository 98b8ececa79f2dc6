import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runLoad } from '../../../src/load/engine/index.js';
import { delayAtLeast, openScenario, startServer } from './helpers.js';

test('the open model holds its rate whatever the latency', async (t) => {
  const server = await startServer(t, (_req, res) => {
    delayAtLeast(30, () => res.end('ok'));
  });
  // maxInFlight far above the ~6 in flight at 30 ms, so a busy machine drops nothing.
  const summary = await runLoad({ scenario: openScenario(server.url, 200, 2000, 1000) });
  assert.equal(summary.model, 'open');
  assert.deepEqual(summary.errors, {});
  assert.equal(summary.requests, 400); // the integral of the rate, exactly
  assert.equal(server.received(), 400);
  // Seconds count answers as they arrive, so a busy machine (CI runs test files in
  // parallel) moves a few across a second's edge; the total above is exact.
  assert.ok(Math.abs(summary.requestsPerSecond - 200) < 30, `rate ${summary.requestsPerSecond}`);
  const perSecond = summary.intervals.slice(0, 2).map((i) => i.requests);
  for (const n of perSecond) assert.ok(Math.abs(n - 200) <= 40, `per second ${perSecond.join(',')}`);
  // The upper bound is loose on purpose: a busy machine (CI runs test files in parallel) adds its own delay.
  assert.ok(summary.serviceTime.p50 >= 29.5 && summary.serviceTime.p50 < 300, `service p50 ${summary.serviceTime.p50}`);
});

test('a stalled server shows in the response time (from the intended start), not in the service time', async (t) => {
  let n = 0;
  const server = await startServer(t, (_req, res) => {
    n++;
    if (n === 50) setTimeout(() => res.end('late'), 1000); // stalls once for 1 s
    else res.end('ok');
  });
  // One connection, as wrk2's: the requests due during the stall wait in the client.
  const summary = await runLoad({ scenario: openScenario(server.url, 100, 3000, 1000), connections: 1 });
  assert.equal(summary.requests, 300);
  assert.deepEqual(summary.errors, {});
  // ~100 requests were due during the stall and waited up to 1 s from their intended start.
  assert.ok(summary.responseTime.p90 > 500, `response p90 ${summary.responseTime.p90}`);
  assert.ok(summary.responseTime.max >= 990, `response max ${summary.responseTime.max}`);
  // Once sent, each was answered at once; only the stalled one took 1 s on the wire.
  assert.ok(summary.serviceTime.p99 < 100, `service p99 ${summary.serviceTime.p99}`);
  assert.ok(summary.serviceTime.max >= 990);
});

test('beyond maxInFlight an arrival is dropped and counted', async (t) => {
  const server = await startServer(t, (_req, res) => {
    setTimeout(() => res.end('ok'), 400);
  });
  const summary = await runLoad({ scenario: openScenario(server.url, 50, 1000, 5) });
  assert.ok((summary.errors.dropped ?? 0) >= 25, `dropped ${summary.errors.dropped}`);
  assert.equal(summary.requests + (summary.errors.dropped ?? 0), 50);
  assert.equal(summary.requests, server.received());
  assert.ok(summary.errorRatio > 0.4);
});
