/** Free ports for replicas on one host, never handing the same port to two live replicas. */
import { LabError } from '../errors.js';
import { claimPort, releasePort } from '../ports.js';

export class PortPool {
  readonly #host: string;
  readonly #taken = new Set<number>();

  constructor(host: string) {
    this.#host = host;
  }

  /** A free port no live replica holds. */
  async acquire(): Promise<number> {
    for (;;) {
      // claimPort never hands out a port it handed out before (to the lab's listeners,
      // PostgreSQL, the cache) and has not had back.
      const result = await claimPort(this.#host, 0);
      if (typeof result !== 'number') {
        throw new LabError(
          'LAB_SUPERVISOR_PORT_FAILED',
          `supervisor: cannot pick a free port on host ${JSON.stringify(this.#host)}: ${result.message}; fix: set the host to an address of this machine, such as 127.0.0.1`,
          { cause: result },
        );
      }
      // The kernel may hand back a port a replica holds but has not bound yet: ask again.
      if (!this.#taken.has(result)) {
        this.#taken.add(result);
        return result;
      }
    }
  }

  /** The same port when it is still free (a restart keeps its port), else a new one. */
  async reacquire(port: number): Promise<number> {
    const result = await claimPort(this.#host, port);
    if (typeof result === 'number') {
      this.#taken.add(port);
      return port;
    }
    this.release(port);
    return this.acquire();
  }

  release(port: number): void {
    this.#taken.delete(port);
    releasePort(port);
  }
}
