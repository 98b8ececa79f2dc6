/**
 * Kills what a killed supervisor left behind. Every record of `<stateDir>/run/processes.json`
 * whose owner (the supervisor's process) is gone and whose process group still runs gets
 * SIGTERM, then SIGKILL after a short deadline, both to the whole group. The /proc start
 * time must match the record, so a pid the kernel reused for another program is left alone.
 * The processes are not our children (no exit event), so the wait polls /proc every 50 ms.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { HAS_PROC, groupMembers, isAlive, readProcStat } from './proc-stat.js';
import { readProcessRecords, writeProcessRecords } from './process-table.js';
import type { ProcessRecord } from './process-table.js';

export interface ReapOptions {
  /** Also kill processes whose supervisor still runs (a hung `cloudlab up`); default false. */
  includeLiveOwners?: boolean;
  /** Wait after SIGTERM before SIGKILL; default 2000 ms. */
  termTimeoutMs?: number;
}

export interface ReapResult {
  killed: Array<{ pid: number; name: string }>;
  /** Records left alone because their supervisor still runs (it owns them). */
  skipped: Array<{ pid: number; name: string; ownerPid: number }>;
}

const POLL_MS = 50;
const KILL_WAIT_MS = 2000;

export async function reapOrphans(stateDir: string, options: ReapOptions = {}): Promise<ReapResult> {
  const records = readProcessRecords(stateDir);
  const keep: ProcessRecord[] = [];
  const skipped: ReapResult['skipped'] = [];
  const targets: ProcessRecord[] = [];
  for (const record of records) {
    if (!options.includeLiveOwners && ownerAlive(record)) {
      keep.push(record);
      skipped.push({ pid: record.pid, name: record.name, ownerPid: record.ownerPid });
    } else if (groupAlive(record)) {
      targets.push(record);
    }
  }
  for (const target of targets) signalGroup(target.pgid, 'SIGTERM');
  await waitUntilGone(targets, options.termTimeoutMs ?? 2000);
  const stubborn = targets.filter(groupAlive);
  for (const target of stubborn) signalGroup(target.pgid, 'SIGKILL');
  await waitUntilGone(stubborn, KILL_WAIT_MS);
  writeProcessRecords(stateDir, keep);
  return { killed: targets.map((t) => ({ pid: t.pid, name: t.name })), skipped };
}

function ownerAlive(record: ProcessRecord): boolean {
  if (record.ownerPid === process.pid) return true;
  if (!HAS_PROC) return isAlive(record.ownerPid);
  const owner = readProcStat(record.ownerPid);
  return owner !== undefined && owner.state !== 'Z' && (record.ownerStartTime === null || owner.startTime === record.ownerStartTime);
}

/** Does the recorded process group still have a live member that is ours (not a reused pid)? */
function groupAlive(record: ProcessRecord): boolean {
  if (!HAS_PROC) return isAlive(record.pid);
  const leader = readProcStat(record.pid);
  if (leader && leader.state !== 'Z') {
    // Linux keeps a pid allocated while it names a live group, so a different start time
    // means our group is gone and the pid now belongs to someone else.
    return record.startTime === null || leader.startTime === record.startTime;
  }
  if (record.startTime === null) return false;
  // The leader died but members (grandchildren) may remain; they started after it.
  const since = record.startTime;
  return groupMembers(record.pgid).some((m) => m.startTime >= since);
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: gone already; EPERM: not ours to kill
  }
}

async function waitUntilGone(targets: ProcessRecord[], timeoutMs: number): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (targets.some(groupAlive) && performance.now() < until) await sleep(POLL_MS);
}
