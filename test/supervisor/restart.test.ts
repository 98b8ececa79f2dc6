import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLabError } from '../../src/errors.js';
import type { SupervisorEvent } from '../../src/supervisor/index.js';
import { alive, call, fixtureService, is, lab, nextEvent, pidOf, portOf } from './helpers.js';

const T = { timeout: 30_000 };

type Exited = Extract<SupervisorEvent, { type: 'exited' }>;

test('a crash restarts after a doubling backoff, on the same port; 10 s ready resets the backoff', T, async (t) => {
  let now = 1_000_000;
  const { supervisor } = lab(t, { backoff: { initialMs: 20, maxMs: 50 }, clock: () => now });
  await supervisor.start(fixtureService());
  const port = portOf(supervisor, 'cafe-1');
  const delays: Array<number | null> = [];
  for (let crash = 1; crash <= 4; crash++) {
    if (crash === 4) now += 10_000; // stayed ready 10 s: the next crash starts the backoff over
    const before = pidOf(supervisor, 'cafe-1');
    const exited = nextEvent(supervisor, is('exited', 'cafe-1')) as Promise<Exited>;
    const ready = nextEvent(supervisor, is('ready', 'cafe-1'));
    supervisor.kill('cafe-1');
    const exit = await exited;
    assert.equal(exit.pid, before);
    assert.equal(exit.signal, 'SIGKILL');
    assert.equal(exit.code, null);
    delays.push(exit.willRestartInMs);
    assert.equal(supervisor.status()[0]?.replicas[0]?.state, 'restarting');
    const again = await ready;
    assert.notEqual(again.pid, before);
    assert.equal(again.replica.port, port, 'the edge keeps its backend list');
    assert.equal(alive(before), false);
  }
  assert.deepEqual(delays, [20, 40, 50, 20]);
  const replica = supervisor.status()[0]!.replicas[0]!;
  assert.equal(replica.restarts, 4);
  assert.deepEqual(replica.lastExit, { code: null, signal: 'SIGKILL', atMs: now });
  assert.equal(await call(port, '/health'), 'ok');
});

test('a restart that exits before ready is a crash too: the backoff keeps doubling until one comes up', T, async (t) => {
  const { supervisor, stateDir } = lab(t, { backoff: { initialMs: 10, maxMs: 1000 } });
  const flag = join(stateDir, 'broken');
  await supervisor.start(fixtureService({ env: { EXIT_IF_FILE: flag } }));
  writeFileSync(flag, '');
  const delays: Array<number | null> = [];
  const ready = nextEvent(supervisor, is('ready'));
  const off = supervisor.on((event) => {
    if (event.type !== 'exited') return;
    delays.push(event.willRestartInMs);
    if (delays.length === 4) rmSync(flag);
  });
  supervisor.kill('cafe-1');
  await ready;
  off();
  assert.deepEqual(delays, [10, 20, 40, 80]);
  assert.deepEqual(supervisor.status()[0]!.replicas.map((r) => [r.state, r.restarts, r.lastExit?.code]), [['ready', 4, 1]]);
});

test("restart 'no': an exit is final; killed reads failed, a clean exit stopped", T, async (t) => {
  const { supervisor } = lab(t);
  await supervisor.start(fixtureService({ restart: 'no', replicas: 2 }));
  const killed = nextEvent(supervisor, is('exited', 'cafe-1')) as Promise<Exited>;
  supervisor.kill('cafe-1');
  assert.deepEqual([(await killed).signal, (await killed).willRestartInMs], ['SIGKILL', null]);
  const clean = nextEvent(supervisor, is('exited', 'cafe-2')) as Promise<Exited>;
  supervisor.kill('cafe-2', 'SIGTERM');
  const exit = await clean;
  assert.deepEqual([exit.code, exit.willRestartInMs], [0, null], 'the fixture exits 0 on SIGTERM');
  assert.deepEqual(
    supervisor.status()[0]!.replicas.map((r) => [r.id, r.state, r.pid, r.restarts]),
    [
      ['cafe-1', 'failed', null, 0],
      ['cafe-2', 'stopped', null, 0],
    ],
  );
});

test("restart 'on-failure': exit 0 stays down, a non-zero exit restarts", T, async (t) => {
  const { supervisor } = lab(t);
  await supervisor.start(fixtureService({ restart: 'on-failure', replicas: 2 }));
  const clean = nextEvent(supervisor, is('exited', 'cafe-1')) as Promise<Exited>;
  await call(portOf(supervisor, 'cafe-1'), '/exit?code=0');
  assert.equal((await clean).willRestartInMs, null);
  const failed = nextEvent(supervisor, is('exited', 'cafe-2')) as Promise<Exited>;
  const ready = nextEvent(supervisor, is('ready', 'cafe-2'));
  await call(portOf(supervisor, 'cafe-2'), '/exit?code=2');
  const exit = await failed;
  assert.deepEqual([exit.code, exit.willRestartInMs], [2, 20]);
  await ready;
  assert.deepEqual(
    supervisor.status()[0]!.replicas.map((r) => [r.id, r.state, r.restarts]),
    [
      ['cafe-1', 'stopped', 0],
      ['cafe-2', 'ready', 1],
    ],
  );
});

test('a restarted replica whose port was taken meanwhile gets a new one and says so', T, async (t) => {
  const { supervisor } = lab(t, { backoff: { initialMs: 50, maxMs: 50 } });
  await supervisor.start(fixtureService());
  const oldPort = portOf(supervisor, 'cafe-1');
  const squatter = net.createServer((socket) => socket.destroy());
  t.after(() => squatter.close());
  const exited = nextEvent(supervisor, is('exited'));
  const changed = nextEvent(supervisor, is('port-changed'));
  const ready = nextEvent(supervisor, is('ready'));
  supervisor.kill('cafe-1');
  await exited;
  squatter.listen(oldPort, '127.0.0.1');
  await once(squatter, 'listening');
  const change = await changed;
  assert.ok(change.type === 'port-changed');
  assert.equal(change.previousPort, oldPort);
  assert.notEqual(change.replica.port, oldPort);
  assert.equal((await ready).replica.port, change.replica.port);
  assert.equal(portOf(supervisor, 'cafe-1'), change.replica.port);
  assert.equal(await call(change.replica.port, '/env?name=PORT'), String(change.replica.port));
});

test('liveness: retries failed checks make a replica unhealthy, a passing one healthy again; no restart', T, async (t) => {
  const { supervisor } = lab(t);
  await supervisor.start(fixtureService({ health: { intervalMs: 30, retries: 2 } }));
  const pid = pidOf(supervisor, 'cafe-1');
  const port = portOf(supervisor, 'cafe-1');
  const unhealthy = nextEvent(supervisor, is('unhealthy'));
  await call(port, '/fail');
  assert.equal((await unhealthy).pid, pid);
  assert.equal(supervisor.status()[0]?.replicas[0]?.state, 'unhealthy');
  const healthy = nextEvent(supervisor, is('healthy'));
  await call(port, '/recover');
  await healthy;
  const replica = supervisor.status()[0]!.replicas[0]!;
  assert.deepEqual([replica.state, replica.pid, replica.restarts], ['ready', pid, 0]);
});

test('kill() of an unknown replica names the known ones', T, async (t) => {
  const { supervisor } = lab(t);
  await supervisor.start(fixtureService());
  assert.throws(
    () => supervisor.kill('cafe-9'),
    (error) => isLabError(error) && error.code === 'LAB_SUPERVISOR_UNKNOWN_REPLICA' && /no replica "cafe-9"; the replicas are: cafe-1/.test(error.message),
  );
});
