/**
 * cafe and payments as real child processes, configured only by env, exactly as
 * the lab runs them. Each runs in its own process group; stop() kills the group.
 * Readiness is the `<name> listening on http://...` line, never a sleep.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export type ServiceName = 'cafe' | 'payments';

const START_TIMEOUT_MS = 20_000;
const OUTPUT_LINES = 200;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServiceProcess {
  readonly name: ServiceName;
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Resolves when the process has exited (and its output is read). */
  readonly exited: Promise<Exit>;
  /** The last lines of stdout and stderr, for assertion messages. */
  output(): string;
  /** Resolves with the first output line matching, reading lines already seen first. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the next output line matching, ignoring lines already seen. */
  nextLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends a signal to the service's process (not its group). */
  signal(signal: NodeJS.Signals): void;
  /** Kills the whole process group if anything is left, and waits for the exit. */
  stop(): Promise<Exit>;
}

/** The compiled entry point, dist/src/<name>/main.js, next to the compiled tests. */
export function mainPath(name: ServiceName): string {
  return fileURLToPath(new URL(`../../src/${name}/main.js`, import.meta.url));
}

/**
 * The environment a service starts with: PATH and the given variables only, so an
 * OTEL_* or DATABASE_URL in the developer's shell never leaks into a test.
 * Telemetry is off unless the test turns it on.
 */
export function serviceEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOST: '127.0.0.1', PORT: '0', OTEL_SDK_DISABLED: 'true', NODE_ENV: 'test' };
  const merged: NodeJS.ProcessEnv = { ...base };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/** Spawns the service; does not wait for it. */
export function spawnService(name: ServiceName, env: Record<string, string | undefined>): { child: ChildProcess; lines: string[]; exited: Promise<Exit>; onLine(listener: (line: string) => void): () => void } {
  const child = spawn(process.execPath, [mainPath(name)], { env: serviceEnv(env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  const onLine = (line: string): void => {
    lines.push(line);
    if (lines.length > OUTPUT_LINES) lines.shift();
    for (const listener of listeners) listener(line);
  };
  createInterface({ input: child.stdout }).on('line', onLine);
  createInterface({ input: child.stderr }).on('line', onLine);
  const exited = new Promise<Exit>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }));
    child.once('error', (err) => {
      onLine(`spawn error: ${err.message}`);
      resolve({ code: null, signal: null });
    });
  });
  return {
    child,
    lines,
    exited,
    onLine(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Starts the service and resolves once it prints its listening line. */
export async function startService(name: ServiceName, env: Record<string, string | undefined>): Promise<ServiceProcess> {
  const spawned = spawnService(name, env);
  const { child, lines, exited } = spawned;
  const output = (): string => lines.join('\n');

  const stop = async (): Promise<Exit> => {
    if (child.pid !== undefined && isRunning(child)) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is already gone
      }
    }
    return exited;
  };

  function waitForLine(pattern: RegExp, timeoutMs = START_TIMEOUT_MS): Promise<string> {
    const seen = lines.find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    return nextLine(pattern, timeoutMs);
  }

  function nextLine(pattern: RegExp, timeoutMs = START_TIMEOUT_MS): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`${name} printed no line matching ${pattern} within ${timeoutMs} ms; output:\n${output()}`));
      }, timeoutMs);
      const off = spawned.onLine((line) => {
        if (!pattern.test(line)) return;
        clearTimeout(timer);
        off();
        resolve(line);
      });
      void exited.then((exit) => {
        clearTimeout(timer);
        off();
        reject(new Error(`${name} exited (${exit.signal ?? exit.code}) before printing a line matching ${pattern}; output:\n${output()}`));
      });
    });
  }

  let url: string;
  try {
    const line = await waitForLine(new RegExp(`${name} listening on (http://[^\\s"'\\\\]+)`));
    url = new RegExp(`${name} listening on (http://[^\\s"'\\\\]+)`).exec(line)![1]!;
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    name,
    url,
    port: Number(new URL(url).port),
    child,
    exited,
    output,
    waitForLine,
    nextLine,
    signal(signal) {
      if (isRunning(child)) child.kill(signal);
    },
    stop,
  };
}
