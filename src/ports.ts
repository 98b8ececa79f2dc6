/**
 * Free ports, picked the only portable way (listen on port 0, read the port, close)
 * and remembered for the life of the process. Between the pick and the moment its
 * owner binds it, the port is free again in the kernel's eyes, and the kernel may
 * hand it to the next listen on port 0: a lab picks its listeners' ports up front and
 * starts PostgreSQL seconds later, so without this registry the edge and PostgreSQL
 * could both get the same port. Every part of the lab that picks a port asks here.
 */
import { createServer } from 'node:net';

const handedOut = new Set<number>();

/** How many times a pick that lands on a port already handed out is retried. */
const MAX_RETRIES = 50;

function listenOnce(host: string, port: number): Promise<number | NodeJS.ErrnoException> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err));
    server.listen({ host, port, exclusive: true }, () => {
      const address = server.address();
      const got = typeof address === 'object' && address ? address.port : port;
      server.close(() => resolve(got));
    });
  });
}

/**
 * Checks that `port` can be listened on at `host` (0: picks a free port no earlier call
 * of this process handed out, never one that is) and remembers it. Resolves to the port, or to the error
 * of the listen (EADDRINUSE, EADDRNOTAVAIL, ...) without throwing.
 */
export async function claimPort(host: string, port: number): Promise<number | NodeJS.ErrnoException> {
  let result = await listenOnce(host, port);
  for (let i = 0; port === 0 && typeof result === 'number' && handedOut.has(result) && i < MAX_RETRIES; i++) {
    result = await listenOnce(host, 0);
  }
  if (typeof result !== 'number') return result;
  if (port === 0 && handedOut.has(result)) {
    return Object.assign(new Error(`no free port on ${host} that this process has not handed out already (${MAX_RETRIES + 1} tries)`), { code: 'EAGAIN' });
  }
  handedOut.add(result);
  return result;
}

/** The port's owner has closed it for good: it may be handed out again. */
export function releasePort(port: number): void {
  handedOut.delete(port);
}

/** Whether this process handed the port out and has not released it. */
export function isHandedOut(port: number): boolean {
  return handedOut.has(port);
}
