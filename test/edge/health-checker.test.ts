/** The health-check schedule with mocked timers: one round per interval, none after stop(). */
import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHealthChecks } from '../../src/edge/health-checker.js';
import type { BackendPool } from '../../src/edge/pool.js';

test('checks run every interval and never after stop()', (t) => {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  let rounds = 0;
  // No backends: this counts rounds without any I/O.
  const pool = { list: () => (rounds++, []) } as unknown as BackendPool;
  const checker = startHealthChecks({ pool, path: '/health', intervalMs: 100, timeoutMs: 50 });
  mock.timers.tick(99);
  assert.equal(rounds, 0, 'the first round waits one interval, as an ALB does');
  mock.timers.tick(1);
  assert.equal(rounds, 1);
  // Node 20's mock clock fires a timer set during a tick only on a later tick: one interval per tick.
  for (let i = 0; i < 3; i++) mock.timers.tick(100);
  assert.equal(rounds, 4);
  checker.stop();
  for (let i = 0; i < 10; i++) mock.timers.tick(100);
  assert.equal(rounds, 4, 'stopped: no more rounds');
});
