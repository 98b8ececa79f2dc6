/** The `cloudlab load` tests' helpers: a local HTTP server, a temp directory, the CLI as a child. */
import type { TestContext } from 'node:test';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIN } from '../../helpers/cli.js';

export async function httpTarget(t: TestContext): Promise<string> {
  const server = createServer((_req, res) => res.end('ok'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cloudlab-load-cli-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The minimal scenario of issue 7, with extra lines appended. */
export async function scenarioFile(dir: string, target: string, extra = '', duration = '1s'): Promise<string> {
  const file = join(dir, 'scenario.yaml');
  await writeFile(file, `target: ${target}\nvus: 2\nduration: ${duration}\ntasks: [{ name: root, method: GET, path: / }]\n${extra}`);
  return file;
}

export interface LoadRun {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** `cloudlab load ...` in `cwd`, without OTLP variables; killed after the test if it still runs. */
export function load(t: TestContext, cwd: string, args: string[]): LoadRun {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  delete env['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT'];
  const child = spawn(process.execPath, [MAIN, 'load', ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = once(child, 'close').then(([code]) => code as number | null);
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Resolves once the child's stdout matches. */
export function waitFor(run: LoadRun, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (pattern.test(run.stdout())) {
        run.child.stdout?.off('data', check);
        resolve();
      }
    };
    run.child.stdout?.on('data', check);
    check();
    void run.exited.then((code) => reject(new Error(`exited (${code}) before printing ${pattern}; stderr: ${run.stderr()}`)));
  });
}
