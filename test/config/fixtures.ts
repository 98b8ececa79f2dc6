/** Config test helpers: temporary directories with a cloudlab.yaml, and reading a LabError's lines. */
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabError } from '../../src/errors.js';
import { MASK } from '../../src/config/index.js';
import type { LabConfig } from '../../src/config/index.js';

/** A fresh directory, removed after the test. */
export async function tempDir(t: TestContext, prefix = 'cloudlab-config-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `text` as `name` (default cloudlab.yaml) in a fresh directory. */
export async function configDir(t: TestContext, text: string, name = 'cloudlab.yaml'): Promise<{ dir: string; file: string }> {
  const dir = await tempDir(t);
  const file = join(dir, name);
  await writeFile(file, text);
  return { dir, file };
}

/** Awaits a rejection with a LabError of `code`; returns its message lines. */
export async function rejectsWith(promise: Promise<unknown>, code: string): Promise<string[]> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof LabError, `expected a LabError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return err.message.split('\n');
  }
  assert.fail(`expected ${code}, but the promise resolved`);
}

/** The text of a YAML file from lines (keeps tests readable and positions exact). */
export const yaml = (...lines: string[]): string => `${lines.join('\n')}\n`;

/** What a round trip through `cloudlab config` keeps: all but where the file was, with the password masked. */
export function comparable(config: LabConfig): unknown {
  const rest: Record<string, unknown> = Object.fromEntries(Object.entries(structuredClone(config)).filter(([key]) => key !== 'source' && key !== 'dir'));
  const pg = config.dependencies.postgres;
  rest['dependencies'] = { ...config.dependencies, postgres: pg?.engine === 'embedded' ? { ...pg, password: MASK } : pg };
  return rest;
}
