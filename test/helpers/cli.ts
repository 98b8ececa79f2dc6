/** The CLI as a child process, for tests: spawn, read its output, wait for a line. */
import type { TestContext } from 'node:test';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Compiled to dist/test/helpers/; the CLI is dist/src/cli/main.js and package.json is at the root.
export const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
export const VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or the signal that ended it). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns the CLI; kills it after the test if it still runs. */
export function cli(t: TestContext, args: string[]): Run {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  // 'close' waits for the output streams too, so stdout/stderr are complete.
  const exited = once(child, 'close').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Resolves with the first match of `pattern` in the child's stdout, or fails if it exits first. */
export function waitForLine(run: Run, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const m = pattern.exec(run.stdout());
      if (m) {
        run.child.stdout?.off('data', check);
        resolve(m);
      }
    };
    run.child.stdout?.on('data', check);
    check();
    void run.exited.then(({ code }) => reject(new Error(`exited (${code}) before printing ${pattern}; stderr: ${run.stderr()}`)));
  });
}
