/**
 * The network scenarios against a real fault proxy: each applies the right toxic or
 * outage through the Toxiproxy API and its removal undoes exactly that; faults coexist;
 * a duration expires on the lab's (here: manual) timer with an `expire` event.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addToxic, assertForwards, assertRefused, roundTripMs } from '../helpers/proxy-api.js';
import { chaosLab } from './chaos-lab.js';

test('each toxic scenario adds its own toxic and removing it leaves the others alone', async (t) => {
  const lab = await chaosLab(t);
  // A toxic someone else added: chaos must never touch it.
  await addToxic(lab.proxyUrl, 'postgres', { name: 'theirs', type: 'latency', attributes: { latency: 1 } });
  const cases = [
    { request: { scenario: 'postgres-latency', value: 300 }, proxy: 'postgres', type: 'latency', stream: 'downstream', attributes: { latency: 300, jitter: 0 } },
    { request: { scenario: 'postgres-bandwidth', value: '64' }, proxy: 'postgres', type: 'bandwidth', stream: 'downstream', attributes: { rate: 64 } },
    { request: { scenario: 'cache-latency', value: 50 }, proxy: 'cache', type: 'latency', stream: 'downstream', attributes: { latency: 50, jitter: 0 } },
    { request: { scenario: 'payments-latency', value: 0 }, proxy: 'payments', type: 'latency', stream: 'downstream', attributes: { latency: 0, jitter: 0 } },
    { request: { scenario: 'reset-peer', target: 'cache' }, proxy: 'cache', type: 'reset_peer', stream: 'downstream', attributes: { timeout: 0 } },
    { request: { scenario: 'reset-peer', target: 'payments', value: 250 }, proxy: 'payments', type: 'reset_peer', stream: 'downstream', attributes: { timeout: 250 } },
    {
      request: { scenario: 'toxic', target: 'payments', toxic: { type: 'http_error', stream: 'upstream' as const, toxicity: 0.5, attributes: { status_code: 503 } } },
      proxy: 'payments', type: 'http_error', stream: 'upstream', attributes: { status_code: 503 },
    },
  ];
  for (const c of cases) {
    const before = await lab.proxies();
    const fault = await lab.chaos.inject(c.request);
    assert.match(fault.id, /^f\d+$/);
    assert.equal(fault.origin, 'chaos');
    assert.equal(fault.target, c.proxy);
    assert.equal(fault.expiresAtMs, null);
    const after = await lab.proxy(c.proxy);
    const added = after.toxics.filter((x) => !before[c.proxy]!.toxics.some((b) => b.name === x.name));
    assert.equal(added.length, 1, `${c.request.scenario} added one toxic: ${JSON.stringify(after.toxics)}`);
    assert.equal(added[0]!.name, `chaos_${fault.id}_${c.type}`, 'a name unique to the fault');
    assert.equal(added[0]!.type, c.type);
    assert.equal(added[0]!.stream, c.stream);
    for (const [k, v] of Object.entries(c.attributes)) assert.equal(added[0]!.attributes[k], v, `${c.request.scenario}: attribute ${k}`);
    assert.deepEqual((await lab.chaos.status()).map((f) => f.id), [fault.id, 'toxic:postgres/theirs']);

    const [removed] = [await lab.chaos.remove(fault.id)];
    assert.equal(removed.id, fault.id);
    assert.deepEqual(await lab.proxies(), before, `${c.request.scenario}: the proxies are as they were`);
  }
  const actions = lab.events.since(0).map((e) => `${e.kind}/${e.action}`);
  assert.equal(actions.filter((a) => a === 'fault/inject').length, cases.length);
  assert.equal(actions.filter((a) => a === 'fault/remove').length, cases.length);
});

test('postgres-latency really delays replies, and its removal ends the delay', async (t) => {
  const lab = await chaosLab(t);
  const fault = await lab.chaos.inject({ scenario: 'postgres-latency', value: 200 });
  assert.ok((await roundTripMs(t, lab.ports['postgres']!)) >= 195, 'a round trip through postgres takes the latency');
  await lab.chaos.remove(fault.id);
  assert.ok((await roundTripMs(t, lab.ports['postgres']!)) < 150, 'and no longer once removed');
});

test('outages disable the proxy (connects refused) and enable it on removal; two outages of one proxy coexist', async (t) => {
  const lab = await chaosLab(t);
  const first = await lab.chaos.inject({ scenario: 'postgres-outage' });
  assert.equal((await lab.proxy('postgres')).enabled, false);
  await assertRefused(lab.ports['postgres']!);
  const cache = await lab.chaos.inject({ scenario: 'cache-outage' });
  const second = await lab.chaos.inject({ scenario: 'postgres-outage' });
  assert.deepEqual((await lab.chaos.status()).map((f) => f.id), [first.id, cache.id, second.id]);

  await lab.chaos.remove(first.id);
  assert.equal((await lab.proxy('postgres')).enabled, false, 'still down: the second outage holds it');
  await lab.chaos.remove(second.id);
  assert.equal((await lab.proxy('postgres')).enabled, true);
  await assertForwards(t, lab.ports['postgres']!);
  assert.equal((await lab.proxy('cache')).enabled, false, 'the cache outage is untouched');
  await lab.chaos.remove(cache.id);
  assert.equal((await lab.proxy('cache')).enabled, true);
});

test('two latency faults on one proxy coexist and each removes only its own toxic', async (t) => {
  const lab = await chaosLab(t);
  const a = await lab.chaos.inject({ scenario: 'postgres-latency', value: 100 });
  const b = await lab.chaos.inject({ scenario: 'postgres-latency', value: 200 });
  assert.deepEqual((await lab.proxy('postgres')).toxics.map((x) => x.name).sort(), [`chaos_${a.id}_latency`, `chaos_${b.id}_latency`]);
  await lab.chaos.remove(a.id);
  assert.deepEqual((await lab.proxy('postgres')).toxics.map((x) => x.name), [`chaos_${b.id}_latency`]);
  assert.deepEqual((await lab.chaos.status()).map((f) => f.id), [b.id]);
});

test('a duration: the lab removes the fault at expiry by its own timer, with an expire event', async (t) => {
  const lab = await chaosLab(t);
  const fault = await lab.chaos.inject({ scenario: 'postgres-latency', value: 2000, durationMs: 30_000 });
  assert.equal(fault.startedAtMs, lab.timers.now());
  assert.equal(fault.expiresAtMs, lab.timers.now() + 30_000);
  assert.deepEqual(lab.timers.pending(), [30_000]);
  const inject = lab.events.since(0).find((e) => e.action === 'inject');
  assert.equal(inject?.detail, `postgres-latency 2000 ms on postgres (${fault.id}, for 30 s)`);

  lab.timers.advance(29_999);
  assert.equal((await lab.chaos.status()).length, 1, 'not before its time');
  lab.timers.advance(1);
  // The expiry runs in the engine's queue; status() queues behind it.
  assert.deepEqual(await lab.chaos.status(), []);
  assert.deepEqual((await lab.proxy('postgres')).toxics, []);
  const expire = lab.events.since(0).find((e) => e.action === 'expire');
  assert.equal(expire?.kind, 'fault');
  assert.equal(expire?.detail, `postgres-latency 2000 ms on postgres expired after 30 s (${fault.id})`);
  assert.deepEqual(lab.timers.pending(), []);
});

test('removing a fault before its time clears its timer', async (t) => {
  const lab = await chaosLab(t);
  const fault = await lab.chaos.inject({ scenario: 'cache-outage', durationMs: 100 });
  await lab.chaos.remove(fault.id);
  assert.deepEqual(lab.timers.pending(), []);
  assert.equal((await lab.proxy('cache')).enabled, true);
});

test('a chaos toxic removed through the proxy API drops out of status with a remove event', async (t) => {
  const lab = await chaosLab(t);
  const fault = await lab.chaos.inject({ scenario: 'cache-latency', value: 10, durationMs: 60_000 });
  await fetch(`${lab.proxyUrl}/reset`, { method: 'POST' });
  assert.deepEqual(await lab.chaos.status(), []);
  assert.deepEqual(lab.timers.pending(), [], 'its timer is gone too');
  assert.ok(lab.events.since(0).some((e) => e.action === 'remove' && e.detail.includes(`removed outside chaos (${fault.id})`)));
});
