/** Free ports for replicas on one host, never handing the same port to two live replicas. */
import net from 'node:net';
import { LabError } from '../errors.js';

type Listened = { port: number } | { error: Error };

/** Listens on `port` (0: any) for a moment and closes again. */
function tryListen(host: string, port: number): Promise<Listened> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (error) => resolve({ error }));
    server.listen({ host, port, exclusive: true }, () => {
      const bound = (server.address() as net.AddressInfo).port;
      server.close(() => resolve({ port: bound }));
    });
  });
}

export class PortPool {
  readonly #host: string;
  readonly #taken = new Set<number>();

  constructor(host: string) {
    this.#host = host;
  }

  /** A free port no live replica holds. */
  async acquire(): Promise<number> {
    for (;;) {
      const result = await tryListen(this.#host, 0);
      if ('error' in result) {
        throw new LabError(
          'LAB_SUPERVISOR_PORT_FAILED',
          `supervisor: cannot pick a free port on host ${JSON.stringify(this.#host)}: ${result.error.message}; fix: set the host to an address of this machine, such as 127.0.0.1`,
          { cause: result.error },
        );
      }
      // The kernel may hand back a port a replica holds but has not bound yet: ask again.
      if (!this.#taken.has(result.port)) {
        this.#taken.add(result.port);
        return result.port;
      }
    }
  }

  /** The same port when it is still free (a restart keeps its port), else a new one. */
  async reacquire(port: number): Promise<number> {
    const result = await tryListen(this.#host, port);
    if ('port' in result) {
      this.#taken.add(port);
      return port;
    }
    this.release(port);
    return this.acquire();
  }

  release(port: number): void {
    this.#taken.delete(port);
  }
}
