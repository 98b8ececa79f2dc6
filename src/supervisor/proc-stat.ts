/** Reads /proc/<pid>/stat (Linux): start time (pid-reuse check), process group and state. */
import { readFileSync, readdirSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  /** 'R', 'S', 'Z' (zombie: dead, not yet reaped), ... */
  state: string;
  pgrp: number;
  /** Clock ticks since boot; with the pid, identifies one process across pid reuse. */
  startTime: number;
}

export const HAS_PROC = (() => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
})();

export function readProcStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: fields resume after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const pgrp = Number(fields[2]);
  const startTime = Number(fields[19]);
  if (state === undefined || !Number.isFinite(pgrp) || !Number.isFinite(startTime)) return undefined;
  return { pid, state, pgrp, startTime };
}

/** Live (not zombie) processes whose process group is `pgid`. */
export function groupMembers(pgid: number): ProcStat[] {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  const out: ProcStat[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const s = readProcStat(Number(name));
    if (s && s.pgrp === pgid && s.state !== 'Z') out.push(s);
  }
  return out;
}

/** True when the process runs (a zombie counts as gone). Without /proc, asks kill(pid, 0). */
export function isAlive(pid: number): boolean {
  if (HAS_PROC) {
    const s = readProcStat(pid);
    return s !== undefined && s.state !== 'Z';
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
