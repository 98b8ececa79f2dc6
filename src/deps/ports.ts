/**
 * Ports for dependencies: port 0 picks a free one (listen on 0, read, close), any
 * other is checked free the same way, so a taken port fails before anything runs.
 * Another process may still take the port between this check and the start.
 */
import { LabError } from '../errors.js';
import { claimPort } from '../ports.js';

export async function reservePort(host: string, port: number, what: string): Promise<number> {
  const result = await claimPort(host, port);
  if (typeof result === 'number') return result;
  const code = result.code;
  const reason =
    code === 'EADDRINUSE'
      ? `port ${port} is in use on ${host}`
      : code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? `${host} is not an address of this machine`
        : result.message;
  throw new LabError('LAB_DEPS_PORT_UNAVAILABLE', `${what} cannot listen on ${host}:${port}: ${reason}; pick another port, or 0 for a free one`, { cause: result });
}
