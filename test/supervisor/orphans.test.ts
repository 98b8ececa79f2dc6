import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reapOrphans } from '../../src/supervisor/index.js';
import { HOST, SERVER, SUPERVISOR_MODULE, alive, tempDir } from './helpers.js';

const T = { timeout: 60_000 };
const HAS_PROC = existsSync('/proc/self/stat');

function startTime(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
}

/** A process that sleeps in its own group (as the supervisor spawns them), killed after the test. */
async function sleeper(t: Parameters<typeof tempDir>[0]): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { detached: true, stdio: 'ignore' });
  await once(child, 'spawn');
  const exited = once(child, 'exit');
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  return child.pid!;
}

test('reapOrphans kills what a SIGKILLed supervisor left: replicas and their grandchildren', { ...T, skip: !HAS_PROC && 'needs /proc (Linux)' }, async (t) => {
  const stateDir = tempDir(t);
  const host = spawn(process.execPath, [HOST, SUPERVISOR_MODULE, stateDir, SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const hostExit = once(host, 'exit');
  const seen: { pids?: { replicas: number[]; grandchildren: number[] } } = {};
  t.after(async () => {
    // whatever happens, nothing of this test survives it
    if (host.exitCode === null && host.signalCode === null) host.kill('SIGKILL');
    for (const pid of [...(seen.pids?.replicas ?? []), ...(seen.pids?.grandchildren ?? [])]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    await hostExit;
  });
  let out = '';
  host.stdout.setEncoding('utf8');
  for await (const chunk of host.stdout) {
    out += chunk as string;
    if (out.includes('\n')) break;
  }
  const pids = JSON.parse(out.split('\n')[0]!) as { replicas: number[]; grandchildren: number[] };
  seen.pids = pids;
  assert.equal(pids.replicas.length, 2);
  assert.equal(pids.grandchildren.length, 2);

  host.kill('SIGKILL');
  await hostExit;
  const everyone = [...pids.replicas, ...pids.grandchildren];
  assert.deepEqual(everyone.map(alive), [true, true, true, true], 'a killed supervisor leaves its processes running');

  const result = await reapOrphans(stateDir);
  assert.deepEqual(
    result.killed.map((k) => [k.pid, k.name]).sort(),
    pids.replicas.map((pid) => [pid, 'orphan-server']).sort(),
  );
  assert.deepEqual(result.skipped, []);
  assert.deepEqual(everyone.map(alive), [false, false, false, false]);
  assert.equal(existsSync(join(stateDir, 'run', 'processes.json')), false, 'the record is cleared');
  assert.deepEqual(await reapOrphans(stateDir), { killed: [], skipped: [] }, 'a second reap finds nothing');
});

test('reapOrphans spares a reused pid, and processes whose supervisor still runs', { ...T, skip: !HAS_PROC && 'needs /proc (Linux)' }, async (t) => {
  const stateDir = tempDir(t);
  const reused = await sleeper(t);
  const owned = await sleeper(t);
  const orphan = await sleeper(t);
  const record = (pid: number, name: string, start: number, ownerPid: number): object => ({ pid, pgid: pid, name, replica: `${name}-1`, startTime: start, ownerPid, ownerStartTime: null });
  mkdirSync(join(stateDir, 'run'), { recursive: true });
  writeFileSync(
    join(stateDir, 'run', 'processes.json'),
    JSON.stringify({
      processes: [
        record(reused, 'reused', startTime(reused) - 1, 0), // same pid, another start time: not ours
        record(owned, 'owned', startTime(owned), process.pid), // its supervisor (this process) runs
        record(orphan, 'orphan', startTime(orphan), 0),
      ],
    }),
  );
  const result = await reapOrphans(stateDir);
  assert.deepEqual(result.killed, [{ pid: orphan, name: 'orphan' }]);
  assert.deepEqual(result.skipped, [{ pid: owned, name: 'owned', ownerPid: process.pid }]);
  assert.deepEqual([alive(reused), alive(owned), alive(orphan)], [true, true, false]);
  // the live owner's record stays for it to clear
  const left = JSON.parse(readFileSync(join(stateDir, 'run', 'processes.json'), 'utf8')) as { processes: Array<{ pid: number }> };
  assert.deepEqual(left.processes.map((p) => p.pid), [owned]);
  // forced: the owner's processes go too
  const forced = await reapOrphans(stateDir, { includeLiveOwners: true });
  assert.deepEqual(forced.killed, [{ pid: owned, name: 'owned' }]);
  assert.equal(alive(owned), false);
});

test('reapOrphans with no record finds nothing', async (t) => {
  assert.deepEqual(await reapOrphans(tempDir(t)), { killed: [], skipped: [] });
});
