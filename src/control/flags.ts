/**
 * The services' failure flags. The lab keeps them as plain values in
 * `<stateDir>/flags.json` (the file the cafe reads through CAFE_FLAGS_FILE), written
 * atomically so a reader never sees half a file, and serves the same values over
 * OFREP (ofrep.ts).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LabError, describeValue } from '../errors.js';

export type FlagValue = boolean | number | string | Record<string, unknown>;

const KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,99}$/;

export interface FlagStore {
  all(): Record<string, FlagValue>;
  /** A version that changes with every write (the OFREP ETag). */
  version(): number;
  set(key: string, value: unknown): Promise<void>;
  remove(key: string): Promise<boolean>;
  clear(): Promise<void>;
}

export function validateFlag(key: string, value: unknown): FlagValue {
  if (!KEY.test(key)) throw new LabError('LAB_CONTROL_BAD_REQUEST', `flag key must be a letter then letters, digits, "_", "." or "-" (at most 100), received ${describeValue(key)}`);
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new LabError('LAB_CONTROL_BAD_REQUEST', `flags.${key}: value must be a boolean, a finite number, a string or an object, received ${describeValue(value)}`);
}

export async function createFlagStore(file: string): Promise<FlagStore> {
  let flags: Record<string, FlagValue> = {};
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) flags = parsed as Record<string, FlagValue>;
  } catch {
    // no flags yet
  }
  let version = 1;
  let writing: Promise<void> = Promise.resolve();
  const persist = (): Promise<void> => {
    const snapshot = `${JSON.stringify(flags, null, 2)}\n`;
    writing = writing.then(async () => {
      await mkdir(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, snapshot);
      await rename(tmp, file);
    });
    return writing;
  };
  await persist();
  return {
    all: () => ({ ...flags }),
    version: () => version,
    async set(key, value) {
      const checked = validateFlag(key, value);
      flags = { ...flags, [key]: checked };
      version++;
      await persist();
    },
    async remove(key) {
      if (!(key in flags)) return false;
      const rest = { ...flags };
      delete rest[key];
      flags = rest;
      version++;
      await persist();
      return true;
    },
    async clear() {
      flags = {};
      version++;
      await persist();
    },
  };
}
