/**
 * Free ports for replicas on one host. The process-wide registry (src/ports.ts) never hands
 * the same port out twice, so no two live replicas share one; a stopped replica's port is
 * given back.
 */
import { LabError } from '../errors.js';
import { claimPort, releasePort } from '../ports.js';

export class PortPool {
  readonly #host: string;

  constructor(host: string) {
    this.#host = host;
  }

  /** A free port no live replica holds. */
  async acquire(): Promise<number> {
    const result = await claimPort(this.#host, 0);
    if (typeof result !== 'number') {
      throw new LabError(
        'LAB_SUPERVISOR_PORT_FAILED',
        `supervisor: cannot pick a free port on host ${JSON.stringify(this.#host)}: ${result.message}; fix: set the host to an address of this machine, such as 127.0.0.1`,
        { cause: result },
      );
    }
    return result;
  }

  /** The same port when it is still free (a restart keeps its port), else a new one. */
  async reacquire(port: number): Promise<number> {
    const result = await claimPort(this.#host, port);
    if (typeof result === 'number') return port;
    this.release(port);
    return this.acquire();
  }

  release(port: number): void {
    releasePort(port);
  }
}
