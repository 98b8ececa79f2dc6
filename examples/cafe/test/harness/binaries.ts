/**
 * System binaries the tests need (redis-server). A missing binary skips the tests
 * with a one-line reason naming the Debian package, unless CLOUDLAB_REQUIRE_ALL=1
 * (set by .ci/run), where it fails instead. The cafe example is self-contained, so
 * this mirrors the lab's own test helper rather than importing it.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Finds an executable on PATH (or an absolute path); undefined when there is none. */
export function findBinary(name: string, path = process.env['PATH'] ?? ''): string | undefined {
  const candidates = name.includes('/') ? [name] : path.split(delimiter).filter(Boolean).map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next directory
    }
  }
  return undefined;
}

export function requireAll(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['CLOUDLAB_REQUIRE_ALL'] === '1';
}

export interface BinaryCheck {
  /** The executable's path, when found. */
  path: string | undefined;
  /** The one-line reason to skip with, when missing. */
  reason: string;
}

export function checkBinary(name: string, debianPackage: string, env: NodeJS.ProcessEnv = process.env): BinaryCheck {
  return { path: findBinary(name, env['PATH'] ?? ''), reason: `${name} not found on PATH (apt-get install ${debianPackage})` };
}

/**
 * The `skip` option for a suite that needs the binary: the reason when it is
 * missing; false when it is there, or when CLOUDLAB_REQUIRE_ALL=1 (the suite then
 * runs and fails in `requireBinary`).
 */
export function skipUnless(check: BinaryCheck, env: NodeJS.ProcessEnv = process.env): string | false {
  if (check.path !== undefined || requireAll(env)) return false;
  return check.reason;
}

/** The binary's path, or an error naming the package (and the CLOUDLAB_REQUIRE_ALL rule when set). */
export function requireBinary(check: BinaryCheck, env: NodeJS.ProcessEnv = process.env): string {
  if (check.path !== undefined) return check.path;
  const suffix = requireAll(env) ? '; CLOUDLAB_REQUIRE_ALL=1 turns this skip into a failure' : '';
  throw new Error(`${check.reason}${suffix}`);
}

export const REDIS_SERVER = checkBinary('redis-server', 'redis-server');
