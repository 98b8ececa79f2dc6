import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { LabError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses a command's flags. Go-style single-dash long flags (`-port 8474`, as
 * toxiproxy-server takes them) are read as their double-dash form.
 */
export function parseFlags<O extends Options>(command: string, argv: string[], options: O): ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>> {
  const longNames = new Set(Object.keys(options));
  const normalized = argv.map((arg) => {
    const m = /^-([a-z][a-z-]+)(=.*)?$/.exec(arg);
    return m && longNames.has(m[1] ?? '') ? `-${arg}` : arg;
  });
  try {
    return parseArgs({ args: normalized, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new LabError('LAB_CLI_BAD_FLAG', `cloudlab ${command}: ${(err as Error).message}; see cloudlab ${command} --help`, { cause: err });
  }
}

/** Reads a port flag: an integer from 0 to 65535. */
export function portFlag(command: string, name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new LabError('LAB_CLI_BAD_FLAG', `cloudlab ${command}: --${name} must be a port from 0 to 65535, received "${value}"`);
  }
  return port;
}

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Reads a duration flag such as `15s`, `500ms`, `1h` or `1h30m`; a bare number is seconds. */
export function durationFlag(command: string, name: string, value: string | undefined, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  const bare = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : undefined;
  let total = 0;
  const rest = value.replace(/(\d+(?:\.\d+)?)(ms|s|m|h)/g, (_, n: string, unit: string) => {
    total += Number(n) * (DURATION_UNITS_MS[unit] ?? 0);
    return '';
  });
  const ms = bare ?? (rest === '' && value !== '' ? total : NaN);
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new LabError('LAB_CLI_BAD_FLAG', `cloudlab ${command}: --${name} must be a duration such as 15s, 500ms or 1h, received "${value}"`);
  }
  return Math.round(ms);
}

/** Reads a positive integer flag (a count). */
export function countFlag(command: string, name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!/^[\d_]+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new LabError('LAB_CLI_BAD_FLAG', `cloudlab ${command}: --${name} must be a whole number of 1 or more, received "${value}"`);
  }
  return n;
}
