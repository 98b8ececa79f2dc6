import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLabError } from '../../src/errors.js';
import { FIXTURES, SERVER, alive, call, fixtureService, lab, pidOf } from './helpers.js';

const T = { timeout: 30_000 };

function labError(code: string, check?: (message: string) => void): (error: unknown) => boolean {
  return (error) => {
    assert.ok(isLabError(error), `expected a LabError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    check?.(error.message);
    return true;
  };
}

test('start resolves once every replica is ready; each got its own port, PORT in its env', T, async (t) => {
  const { supervisor, events } = lab(t);
  await supervisor.start(fixtureService({ replicas: 2 }));
  const [service] = supervisor.status();
  assert.equal(service?.name, 'cafe');
  assert.deepEqual(service?.replicas.map((r) => [r.id, r.index, r.state, r.restarts]), [
    ['cafe-1', 1, 'ready', 0],
    ['cafe-2', 2, 'ready', 0],
  ]);
  const ports = service.replicas.map((r) => r.port);
  assert.notEqual(ports[0], ports[1]);
  for (const replica of service.replicas) {
    assert.ok(replica.port > 0 && replica.pid! > 0 && replica.startedAtMs !== null);
    assert.equal(await call(replica.port, '/env?name=PORT'), String(replica.port));
  }
  // per replica: starting (with the pid) before ready (with the same pid)
  for (const id of ['cafe-1', 'cafe-2']) {
    const mine = events.filter((e) => e.replica.id === id);
    assert.deepEqual(mine.map((e) => e.type), ['starting', 'ready']);
    assert.equal(mine[0]?.pid, pidOf(supervisor, id));
    assert.equal(mine[1]?.pid, pidOf(supervisor, id));
  }
});

test('"node" runs this Node; readiness tcp and none work', T, async (t) => {
  const { supervisor } = lab(t);
  const base = fixtureService({ name: 'tcp' });
  await supervisor.start({ ...base, build: (replica) => ({ ...base.build(replica), readiness: { type: 'tcp', host: '127.0.0.1', port: replica.port } }) });
  await supervisor.start({
    ...fixtureService({ name: 'worker' }),
    assignPorts: false,
    build: () => ({ name: 'worker', command: 'node', args: ['-e', 'setInterval(() => {}, 1000)'], env: {}, cwd: FIXTURES, readiness: { type: 'none' }, stopSignal: 'SIGTERM', stopTimeoutMs: 1000 }),
  });
  const [tcpStatus, worker] = supervisor.status();
  assert.equal(tcpStatus?.replicas[0]?.state, 'ready');
  assert.equal(worker?.replicas[0]?.state, 'ready');
  assert.equal(worker?.replicas[0]?.port, 0);
});

test('a process that exits at once fails start with its code and last output; replicas already up are stopped', T, async (t) => {
  const { supervisor, events } = lab(t);
  const spec = fixtureService({ replicas: 2, env: (index): Record<string, string> => (index === 2 ? { EXIT_AT_ONCE: '3' } : {}) });
  // replica 2 exits at once; replica 1 becomes ready, then goes again with the failed start
  await assert.rejects(
    supervisor.start(spec),
    labError('LAB_SUPERVISOR_EXITED', (message) => {
      assert.match(message, /^service cafe replica cafe-2 exited with code 3 before it was ready; its last output:/);
      assert.match(message, /\| fatal: DATABASE_URL is not set/);
      assert.match(message, /\| starting up/);
      assert.match(message, /fix: .*cd .*fixtures.* && node .*server\.mjs/);
    }),
  );
  assert.deepEqual(supervisor.status(), [], 'no half-started service');
  const started = events.filter((e) => e.type === 'starting').map((e) => e.pid!);
  assert.equal(started.length, 2);
  for (const pid of started) assert.equal(alive(pid), false, `pid ${pid} is gone`);
  const exited = events.find((e) => e.type === 'exited' && e.replica.id === 'cafe-2');
  assert.deepEqual(exited && exited.type === 'exited' ? [exited.code, exited.willRestartInMs] : undefined, [3, null]);
  // the name is free again
  await supervisor.start(fixtureService());
});

test('a check that never passes fails start after the start period, naming the check and its answer', T, async (t) => {
  const { supervisor, events } = lab(t);
  // Long enough for the fixture to start and answer on a busy machine, so the last check is its 503.
  const spec = fixtureService({ env: { HEALTH: 'fail' }, health: { startPeriodMs: 2000 } });
  await assert.rejects(
    supervisor.start(spec),
    labError('LAB_SUPERVISOR_NOT_READY', (message) => {
      assert.match(message, /^service cafe replica cafe-1 was not ready within its start period of 2000 ms; the last check: http:\/\/127\.0\.0\.1:\d+\/health answered 503/);
      assert.match(message, /fix: .*health\.startPeriodMs/);
    }),
  );
  const pid = events.find((e) => e.type === 'starting')!.pid!;
  assert.equal(alive(pid), false);
  assert.deepEqual(supervisor.status(), []);
});

test('a port nobody listens on reads "connection refused"', T, async (t) => {
  const { supervisor } = lab(t);
  const spec = fixtureService({ health: { startPeriodMs: 300 } });
  spec.build = (replica) => ({ ...fixtureService().build(replica), args: ['-e', 'setInterval(() => {}, 1000)'] });
  await assert.rejects(supervisor.start(spec), labError('LAB_SUPERVISOR_NOT_READY', (m) => assert.match(m, /\/health: connection refused/)));
});

test('a command that does not exist fails with SPAWN_FAILED naming it and the cwd', T, async (t) => {
  const { supervisor } = lab(t);
  const spec = fixtureService({ process: { command: 'cloudlab-no-such-command' } });
  await assert.rejects(
    supervisor.start(spec),
    labError('LAB_SUPERVISOR_SPAWN_FAILED', (message) => {
      assert.match(message, /command "cloudlab-no-such-command" in cwd ".*fixtures\/?"/);
      assert.match(message, /not found/);
    }),
  );
  const missingCwd = fixtureService({ process: { cwd: '/nonexistent/cloudlab' } });
  await assert.rejects(supervisor.start(missingCwd), labError('LAB_SUPERVISOR_SPAWN_FAILED', (m) => assert.match(m, /the cwd does not exist/)));
  assert.deepEqual(supervisor.status(), []);
});

test('an aborted start stops what it started and rejects with the reason', T, async (t) => {
  const { supervisor } = lab(t);
  const controller = new AbortController();
  supervisor.on((event) => {
    if (event.type === 'starting') controller.abort(new Error('user pressed Ctrl-C'));
  });
  const spec = fixtureService({ env: { HEALTH: 'fail' } });
  await assert.rejects(supervisor.start(spec, { signal: controller.signal }), /user pressed Ctrl-C/);
  assert.deepEqual(supervisor.status(), []);
});

test('invalid specs and duplicate names are refused with the field named', T, async (t) => {
  const { supervisor } = lab(t);
  await assert.rejects(supervisor.start(fixtureService({ replicas: -1 })), labError('LAB_SUPERVISOR_BAD_SPEC', (m) => assert.match(m, /service cafe: replicas must be a whole number >= 0, received -1/)));
  await assert.rejects(supervisor.start(fixtureService({ name: '../x' })), labError('LAB_SUPERVISOR_BAD_SPEC', (m) => assert.match(m, /received "\.\.\/x"/)));
  await assert.rejects(supervisor.start({ ...fixtureService(), restart: 'sometimes' as never }), labError('LAB_SUPERVISOR_BAD_SPEC', (m) => assert.match(m, /restart must be one of/)));
  await assert.rejects(
    supervisor.start(fixtureService({ process: { stopSignal: 'SIGHUP' as never } })),
    labError('LAB_SUPERVISOR_BAD_SPEC', (m) => assert.match(m, /stopSignal must be one of SIGTERM, SIGINT, SIGQUIT, received "SIGHUP"/)),
  );
  await supervisor.start(fixtureService({ replicas: 0 }));
  await assert.rejects(supervisor.start(fixtureService()), labError('LAB_SUPERVISOR_ALREADY_RUNNING'));
  assert.equal(SERVER.endsWith('server.mjs'), true);
});
