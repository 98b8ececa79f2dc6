/**
 * Fails fast on a taken port, before anything starts: each fixed listen port of the
 * config is tried once, and a port of 0 gets a free one. The message names the
 * port, the config key that asked for it and the flag that avoids it.
 */
import { createServer } from 'node:net';
import { LabError } from '../errors.js';

export interface PortClaim {
  /** The config key, e.g. `console.port` or `services.cafe.ports[0]`. */
  key: string;
  host: string;
  port: number;
}

function tryListen(host: string, port: number): Promise<number | NodeJS.ErrnoException> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err));
    server.listen({ host, port, exclusive: true }, () => {
      const address = server.address();
      const got = typeof address === 'object' && address ? address.port : port;
      server.close(() => resolve(got));
    });
  });
}

/** Returns the claims with every port resolved (0 replaced by a free one). */
export async function claimPorts(claims: readonly PortClaim[], configFile: string): Promise<PortClaim[]> {
  const out: PortClaim[] = [];
  const taken = new Set<number>();
  for (const claim of claims) {
    let result = await tryListen(claim.host, claim.port);
    // A free port handed out twice in a row (the OS may): ask again.
    for (let i = 0; claim.port === 0 && typeof result === 'number' && taken.has(result) && i < 10; i++) result = await tryListen(claim.host, 0);
    if (typeof result !== 'number') {
      const why = result.code === 'EADDRINUSE' ? 'is in use by another program' : result.code === 'EADDRNOTAVAIL' ? 'is not an address of this machine' : `cannot be listened on (${result.code ?? result.message})`;
      throw new LabError(
        'LAB_UP_PORT_IN_USE',
        `${claim.host}:${claim.port} (${claim.key} in ${configFile}) ${why}; fix: stop that program, set ${claim.key} to another port, or run with --free-ports to give every listener a free port`,
      );
    }
    taken.add(result);
    out.push({ ...claim, port: result });
  }
  return out;
}
