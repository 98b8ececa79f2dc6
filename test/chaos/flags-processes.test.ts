/**
 * The app-level and process scenarios: payments-errors and flag set a flag in the real
 * flag store and restore what was there; kill-replica and restart-postgres act through
 * the supervisor port (a fake here: see chaos-lab.ts; the e2e test uses the real one).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chaosLab, fakeProcesses, rejectsWith } from './chaos-lab.js';

test('payments-errors sets paymentFailureRate and its removal restores the previous value', async (t) => {
  const lab = await chaosLab(t);
  await lab.flags.set('paymentFailureRate', 0.1);
  const fault = await lab.chaos.inject({ scenario: 'payments-errors', value: '0.3' });
  assert.equal(lab.flags.all()['paymentFailureRate'], 0.3);
  assert.equal(fault.value, 0.3);
  assert.equal(fault.detail, 'flag paymentFailureRate = 0.3: payments answers 503 for 30 % of charges');
  assert.deepEqual((await lab.chaos.status()).map((f) => f.id), [fault.id], 'the flag is the fault\'s, not listed twice');
  await lab.chaos.remove(fault.id);
  assert.equal(lab.flags.all()['paymentFailureRate'], 0.1, 'the previous value is back');
  assert.deepEqual((await lab.chaos.status()).map((f) => f.id), ['flag:paymentFailureRate'], 'an active flag set another way');
});

test('flag: JSON-ish values, removal of a flag that was not set removes it; layers restore in any order', async (t) => {
  const lab = await chaosLab(t);
  const on = await lab.chaos.inject({ scenario: 'flag', target: 'cacheDisabled', value: 'true' });
  assert.equal(lab.flags.all()['cacheDisabled'], true);
  assert.equal(on.value, 'true');
  assert.equal(on.detail, 'flag cacheDisabled = true');
  await lab.chaos.remove(on.id);
  assert.equal('cacheDisabled' in lab.flags.all(), false, 'it was not set before');

  await lab.flags.set('cpuHog', 5);
  const a = await lab.chaos.inject({ scenario: 'flag', target: 'cpuHog', value: '50' });
  const b = await lab.chaos.inject({ scenario: 'flag', target: 'cpuHog', value: 80 });
  const c = await lab.chaos.inject({ scenario: 'flag', target: 'note', value: 'hello' });
  assert.equal(lab.flags.all()['cpuHog'], 80);
  assert.equal(lab.flags.all()['note'], 'hello');
  await lab.chaos.remove(a.id);
  assert.equal(lab.flags.all()['cpuHog'], 80, 'the top layer stays');
  await lab.chaos.remove(b.id);
  assert.equal(lab.flags.all()['cpuHog'], 5, 'the value before chaos');
  await lab.chaos.remove(c.id);
  assert.deepEqual(lab.flags.all(), { cpuHog: 5 });
});

test('a flag fault with a duration restores the flag at expiry', async (t) => {
  const lab = await chaosLab(t);
  await lab.chaos.inject({ scenario: 'flag', target: 'slowMenuQueryMs', value: 1500, durationMs: 10_000 });
  lab.timers.advance(10_000);
  assert.deepEqual(await lab.chaos.status(), []);
  assert.deepEqual(lab.flags.all(), {});
  assert.match(lab.events.since(0).at(-1)!.detail, /^flag slowMenuQueryMs = 1500 expired after 10 s \(f1\)$/);
});

test('kill-replica: the default service is the first with 2+ replicas; n replicas get SIGKILL; nothing is kept', async (t) => {
  const processes = fakeProcesses({ payments: 1, cafe: 3, postgres: 1 }, ['payments', 'cafe']);
  const lab = await chaosLab(t, { processes });
  const pids = processes.replicas('cafe').map((r) => r.pid);
  const fault = await lab.chaos.inject({ scenario: 'kill-replica' });
  assert.equal(fault.target, 'cafe');
  assert.equal(fault.value, 1);
  assert.equal(fault.expiresAtMs, null);
  assert.deepEqual(processes.killed, ['cafe-1']);
  assert.equal(fault.detail, `SIGKILL to cafe-1 (pid ${pids[0]}); the supervisor restarts them`);
  assert.deepEqual(await lab.chaos.status(), [], 'instant: not kept as active');
  await lab.chaos.inject({ scenario: 'kill-replica', target: 'cafe', value: '2' });
  assert.deepEqual(processes.killed, ['cafe-1', 'cafe-1', 'cafe-2']);
  await lab.chaos.inject({ scenario: 'kill-replica', target: 'payments' });
  assert.deepEqual(processes.killed.at(-1), 'payments-1');
  assert.deepEqual(lab.events.since(0).map((e) => e.action), ['inject', 'inject', 'inject']);
  // A replica that is restarting is not running: with none running, nothing to kill.
  processes.table.get('payments')![0]!.state = 'restarting';
  await rejectsWith(lab.chaos.inject({ scenario: 'kill-replica', target: 'payments' }), 'LAB_CHAOS_APPLY_FAILED', 'no replica of payments is running');
});

test('restart-postgres asks the supervisor to restart postgres and answers after it', async (t) => {
  const lab = await chaosLab(t);
  const fault = await lab.chaos.inject({ scenario: 'restart-postgres' });
  assert.deepEqual(lab.processes.restarted, ['postgres']);
  assert.equal(fault.target, 'postgres');
  assert.match(fault.detail, /^postgres restarted through the supervisor, ready again after \d+ ms$/);
  assert.deepEqual(await lab.chaos.status(), []);
  lab.processes.restartProcess = () => Promise.reject(new Error('postgres exited with code 1 before it was ready'));
  await rejectsWith(lab.chaos.inject({ scenario: 'restart-postgres' }), 'LAB_CHAOS_APPLY_FAILED', 'restart-postgres (the supervisor restarting postgres) failed', 'exited with code 1');
});
