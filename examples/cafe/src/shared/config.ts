/**
 * Environment parsing shared by both services. Every reader names the variable,
 * what it expected and what arrived, so a bad deploy fails with one clear line.
 */

export type Env = Readonly<Record<string, string | undefined>>;

/** A configuration error: the service prints the message and exits 1. */
export class ConfigError extends Error {
  readonly code = 'CAFE_CONFIG_INVALID';
  readonly variable: string;

  constructor(variable: string, message: string) {
    super(message);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

function received(raw: string | undefined): string {
  return raw === undefined ? 'nothing (unset)' : JSON.stringify(raw);
}

function present(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

export interface IntOptions {
  default: number;
  min: number;
  max: number;
}

/** An integer within [min, max]; the default when unset or empty. */
export function readInt(env: Env, name: string, options: IntOptions): number {
  const raw = present(env, name);
  if (raw === undefined) return options.default;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(value) || value < options.min || value > options.max) {
    throw new ConfigError(name, `${name} must be an integer from ${options.min} to ${options.max}, received ${received(env[name])}`);
  }
  return value;
}

/** A finite number within [min, max]; the default when unset or empty. */
export function readNumber(env: Env, name: string, options: IntOptions): number {
  const raw = present(env, name);
  if (raw === undefined) return options.default;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < options.min || value > options.max) {
    throw new ConfigError(name, `${name} must be a number from ${options.min} to ${options.max}, received ${received(env[name])}`);
  }
  return value;
}

export interface UrlOptions {
  /** Accepted schemes with the colon, e.g. ['postgres:', 'postgresql:']. */
  protocols: readonly string[];
  /** Used when unset; omit to make the variable required. */
  default?: string;
}

/** A URL with one of the given schemes. Returns the string as given (credentials intact). */
export function readUrl(env: Env, name: string, options: UrlOptions): string {
  const raw = present(env, name) ?? options.default;
  const expected = `a ${options.protocols.map((p) => `${p}//`).join(' or ')} URL`;
  if (raw === undefined) throw new ConfigError(name, `${name} is required: ${expected}, received ${received(env[name])}`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `${name} must be ${expected}, received ${received(env[name])}`);
  }
  if (!options.protocols.includes(url.protocol)) {
    throw new ConfigError(name, `${name} must be ${expected}, received ${JSON.stringify(raw)}`);
  }
  return raw;
}

/** A plain string; the default when unset or empty. */
export function readString(env: Env, name: string, fallback: string): string {
  return present(env, name) ?? fallback;
}

/** An optional string: undefined when unset or empty. */
export function readOptionalString(env: Env, name: string): string | undefined {
  return present(env, name);
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function readLogLevel(env: Env, name = 'LOG_LEVEL'): LogLevel {
  const raw = present(env, name) ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `${name} must be one of ${LOG_LEVELS.join(', ')}, received ${received(env[name])}`);
  }
  return raw as LogLevel;
}

/** Settings both services read the same way. */
export interface CommonConfig {
  host: string;
  port: number;
  databaseUrl: string;
  dbPoolMax: number;
  dbStatementTimeoutMs: number;
  shutdownTimeoutMs: number;
  flagsFile: string | undefined;
  logLevel: LogLevel;
  /** Load shedding: answer 503 when the mean event-loop delay exceeds this. */
  shedEventLoopDelayMs: number;
  /** Load shedding: answer 503 when this many queries already wait for a pool connection. */
  shedPoolWaiting: number;
}

export function readCommonConfig(env: Env, defaultPort: number): CommonConfig {
  const dbPoolMax = readInt(env, 'DB_POOL_MAX', { default: 10, min: 1, max: 1000 });
  return {
    host: readString(env, 'HOST', '127.0.0.1'),
    port: readInt(env, 'PORT', { default: defaultPort, min: 0, max: 65535 }),
    databaseUrl: readUrl(env, 'DATABASE_URL', { protocols: ['postgres:', 'postgresql:'] }),
    dbPoolMax,
    dbStatementTimeoutMs: readInt(env, 'DB_STATEMENT_TIMEOUT_MS', { default: 2000, min: 1, max: 3_600_000 }),
    shutdownTimeoutMs: readInt(env, 'SHUTDOWN_TIMEOUT_MS', { default: 10_000, min: 0, max: 3_600_000 }),
    flagsFile: readOptionalString(env, 'CAFE_FLAGS_FILE'),
    logLevel: readLogLevel(env),
    shedEventLoopDelayMs: readInt(env, 'SHED_EVENT_LOOP_DELAY_MS', { default: 1000, min: 0, max: 3_600_000 }),
    shedPoolWaiting: readInt(env, 'SHED_POOL_WAITING', { default: dbPoolMax * 5, min: 0, max: 1_000_000 }),
  };
}
