/** Runs the CLI in a directory of the test's own, for `cloudlab up` end-to-end tests. */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, chmod } from 'node:fs/promises';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { MAIN } from '../helpers/cli.js';

export const FIXTURES = new URL('../../../test/control/fixtures/', import.meta.url).pathname;

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A fresh directory for one lab; after the test, `cloudlab down --volumes` and removal. */
export async function labDir(t: TestContext, prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `cloudlab-${prefix}-`));
  // Under root, postgres runs as the postgres user, which must reach its data directory.
  await chmod(dir, 0o755);
  t.after(async () => {
    await run(dir, ['down', '--volumes']);
    await rm(dir, { recursive: true, force: true });
  });
  return dir;
}

export interface LabStateFile {
  pid: number;
  controlUrl: string;
  token: string;
  urls: Record<string, string>;
}

export async function labState(dir: string): Promise<LabStateFile> {
  return JSON.parse(await readFile(join(dir, '.cloudlab', 'run', 'lab.json'), 'utf8')) as LabStateFile;
}

export async function api<T>(state: LabStateFile, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${state.controlUrl}${path}`, { method, headers: { authorization: `Bearer ${state.token}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Processes whose command line mentions `dir`, or that run in it: what a lab left running. */
export function processesUnder(dir: string): Array<{ pid: number; cmdline: string }> {
  const found: Array<{ pid: number; cmdline: string }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue; // a zombie is already dead
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${entry}/cwd`);
      } catch {
        // not ours to read
      }
      if (cmdline.includes(dir) || cwd.startsWith(dir)) found.push({ pid: Number(entry), cmdline });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Polls `check` until it returns a value (the lab is another process tree: no events reach the test). */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
