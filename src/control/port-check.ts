/**
 * Fails fast on a taken port, before anything starts: each fixed listen port of the
 * config is tried once, and a port of 0 gets a free one. The message names the
 * port, the config key that asked for it and the flag that avoids it.
 */
import { LabError } from '../errors.js';
import { claimPort } from '../ports.js';

export interface PortClaim {
  /** The config key, e.g. `console.port` or `services.cafe.ports[0]`. */
  key: string;
  host: string;
  port: number;
}

/** Returns the claims with every port resolved (0 replaced by a free one). */
export async function claimPorts(claims: readonly PortClaim[], configFile: string): Promise<PortClaim[]> {
  const out: PortClaim[] = [];
  for (const claim of claims) {
    // Remembered process-wide (src/ports.ts): PostgreSQL and the replicas, whose ports are
    // picked later, cannot be handed one of these before the lab binds it.
    const result = await claimPort(claim.host, claim.port);
    if (typeof result !== 'number') {
      const why = result.code === 'EADDRINUSE' ? 'is in use by another program' : result.code === 'EADDRNOTAVAIL' ? 'is not an address of this machine' : `cannot be listened on (${result.code ?? result.message})`;
      throw new LabError(
        'LAB_UP_PORT_IN_USE',
        `${claim.host}:${claim.port} (${claim.key} in ${configFile}) ${why}; fix: stop that program, set ${claim.key} to another port, or run with --free-ports to give every listener a free port`,
      );
    }
    out.push({ ...claim, port: result });
  }
  return out;
}
