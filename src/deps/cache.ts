/**
 * The cache: a real valkey-server or redis-server found on PATH, else the
 * built-in RESP cache (a node process running resp-main.js). Returns how to
 * launch it; the supervisor runs it.
 */
import { accessSync, constants } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabError } from '../errors.js';
import type { Launch } from './launch.js';
import { childEnv, urlHost } from './launch.js';
import { requireOneOf, requirePort, requireText } from './options.js';
import { reservePort } from './ports.js';

export type CacheEngineChoice = 'auto' | 'valkey' | 'redis' | 'builtin';
export type CacheEngine = 'valkey' | 'redis' | 'builtin';

export interface PrepareCacheOptions {
  /** The lab's state directory; the real engines get `<stateDir>/cache` as their working dir. */
  stateDir: string;
  host: string;
  /** 0 for a free port. */
  port: number;
  engine: CacheEngineChoice;
  /** Where valkey-server and redis-server are looked up (PATH); process.env by default. */
  env?: NodeJS.ProcessEnv;
}

export interface PreparedCache {
  launch: Launch;
  /** redis://host:port */
  url: string;
  port: number;
  engine: CacheEngine;
  /** The server binary, or null for the built-in cache. */
  binary: string | null;
  /** For the startup banner: why the built-in cache runs and how to get a real engine; null for a real engine. */
  hint: string | null;
}

const ENGINES: readonly CacheEngineChoice[] = ['auto', 'valkey', 'redis', 'builtin'];
const BINARIES = { valkey: 'valkey-server', redis: 'redis-server' } as const;
/** Debian packages that provide the binaries. */
const PACKAGES = { valkey: 'valkey-server', redis: 'redis-server' } as const;
const STOP_TIMEOUT_MS = 5_000;
/** The built-in cache's entry point, next to this file once compiled (dist/src/deps/). */
const RESP_MAIN = fileURLToPath(new URL('./resp-main.js', import.meta.url));

/** An executable named `name` on `path`, or null. */
export function findOnPath(name: string, path: string): string | null {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return isAbsolute(candidate) ? candidate : resolve(candidate);
    } catch {
      // not in this directory
    }
  }
  return null;
}

function chooseEngine(choice: CacheEngineChoice, path: string): { engine: CacheEngine; binary: string | null } {
  if (choice === 'builtin') return { engine: 'builtin', binary: null };
  if (choice === 'auto') {
    for (const engine of ['valkey', 'redis'] as const) {
      const binary = findOnPath(BINARIES[engine], path);
      if (binary !== null) return { engine, binary };
    }
    return { engine: 'builtin', binary: null };
  }
  const binary = findOnPath(BINARIES[choice], path);
  if (binary === null) {
    throw new LabError(
      'LAB_DEPS_CACHE_NOT_FOUND',
      `cache engine "${choice}" needs ${BINARIES[choice]}, which is not on PATH; install it (apt-get install ${PACKAGES[choice]}), or set the engine to "auto" or "builtin"`,
    );
  }
  return { engine: choice, binary };
}

export async function prepareCache(options: PrepareCacheOptions): Promise<PreparedCache> {
  const stateDir = requireText(options.stateDir, 'cache stateDir');
  const host = requireText(options.host, 'cache host');
  requirePort(options.port, 'cache port');
  const choice = requireOneOf(options.engine, ENGINES, 'cache engine');
  const env = options.env ?? process.env;
  const { engine, binary } = chooseEngine(choice, env['PATH'] ?? '');
  const port = await reservePort(host, options.port, 'the cache');
  const dir = resolve(stateDir, 'cache');
  await mkdir(dir, { recursive: true });
  const common = { name: 'cache', env: childEnv(env), cwd: dir, readiness: { type: 'tcp', host, port }, stopSignal: 'SIGTERM', stopTimeoutMs: STOP_TIMEOUT_MS } as const;
  const url = `redis://${urlHost(host)}:${port}`;

  if (binary === null) {
    const hint =
      choice === 'auto'
        ? 'built-in RESP cache (no valkey-server or redis-server on PATH; apt-get install valkey-server or redis-server for the real engine)'
        : 'built-in RESP cache (engine "builtin"; set it to "auto" with valkey-server or redis-server installed for the real engine)';
    const launch: Launch = { ...common, command: process.execPath, args: [RESP_MAIN, '--host', host, '--port', String(port)] };
    return { launch, url, port, engine, binary, hint };
  }
  // No persistence (a lab cache starts empty), no fork to the background; protected mode stays on.
  const args = ['--port', String(port), '--bind', host, '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--protected-mode', 'yes'];
  return { launch: { ...common, command: binary, args }, url, port, engine, binary, hint: null };
}
