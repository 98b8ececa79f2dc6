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
