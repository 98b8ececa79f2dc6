/**
 * Tests that need a system binary (redis-server, prometheus, chromium, ...) call
 * `systemBinary()` first. When the binary is missing the test skips with a one-line
 * reason, unless CLOUDLAB_REQUIRE_ALL=1 (set by .ci/run), where it fails instead.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { TestContext } from 'node:test';

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

/**
 * Returns the binary's path, or skips the test (returning undefined) with the
 * Debian package that provides it. Under CLOUDLAB_REQUIRE_ALL=1 a missing binary throws.
 */
export function systemBinary(t: TestContext, name: string, debianPackage: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const found = findBinary(name, env['PATH'] ?? '');
  if (found) return found;
  const reason = `${name} not found on PATH (apt-get install ${debianPackage})`;
  if (requireAll(env)) throw new Error(`${reason}; CLOUDLAB_REQUIRE_ALL=1 turns this skip into a failure`);
  t.skip(reason);
  return undefined;
}
