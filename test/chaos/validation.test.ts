/**
 * Bad requests fail with a code and a message naming the field, what was expected and
 * what arrived; a scenario the lab cannot run says why; a failed inject leaves nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseChaosRequest } from '../../src/chaos/index.js';
import { addToxic } from '../helpers/proxy-api.js';
import { chaosLab, fakeProcesses, rejectsWith } from './chaos-lab.js';

test('scenarios(): every pinned name with a real FIS action id, and availability from the lab', async (t) => {
  const full = await chaosLab(t, { cacheUrl: 'redis://127.0.0.1:6379' });
  const names = full.chaos.scenarios().map((s) => s.name);
  assert.deepEqual(names, [
    'postgres-latency', 'postgres-outage', 'postgres-bandwidth', 'cache-latency', 'cache-outage', 'payments-latency', 'payments-errors',
    'reset-peer', 'toxic', 'kill-replica', 'restart-postgres', 'flush-cache', 'postgres-connections', 'flag',
  ]);
  for (const s of full.chaos.scenarios()) {
    assert.match(s.fisAction, /^aws:(ecs|network|fis|rds|elasticache|ssm):[a-z-]+$/, s.name);
    assert.equal(s.available, true, `${s.name}: ${s.reason}`);
    assert.equal(s.reason, null);
  }
  const kill = full.chaos.scenarios().find((s) => s.name === 'kill-replica')!;
  assert.deepEqual(kill.target, { name: 'service', required: false, default: 'cafe' }, 'the first service with 2+ replicas');
  assert.equal(kill.instant, true);
  assert.deepEqual(full.chaos.scenarios().find((s) => s.name === 'postgres-latency')!.value, { name: 'latency_ms', unit: 'ms', required: true, default: null });

  // A lab with only a postgres proxy, an external database, no cache, no payments service.
  const small = await chaosLab(t, { proxies: ['postgres'], processes: fakeProcesses({ api: 1 }), cacheUrl: null });
  const unavailable = Object.fromEntries(small.chaos.scenarios().filter((s) => !s.available).map((s) => [s.name, s.reason]));
  assert.deepEqual(Object.keys(unavailable).sort(), ['cache-latency', 'cache-outage', 'flush-cache', 'payments-errors', 'payments-latency', 'restart-postgres']);
  assert.match(unavailable['cache-outage']!, /no fault proxy named "cache" \(proxies: postgres\)/);
  assert.match(unavailable['restart-postgres']!, /external/);
  assert.match(unavailable['flush-cache']!, /no cache/);
  await rejectsWith(small.chaos.inject({ scenario: 'cache-latency', value: 10 }), 'LAB_CHAOS_NOT_AVAILABLE', 'cache-latency is not available', 'no fault proxy named "cache"');
  await rejectsWith(small.chaos.inject({ scenario: 'restart-postgres' }), 'LAB_CHAOS_NOT_AVAILABLE', 'external');
  assert.equal(small.chaos.scenarios().find((s) => s.name === 'kill-replica')!.target!.default, 'api', 'else the first with replicas');
});

test('bad values, targets and durations name the field, the expectation and what arrived', async (t) => {
  const lab = await chaosLab(t);
  const m = await rejectsWith(lab.chaos.inject({ scenario: 'postgres-latancy', value: 1 }), 'LAB_CHAOS_UNKNOWN_SCENARIO', '"postgres-latancy"', 'postgres-latency, postgres-outage');
  assert.ok(m.includes('flag'), 'lists every scenario');
  await rejectsWith(lab.chaos.inject({ scenario: 'postgres-latency', value: 'abc' }), 'LAB_CHAOS_BAD_VALUE', 'postgres-latency: value (latency_ms)', 'an integer from 0 to 600000', 'received "abc"', 'fix:');
  await rejectsWith(lab.chaos.inject({ scenario: 'postgres-latency', value: 600_001 }), 'LAB_CHAOS_BAD_VALUE', 'received 600001');
  await rejectsWith(lab.chaos.inject({ scenario: 'postgres-latency', value: 1.5 }), 'LAB_CHAOS_BAD_VALUE', 'received 1.5');
  await rejectsWith(lab.chaos.inject({ scenario: 'postgres-latency' }), 'LAB_CHAOS_BAD_VALUE', 'value (latency_ms) must be given', 'received nothing');
  await rejectsWith(lab.chaos.inject({ scenario: 'postgres-bandwidth', value: -1 }), 'LAB_CHAOS_BAD_VALUE', 'value (rate)', 'received -1');
  await rejectsWith(lab.chaos.inject({ scenario: 'payments-errors', value: 1.5 }), 'LAB_CHAOS_BAD_VALUE', 'value (ratio)', 'from 0 to 1', 'received 1.5');
  await rejectsWith(lab.chaos.inject({ scenario: 'postgres-outage', value: 5 }), 'LAB_CHAOS_BAD_VALUE', 'postgres-outage: value', 'takes no value', 'received 5');
  await rejectsWith(lab.chaos.inject({ scenario: 'postgres-outage', target: 'cache' }), 'LAB_CHAOS_BAD_VALUE', 'postgres-outage: target', 'received "cache"');
  await rejectsWith(lab.chaos.inject({ scenario: 'reset-peer' }), 'LAB_CHAOS_BAD_VALUE', 'reset-peer: target (proxy)', 'postgres, cache, payments', 'received nothing');
  await rejectsWith(lab.chaos.inject({ scenario: 'reset-peer', target: 'db' }), 'LAB_CHAOS_BAD_VALUE', 'target (proxy)', 'postgres', 'received "db"');
  await rejectsWith(lab.chaos.inject({ scenario: 'kill-replica', target: 'nope' }), 'LAB_CHAOS_BAD_VALUE', 'target (service)', 'cafe, payments', 'received "nope"');
  await rejectsWith(lab.chaos.inject({ scenario: 'flag', target: '1bad', value: 1 }), 'LAB_CHAOS_BAD_VALUE', 'target (flag key)', 'received "1bad"');
  await rejectsWith(lab.chaos.inject({ scenario: 'postgres-outage', durationMs: 50 }), 'LAB_CHAOS_BAD_VALUE', 'postgres-outage: durationMs', 'from 100', '24 h', 'received 50');
  await rejectsWith(lab.chaos.inject({ scenario: 'postgres-outage', durationMs: 86_400_001 }), 'LAB_CHAOS_BAD_VALUE', 'durationMs', 'received 86400001');
  await rejectsWith(lab.chaos.inject({ scenario: 'kill-replica', durationMs: 1000 }), 'LAB_CHAOS_BAD_VALUE', 'kill-replica: durationMs', 'happens at once');
  await rejectsWith(lab.chaos.inject({ scenario: 'toxic', target: 'postgres' }), 'LAB_CHAOS_BAD_VALUE', 'toxic: the field toxic must be an object', 'received nothing');
  await rejectsWith(lab.chaos.inject({ scenario: 'toxic', target: 'postgres', toxic: { type: 'latency', stream: 'sideways' as 'upstream' } }), 'LAB_CHAOS_BAD_VALUE', 'toxic.stream', 'received "sideways"');
  await rejectsWith(lab.chaos.inject({ scenario: 'postgres-latency', value: 1, toxic: { type: 'latency' } }), 'LAB_CHAOS_BAD_VALUE', 'only the "toxic" scenario');
  // Nothing of it reached the proxy or the flags.
  assert.deepEqual(await lab.chaos.status(), []);
  assert.deepEqual(lab.processes.killed, []);
});

test('parseChaosRequest: unknown fields are named, types are checked', () => {
  assert.deepEqual(parseChaosRequest({ scenario: 'flag', target: 'cacheDisabled', value: true, durationMs: 1000 }), { scenario: 'flag', target: 'cacheDisabled', value: 'true', durationMs: 1000 });
  assert.throws(() => parseChaosRequest({ scenario: 'postgres-latency', latency: 5, extra: 1 }), /unknown fields "latency", "extra"; the fields are scenario, value, target, durationMs, toxic/);
  assert.throws(() => parseChaosRequest({ value: 5 }), (err: Error & { code?: string }) => err.code === 'LAB_CHAOS_BAD_VALUE' && /scenario must be a scenario name/.test(err.message));
  assert.throws(() => parseChaosRequest({ scenario: 'x', durationMs: '30s' }), /durationMs must be a number of milliseconds from 100 to 86400000, received "30s"/);
  assert.throws(() => parseChaosRequest({ scenario: 'toxic', toxic: { type: 'latency', colour: 'red' } }), /toxic: unknown field "colour"/);
  assert.throws(() => parseChaosRequest({ scenario: 'x', value: [1] }), /value must be a number, a string or a boolean, received \[1\]/);
});

test('a failed inject leaves nothing behind', async (t) => {
  const lab = await chaosLab(t);
  await addToxic(lab.proxyUrl, 'postgres', { name: 'taken', type: 'latency', attributes: { latency: 1 } });
  const before = await lab.proxies();
  // The proxy refuses the raw toxic's attribute: a bad value, and no toxic.
  await rejectsWith(lab.chaos.inject({ scenario: 'toxic', target: 'postgres', toxic: { type: 'latency', attributes: { latency: -5 } } }), 'LAB_CHAOS_BAD_VALUE', 'toxic: the proxy refused', 'latency');
  await rejectsWith(lab.chaos.inject({ scenario: 'toxic', target: 'postgres', toxic: { type: 'latency', name: 'taken', attributes: { latency: 9 } } }), 'LAB_CHAOS_BAD_VALUE', 'already exists', 'give toxic.name another name');
  await rejectsWith(lab.chaos.inject({ scenario: 'toxic', target: 'postgres', toxic: { type: 'warp', attributes: {} } }), 'LAB_CHAOS_BAD_VALUE', 'warp');
  assert.deepEqual(await lab.proxies(), before, 'the proxies are as they were (the existing "taken" untouched)');
  // Postgres that refuses connections: nothing held, nothing listed.
  await rejectsWith(lab.chaos.inject({ scenario: 'postgres-connections', value: 3 }), 'LAB_CHAOS_APPLY_FAILED', 'postgres-connections (opening 3 connection(s) to postgres) failed', 'ECONNREFUSED');
  // More replicas than run: nobody killed.
  await rejectsWith(lab.chaos.inject({ scenario: 'kill-replica', target: 'cafe', value: 3 }), 'LAB_CHAOS_BAD_VALUE', 'at most 2', 'received 3');
  assert.deepEqual(lab.processes.killed, []);
  assert.deepEqual((await lab.chaos.status()).map((f) => f.id), ['toxic:postgres/taken']);
  assert.equal(lab.events.since(0).length, 0, 'no event for what did not happen');
});

test('a proxy that does not answer: LAB_CHAOS_APPLY_FAILED with the cause, and no fault kept', async (t) => {
  const lab = await chaosLab(t);
  await lab.server.close();
  await rejectsWith(lab.chaos.inject({ scenario: 'postgres-latency', value: 10 }), 'LAB_CHAOS_APPLY_FAILED', 'did not answer POST /proxies/postgres/toxics', 'cloudlab status');
  await rejectsWith(lab.chaos.inject({ scenario: 'cache-outage' }), 'LAB_CHAOS_APPLY_FAILED', 'did not answer POST /proxies/cache');
  // Flags still work without the proxy, and status shows them.
  const flag = await lab.chaos.inject({ scenario: 'flag', target: 'cpuHog', value: '5' });
  assert.deepEqual((await lab.chaos.status()).map((f) => f.id), [flag.id]);
});
