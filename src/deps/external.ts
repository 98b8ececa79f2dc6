/**
 * External dependencies (RDS, ElastiCache, any URL): nothing runs locally; the
 * URL is checked once so a typo fails at start, not at the first query.
 */
import { describeValue, LabError } from '../errors.js';

export interface ExternalDependency {
  url: string;
}

/** The URL for a message: the password replaced by `***`. */
function redact(url: URL): string {
  if (url.password === '') return url.href;
  const copy = new URL(url.href);
  copy.password = '***';
  return copy.href;
}

function checkUrl(value: unknown, what: string, schemes: readonly string[]): ExternalDependency {
  const expected = `a ${schemes.map((s) => `${s}//`).join(', ')} URL`;
  if (typeof value !== 'string' || value.length === 0) {
    throw new LabError('LAB_DEPS_BAD_URL', `${what} URL must be ${expected}, received ${describeValue(value)}`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new LabError('LAB_DEPS_BAD_URL', `${what} URL must be ${expected}, received a string that is not a URL (${value.length} characters, starting "${value.slice(0, 12)}")`);
  }
  if (!schemes.includes(url.protocol)) {
    throw new LabError('LAB_DEPS_BAD_URL', `${what} URL must be ${expected}, received ${describeValue(redact(url))}`);
  }
  if (url.hostname === '') {
    throw new LabError('LAB_DEPS_BAD_URL', `${what} URL must name a host, received ${describeValue(redact(url))}`);
  }
  return { url: value };
}

/** An external PostgreSQL: `postgres://` or `postgresql://`. */
export function externalPostgres(url: string): ExternalDependency {
  return checkUrl(url, 'database', ['postgres:', 'postgresql:']);
}

/** An external Redis or Valkey: `redis://`, `rediss://`, `valkey://` or `valkeys://`. */
export function externalCache(url: string): ExternalDependency {
  return checkUrl(url, 'cache', ['redis:', 'rediss:', 'valkey:', 'valkeys:']);
}
