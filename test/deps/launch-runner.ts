/** Runs a Launch as the supervisor would, for tests: spawn, watch its output, stop it. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { TestContext } from 'node:test';
import type { Launch } from '../../src/deps/index.js';

export interface Running {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the first match of `pattern` in stdout or stderr; rejects if the process exits first. */
  waitFor: (pattern: RegExp) => Promise<RegExpExecArray>;
  /** Sends the launch's stop signal; resolves with the exit code and signal. */
  stop: () => Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function runLaunch(t: TestContext, launch: Launch): Running {
  const child = spawn(launch.command, launch.args, {
    env: launch.env,
    cwd: launch.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(launch.uid === undefined ? {} : { uid: launch.uid, gid: launch.gid ?? launch.uid }),
  });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (d: string): void => {
    output += d;
    for (const listener of listeners) listener();
  };
  child.stdout.setEncoding('utf8').on('data', onData);
  child.stderr.setEncoding('utf8').on('data', onData);
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  return {
    child,
    output: () => output,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const match = pattern.exec(output);
          if (match !== null) {
            listeners.delete(check);
            resolve(match);
          }
        };
        listeners.add(check);
        check();
        void exited.then(({ code, signal }) => {
          if (!listeners.has(check)) return;
          listeners.delete(check);
          reject(new Error(`${launch.name} exited (${code ?? signal}) before printing ${pattern}:\n${output}`));
        });
      }),
    stop: async () => {
      child.kill(launch.stopSignal);
      return exited;
    },
  };
}
