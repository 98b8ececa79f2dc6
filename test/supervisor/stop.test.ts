import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLabError } from '../../src/errors.js';
import type { LogLine } from '../../src/supervisor/index.js';
import { alive, fixtureService, lab, pidOf } from './helpers.js';

const T = { timeout: 30_000 };

function grandchildPids(lines: LogLine[]): number[] {
  return lines.flatMap((l) => {
    const m = /^grandchild (\d+)$/.exec(l.line);
    return m ? [Number(m[1])] : [];
  });
}

test('stop ends the whole process group: grandchildren die too, even one that ignores SIGTERM', T, async (t) => {
  const lines: LogLine[] = [];
  const { supervisor, stateDir } = lab(t, { onLog: (line) => lines.push(line) });
  await supervisor.start(fixtureService({ replicas: 2, env: { GRANDCHILD: '1', GRANDCHILD_IGNORES_SIGTERM: '1' } }));
  const children = [pidOf(supervisor, 'cafe-1'), pidOf(supervisor, 'cafe-2')];
  const grandchildren = grandchildPids(lines);
  assert.equal(grandchildren.length, 2);
  assert.ok([...children, ...grandchildren].every(alive));
  const record = JSON.parse(readFileSync(join(stateDir, 'run', 'processes.json'), 'utf8')) as { processes: Array<{ pid: number; pgid: number; replica: string; startTime: number }> };
  assert.deepEqual(record.processes.map((p) => [p.pid, p.pgid, p.replica]).sort(), [
    [children[0], children[0], 'cafe-1'],
    [children[1], children[1], 'cafe-2'],
  ].sort());
  assert.ok(record.processes.every((p) => p.startTime > 0));

  await supervisor.stop();
  for (const pid of [...children, ...grandchildren]) assert.equal(alive(pid), false, `pid ${pid} is gone`);
  assert.equal(existsSync(join(stateDir, 'run', 'processes.json')), false, 'nothing left to reap');
  assert.deepEqual(supervisor.status()[0]!.replicas.map((r) => r.state), ['stopped', 'stopped']);
});

test('a process that ignores its stop signal is SIGKILLed at the deadline', T, async (t) => {
  const { supervisor, events } = lab(t);
  // stopTimeoutMs is long; the deadline given to stop() is what ends it
  await supervisor.start(fixtureService({ env: { IGNORE_SIGTERM: '1' }, process: { stopTimeoutMs: 60_000 } }));
  const pid = pidOf(supervisor, 'cafe-1');
  const started = performance.now();
  await supervisor.stop({ deadlineMs: 300 });
  const took = performance.now() - started;
  assert.ok(took >= 250 && took < 5000, `stop took ${took} ms`);
  assert.equal(alive(pid), false);
  const exit = events.find((e) => e.type === 'exited');
  assert.ok(exit?.type === 'exited');
  assert.deepEqual([exit.signal, exit.willRestartInMs], ['SIGKILL', null]);
});

test("without a deadline each process gets its stopTimeoutMs; stopSignal is the signal sent first", T, async (t) => {
  const { supervisor, events } = lab(t);
  await supervisor.start(fixtureService({ name: 'stubborn', env: { IGNORE_SIGTERM: '1' }, process: { stopTimeoutMs: 200 } }));
  await supervisor.start(fixtureService({ name: 'polite', env: { IGNORE_SIGTERM: '1' }, process: { stopSignal: 'SIGINT' } }));
  const started = performance.now();
  await supervisor.stop();
  assert.ok(performance.now() - started >= 150);
  const signals = events.flatMap((e) => (e.type === 'exited' ? [[e.replica.service, e.signal]] : []));
  // the fixture ignores SIGTERM but not SIGINT
  assert.deepEqual(signals, [
    ['polite', 'SIGINT'],
    ['stubborn', 'SIGKILL'],
  ]);
});

test('stop goes in reverse start order, and a stopped supervisor refuses new work', T, async (t) => {
  const { supervisor, events } = lab(t);
  await supervisor.start(fixtureService({ name: 'db' }));
  await supervisor.start(fixtureService({ name: 'api', replicas: 2 }));
  await supervisor.stop();
  assert.deepEqual(events.filter((e) => e.type === 'stopped').map((e) => e.replica.service), ['api', 'api', 'db']);
  await assert.rejects(supervisor.start(fixtureService({ name: 'late' })), (e) => isLabError(e) && e.code === 'LAB_SUPERVISOR_STOPPED');
  await assert.rejects(supervisor.scale('db', 2), (e) => isLabError(e) && e.code === 'LAB_SUPERVISOR_STOPPED');
  await supervisor.stop(); // twice is fine
});

test('a crashed replica waiting for its restart is simply stopped', T, async (t) => {
  const { supervisor, events } = lab(t, { backoff: { initialMs: 60_000, maxMs: 60_000 } });
  await supervisor.start(fixtureService());
  const exited = new Promise<void>((resolve) => supervisor.on((e) => e.type === 'exited' && resolve()));
  supervisor.kill('cafe-1');
  await exited;
  assert.equal(supervisor.status()[0]?.replicas[0]?.state, 'restarting');
  await supervisor.stop();
  assert.equal(supervisor.status()[0]?.replicas[0]?.state, 'stopped');
  assert.equal(events.at(-1)?.type, 'stopped');
});

test('stop during a rolling restart or a start leaves no process behind', T, async (t) => {
  const { supervisor, events } = lab(t);
  await supervisor.start(fixtureService({ replicas: 2 }));
  let stopping: Promise<void> | undefined;
  supervisor.on((event) => {
    if (event.type === 'stopped' && event.replica.id === 'cafe-1') stopping ??= supervisor.stop();
  });
  const late = fixtureService({ name: 'late', env: { HEALTH: 'fail' } });
  const [restarted, started] = await Promise.allSettled([supervisor.restart('cafe'), supervisor.start(late)]);
  await stopping;
  assert.equal(restarted.status, 'rejected');
  assert.equal(started.status, 'rejected');
  const pids = events.flatMap((e) => (e.type === 'starting' ? [e.pid!] : []));
  assert.ok(pids.length >= 3);
  for (const pid of pids) assert.equal(alive(pid), false, `pid ${pid} is gone`);
});
