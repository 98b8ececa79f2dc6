/**
 * Creates a PostgreSQL data directory with initdb: password authentication
 * (scram-sha-256) for the superuser, whose password goes through a 0600 file
 * deleted right after. A failure reports initdb's last lines.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LabError } from '../errors.js';

export interface InitdbOptions {
  initdb: string;
  dataDir: string;
  superuser: string;
  password: string;
  env: Record<string, string>;
  /** Run as this user (the postgres user under root). */
  uid?: number;
  gid?: number;
}

/** Lines of initdb output kept for the error message. */
const KEEP_LINES = 15;
/** initdb takes a few seconds; one that hangs is stopped after this. */
const INITDB_TIMEOUT_MS = 120_000;

export async function runInitdb(options: InitdbOptions): Promise<void> {
  const workDir = dirname(options.dataDir);
  const pwfile = join(workDir, `.initdb-password-${randomBytes(6).toString('hex')}`);
  await writeFile(pwfile, `${options.password}\n`, { mode: 0o600, flag: 'wx' });
  try {
    if (options.uid !== undefined) await chown(pwfile, options.uid, options.gid ?? options.uid);
    const args = ['-D', options.dataDir, '-U', options.superuser, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '--no-sync', '-E', 'UTF8', '--locale=C'];
    await spawnInitdb(options, args, workDir);
  } finally {
    await rm(pwfile, { force: true });
  }
}

function spawnInitdb(options: InitdbOptions, args: string[], cwd: string): Promise<void> {
  const ids = options.uid === undefined ? {} : { uid: options.uid, gid: options.gid ?? options.uid };
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      lines.push(line.trimEnd());
      if (lines.length > KEEP_LINES) lines.shift();
    }
  };
  const fail = (why: string, cause?: unknown): LabError =>
    new LabError('LAB_DEPS_POSTGRES_INIT_FAILED', `initdb of ${options.dataDir} ${why}${lines.length > 0 ? `; its last lines:\n${lines.join('\n')}` : ''}`, cause === undefined ? {} : { cause });

  return new Promise((resolve, reject) => {
    const child = spawn(options.initdb, args, { cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], ...ids });
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), INITDB_TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(fail(`could not start (${options.initdb}): ${err.message}`, err));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else if (signal === 'SIGKILL') reject(fail(`did not finish within ${INITDB_TIMEOUT_MS / 1000} s`));
      else reject(fail(`${signal === null ? `failed with exit code ${code}` : `was stopped by ${signal}`} (a directory left by an interrupted run can be deleted with cloudlab down --volumes)`));
    });
  });
}
