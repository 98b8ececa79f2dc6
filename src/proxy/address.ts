import { LabError, describeValue } from '../errors.js';

export interface HostPort {
  host: string;
  port: number;
}

/**
 * Parses "host:port", "[v6]:port" or ":port" (all interfaces, as Go reads it).
 * `field` names the JSON field in the error message.
 */
export function parseHostPort(value: string, field: string, allowZero: boolean): HostPort {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value);
  const port = match ? Number(match[3]) : NaN;
  const min = allowZero ? 0 : 1;
  if (!match || port < min || port > 65535) {
    throw new LabError(
      'LAB_PROXY_BAD_REQUEST_BODY',
      `bad request body: ${field} must be "host:port" with a port from ${min} to 65535, received ${describeValue(value)}`,
    );
  }
  const host = match[1] ?? match[2] ?? '';
  return { host: host === '' ? (allowZero ? '0.0.0.0' : '127.0.0.1') : host, port };
}

export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
