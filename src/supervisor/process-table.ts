/**
 * `<stateDir>/run/processes.json`: every live process a supervisor started, so a later
 * run can kill what a killed run left behind (see reap-orphans.ts). Written
 * synchronously and atomically (temp file + rename) on every change.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HAS_PROC, readProcStat } from './proc-stat.js';

export interface ProcessRecord {
  pid: number;
  /** The process group (the pid: every process is spawned as a group leader). */
  pgid: number;
  /** ProcessSpec.name */
  name: string;
  replica: string;
  /** /proc start time in clock ticks; null where there is no /proc. */
  startTime: number | null;
  ownerPid: number;
  ownerStartTime: number | null;
}

export function processesFile(stateDir: string): string {
  return join(stateDir, 'run', 'processes.json');
}

export function readProcessRecords(stateDir: string): ProcessRecord[] {
  let text: string;
  try {
    text = readFileSync(processesFile(stateDir), 'utf8');
  } catch {
    return [];
  }
  try {
    const value = JSON.parse(text) as { processes?: unknown };
    return Array.isArray(value.processes) ? (value.processes as ProcessRecord[]).filter((r) => Number.isInteger(r.pid) && r.pid > 0) : [];
  } catch {
    return []; // a torn file cannot happen with rename, but a hand-edited one can
  }
}

export function writeProcessRecords(stateDir: string, records: ProcessRecord[]): void {
  const file = processesFile(stateDir);
  if (records.length === 0) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(join(stateDir, 'run'), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ processes: records }, null, 2) + '\n');
  renameSync(tmp, file);
}

export function startTimeOf(pid: number): number | null {
  return HAS_PROC ? (readProcStat(pid)?.startTime ?? null) : null;
}

/** One supervisor's view of the file: its own records plus those it found there (kept for reapOrphans). */
export class ProcessTable {
  readonly #stateDir: string;
  readonly #own = new Map<number, ProcessRecord>();
  #foreign: ProcessRecord[] | undefined;
  readonly #ownerStartTime = startTimeOf(process.pid);
  #warned = false;

  constructor(stateDir: string) {
    this.#stateDir = stateDir;
  }

  add(record: Omit<ProcessRecord, 'ownerPid' | 'ownerStartTime' | 'startTime'>): void {
    this.#own.set(record.pid, { ...record, startTime: startTimeOf(record.pid), ownerPid: process.pid, ownerStartTime: this.#ownerStartTime });
    this.#write();
  }

  remove(pid: number): void {
    if (this.#own.delete(pid)) this.#write();
  }

  #write(): void {
    try {
      this.#foreign ??= readProcessRecords(this.#stateDir);
      writeProcessRecords(this.#stateDir, [...this.#foreign, ...this.#own.values()]);
    } catch (error) {
      // The processes run either way; only the clean-up after a killed run is at stake.
      if (!this.#warned) process.emitWarning(`cloudlab supervisor: cannot record live processes in ${processesFile(this.#stateDir)}: ${String(error)}`);
      this.#warned = true;
    }
  }
}
