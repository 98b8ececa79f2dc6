/**
 * Spawns one process as the leader of its own process group, with stdin ignored and
 * stdout/stderr split into lines. When the leader exits the rest of its group is
 * killed too (as a container's processes die with its PID 1), so nothing outlives it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { LabError } from '../errors.js';
import { LineSplitter } from './line-splitter.js';
import type { ProcessSpec } from './types.js';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningProcess {
  readonly pid: number;
  /** Resolves once the process exited and its output was read to the end. */
  readonly exited: Promise<ExitInfo>;
  readonly hasExited: () => boolean;
  /** Signals the whole process group; a no-op once it is gone. */
  signalGroup(signal: NodeJS.Signals): void;
  /** The last lines it printed (stdout and stderr), oldest first. */
  recentOutput(): string[];
  /** Calls `listener` on every line it prints from now on; returns the unsubscribe. */
  onOutput(listener: () => void): () => void;
}

const RECENT_LINES = 10;
/** After the leader exits, how long to wait for its pipes to close before giving up on them. */
const DRAIN_MS = 1000;

export function resolveCommand(command: string): string {
  return command === 'node' ? process.execPath : command;
}

/** `label` names the process in messages: `service cafe replica cafe-1`. */
export function runProcess(spec: ProcessSpec, label: string, onLine: (stream: 'stdout' | 'stderr', line: string) => void): Promise<RunningProcess> {
  const command = resolveCommand(spec.command);
  const child = spawn(command, spec.args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(spec.uid === undefined ? {} : { uid: spec.uid }),
    ...(spec.gid === undefined ? {} : { gid: spec.gid }),
  });
  const recent: string[] = [];
  const outputListeners = new Set<() => void>();
  const splitters = {
    stdout: new LineSplitter((line) => deliver('stdout', line)),
    stderr: new LineSplitter((line) => deliver('stderr', line)),
  };
  function deliver(stream: 'stdout' | 'stderr', line: string): void {
    recent.push(line);
    if (recent.length > RECENT_LINES) recent.shift();
    onLine(stream, line);
    for (const listener of outputListeners) listener();
  }
  child.stdout.on('data', (chunk: Buffer) => splitters.stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => splitters.stderr.push(chunk));
  child.stdout.on('error', () => undefined);
  child.stderr.on('error', () => undefined);

  return new Promise((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return; // errors after spawn (a failed kill) change nothing
      reject(spawnError(error, spec, command, label));
    });
    child.once('spawn', () => {
      const pid = child.pid!;
      let done = false;
      const signalGroup = (signal: NodeJS.Signals): void => {
        if (done) return;
        try {
          process.kill(-pid, signal);
        } catch {
          // ESRCH: the group is gone already
        }
      };
      const exited = new Promise<ExitInfo>((resolveExit) => {
        let exit: ExitInfo | undefined;
        const finish = (): void => {
          if (done || !exit) return;
          clearTimeout(drainTimer);
          child.stdout.destroy();
          child.stderr.destroy();
          splitters.stdout.end();
          splitters.stderr.end();
          done = true;
          resolveExit(exit);
        };
        let drainTimer: NodeJS.Timeout | undefined;
        child.once('exit', (code, signal) => {
          exit = { code, signal };
          // What the leader left in its group dies with it; the pipes then close.
          try {
            process.kill(-pid, 'SIGKILL');
          } catch {
            // nothing left
          }
          // A process outside the group (one that called setsid) may hold the pipes open.
          drainTimer = setTimeout(finish, DRAIN_MS);
        });
        child.once('close', finish);
      });
      const onOutput = (listener: () => void): (() => void) => {
        outputListeners.add(listener);
        return () => outputListeners.delete(listener);
      };
      resolve({ pid, exited, hasExited: () => done, signalGroup, recentOutput: () => [...recent], onOutput });
    });
  });
}

function spawnError(error: NodeJS.ErrnoException, spec: ProcessSpec, command: string, label: string): LabError {
  const where = `command ${JSON.stringify(spec.command)}${command === spec.command ? '' : ` (${command})`} in cwd ${JSON.stringify(spec.cwd)}`;
  let why: string;
  let fix: string;
  if (error.code === 'ENOENT' && !existsSync(spec.cwd)) {
    why = 'the cwd does not exist';
    fix = 'create the directory or correct the cwd';
  } else if (error.code === 'ENOENT') {
    why = 'the command was not found';
    fix = 'install it, put it on PATH, or give its absolute path';
  } else if (error.code === 'EACCES') {
    why = 'permission denied (is it executable?)';
    fix = 'chmod +x it, or run it through its interpreter';
  } else {
    why = error.message;
    fix = 'check the command, cwd, uid and gid';
  }
  return new LabError('LAB_SUPERVISOR_SPAWN_FAILED', `${label} cannot start: ${where}: ${why}; fix: ${fix}`, { cause: error });
}
