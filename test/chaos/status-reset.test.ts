/**
 * status() shows everything active, whoever applied it: chaos faults, toxics and
 * outages applied through the proxy's API, flags away from their default; remove()
 * takes any of those ids; reset() undoes all of it; close() undoes chaos's own faults.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api } from '../helpers/net.js';
import { addToxic, assertForwards } from '../helpers/proxy-api.js';
import { chaosLab, rejectsWith } from './chaos-lab.js';

test('status lists external toxics, disabled proxies and non-default flags, and remove() removes each', async (t) => {
  const lab = await chaosLab(t);
  const own = await lab.chaos.inject({ scenario: 'payments-latency', value: 100, durationMs: 60_000 });
  await addToxic(lab.proxyUrl, 'postgres', { name: 'lag', type: 'latency', stream: 'upstream', attributes: { latency: 40 } });
  assert.equal((await api(lab.proxyUrl, 'POST', '/proxies/cache', { enabled: false })).status, 200);
  await lab.flags.set('cpuHog', 50);
  await lab.flags.set('cacheDisabled', false); // at its default: not a fault
  await lab.flags.set('slowMenuQueryMs', 0); // at its default: not a fault

  const status = await lab.chaos.status();
  assert.deepEqual(status.map((f) => [f.id, f.origin, f.scenario, f.target]), [
    [own.id, 'chaos', 'payments-latency', 'payments'],
    ['proxy:cache', 'proxy', 'outage', 'cache'],
    ['toxic:postgres/lag', 'proxy', 'toxic', 'postgres'],
    ['flag:cpuHog', 'flag', 'flag', 'cpuHog'],
  ]);
  assert.equal(status[0]!.expiresAtMs, lab.timers.now() + 60_000);
  assert.equal(status[2]!.detail, 'latency latency=40 jitter=0 on postgres (upstream, toxicity 1) as lag');
  assert.equal(status[3]!.value, 50);

  assert.equal((await lab.chaos.remove('toxic:postgres/lag')).id, 'toxic:postgres/lag');
  assert.deepEqual((await lab.proxy('postgres')).toxics, []);
  await lab.chaos.remove('proxy:cache');
  assert.equal((await lab.proxy('cache')).enabled, true);
  await assertForwards(t, lab.ports['cache']!);
  await lab.chaos.remove('flag:cpuHog');
  assert.equal(lab.flags.all()['cpuHog'], undefined);
  assert.deepEqual((await lab.chaos.status()).map((f) => f.id), [own.id]);
  const removals = lab.events.since(0).filter((e) => e.action === 'remove').map((e) => e.detail);
  assert.deepEqual(removals.map((d) => /\(([^()]+)\)$/.exec(d)?.[1]), ['toxic:postgres/lag', 'proxy:cache', 'flag:cpuHog']);

  await rejectsWith(lab.chaos.remove('toxic:postgres/lag'), 'LAB_CHAOS_FAULT_NOT_FOUND', '"toxic:postgres/lag"', own.id);
  await rejectsWith(lab.chaos.remove('f99'), 'LAB_CHAOS_FAULT_NOT_FOUND', '"f99"', 'cloudlab chaos status');
});

test('reset undoes every chaos fault, every toxic, every outage and every flag, and returns what was active', async (t) => {
  const lab = await chaosLab(t, { cacheUrl: null });
  await lab.flags.set('paymentFailureRate', 0.1);
  const a = await lab.chaos.inject({ scenario: 'postgres-latency', value: 10, durationMs: 5000 });
  const b = await lab.chaos.inject({ scenario: 'cache-outage' });
  const c = await lab.chaos.inject({ scenario: 'payments-errors', value: 0.5 });
  await addToxic(lab.proxyUrl, 'payments', { name: 'slow', type: 'latency', attributes: { latency: 5 } });
  await api(lab.proxyUrl, 'POST', '/proxies/postgres', { enabled: false });
  await lab.flags.set('memoryLeak', 64);

  const removed = await lab.chaos.reset();
  assert.deepEqual(removed.map((f) => f.id), [a.id, b.id, c.id, 'toxic:payments/slow', 'proxy:postgres', 'flag:memoryLeak']);
  const proxies = await lab.proxies();
  for (const p of Object.values(proxies)) {
    assert.equal(p.enabled, true, `${p.name} enabled`);
    assert.deepEqual(p.toxics, [], `${p.name} has no toxic`);
  }
  assert.deepEqual(lab.flags.all(), {}, 'every flag cleared');
  assert.deepEqual(await lab.chaos.status(), []);
  assert.deepEqual(lab.timers.pending(), [], 'no timer left');
  const reset = lab.events.since(0).find((e) => e.action === 'reset');
  assert.match(reset?.detail ?? '', /^chaos reset: 6 active fault\(s\) removed \(f1, f2, f3, toxic:payments\/slow, proxy:postgres, flag:memoryLeak\)/);
  // A fresh inject still works after a reset.
  const d = await lab.chaos.inject({ scenario: 'cache-outage' });
  assert.equal((await lab.proxy('cache')).enabled, false);
  await lab.chaos.remove(d.id);
});

test('close() undoes chaos faults (not the others), clears timers and refuses new faults', async (t) => {
  const lab = await chaosLab(t);
  await lab.chaos.inject({ scenario: 'postgres-outage', durationMs: 1000 });
  await lab.chaos.inject({ scenario: 'flag', target: 'cpuHog', value: 20 });
  await addToxic(lab.proxyUrl, 'cache', { name: 'kept', type: 'latency', attributes: { latency: 5 } });
  await lab.chaos.close();
  assert.equal((await lab.proxy('postgres')).enabled, true);
  assert.deepEqual(lab.flags.all(), {});
  assert.deepEqual((await lab.proxy('cache')).toxics.map((x) => x.name), ['kept'], 'not chaos\'s to undo');
  assert.deepEqual(lab.timers.pending(), []);
  await rejectsWith(lab.chaos.inject({ scenario: 'cache-outage' }), 'LAB_CHAOS_NOT_AVAILABLE', 'stopping');
});
