import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLabError } from '../../src/errors.js';
import { alive, fixtureService, lab, pidOf } from './helpers.js';

const T = { timeout: 30_000 };

test('scale up adds ready replicas on new ports; scale down stops the highest index first', T, async (t) => {
  const { supervisor, events } = lab(t);
  await supervisor.start(fixtureService());
  await supervisor.scale('cafe', 3);
  const replicas = supervisor.status()[0]!.replicas;
  assert.deepEqual(replicas.map((r) => [r.id, r.state]), [
    ['cafe-1', 'ready'],
    ['cafe-2', 'ready'],
    ['cafe-3', 'ready'],
  ]);
  assert.equal(new Set(replicas.map((r) => r.port)).size, 3);
  const pids = replicas.map((r) => r.pid!);

  events.length = 0;
  await supervisor.scale('cafe', 1);
  assert.deepEqual(events.filter((e) => e.type === 'stopped').map((e) => e.replica.id), ['cafe-3', 'cafe-2']);
  assert.deepEqual(supervisor.status()[0]!.replicas.map((r) => r.id), ['cafe-1']);
  assert.deepEqual(pids.map(alive), [true, false, false]);
  // graceful: the fixture exits 0 on SIGTERM
  assert.deepEqual(events.filter((e) => e.type === 'exited').map((e) => (e.type === 'exited' ? e.code : undefined)), [0, 0]);

  await supervisor.scale('cafe', 2);
  assert.deepEqual(supervisor.status()[0]!.replicas.map((r) => [r.id, r.state]), [
    ['cafe-1', 'ready'],
    ['cafe-2', 'ready'],
  ]);
});

test('a failed scale-up removes what it added and leaves the rest running', T, async (t) => {
  const { supervisor } = lab(t);
  await supervisor.start(fixtureService({ env: (index): Record<string, string> => (index === 1 ? {} : { EXIT_AT_ONCE: '1' }) }));
  await assert.rejects(supervisor.scale('cafe', 2), (error) => isLabError(error) && error.code === 'LAB_SUPERVISOR_EXITED');
  assert.deepEqual(supervisor.status()[0]!.replicas.map((r) => [r.id, r.state]), [['cafe-1', 'ready']]);
});

test('restart is rolling: each replica stops, starts and is ready before the next, on its port', T, async (t) => {
  const { supervisor, events } = lab(t);
  await supervisor.start(fixtureService({ replicas: 2 }));
  const before = supervisor.status()[0]!.replicas;
  events.length = 0;
  await supervisor.restart('cafe');
  assert.deepEqual(
    events.filter((e) => e.type !== 'exited').map((e) => `${e.type} ${e.replica.id}`),
    ['stopped cafe-1', 'starting cafe-1', 'ready cafe-1', 'stopped cafe-2', 'starting cafe-2', 'ready cafe-2'],
  );
  const after = supervisor.status()[0]!.replicas;
  assert.deepEqual(after.map((r) => r.port), before.map((r) => r.port));
  for (let i = 0; i < 2; i++) {
    assert.notEqual(after[i]!.pid, before[i]!.pid);
    assert.equal(alive(before[i]!.pid!), false);
    assert.equal(after[i]!.restarts, 0, 'a rolling restart is not a crash restart');
  }
  assert.ok(pidOf(supervisor, 'cafe-2') > 0);
});

test('scale and restart of an unknown service name the known ones; a bad count is refused', T, async (t) => {
  const { supervisor } = lab(t);
  await supervisor.start(fixtureService({ replicas: 0 }));
  await assert.rejects(supervisor.scale('menu', 2), (e) => isLabError(e) && e.code === 'LAB_SUPERVISOR_UNKNOWN_SERVICE' && /the services are: cafe/.test(e.message));
  await assert.rejects(supervisor.restart('menu'), (e) => isLabError(e) && e.code === 'LAB_SUPERVISOR_UNKNOWN_SERVICE');
  await assert.rejects(supervisor.scale('cafe', 1.5), (e) => isLabError(e) && e.code === 'LAB_SUPERVISOR_BAD_SPEC' && /received 1\.5/.test(e.message));
});
