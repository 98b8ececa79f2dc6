import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { LabError } from '../errors.js';
import { createApiHandler } from './api.js';
import { ProxyCollection } from './collection.js';
import { createRandom } from './random.js';
import { formatHostPort } from './address.js';

export interface ToxiproxyServerOptions {
  /** Address of the admin API; 127.0.0.1 by default. */
  host?: string;
  /** Port of the admin API; 8474 by default, 0 for a free one. */
  port?: number;
  /** Seeds toxicity rolls, jitter and slicing, for repeatable runs. */
  seed?: number;
  /** The cloudlab version reported by GET /version. */
  version?: string;
}

export interface ToxiproxyServer {
  readonly collection: ProxyCollection;
  /** Starts the admin API; resolves with the address it listens on. */
  listen(): Promise<{ host: string; port: number; url: string }>;
  /** Stops the API, every proxy and every connection. */
  close(): Promise<void>;
}

/** A Toxiproxy-compatible server: the proxies plus their HTTP admin API. */
export function createToxiproxyServer(options: ToxiproxyServerOptions = {}): ToxiproxyServer {
  const collection = new ProxyCollection(createRandom(options.seed));
  let http: Server | undefined;
  return {
    collection,
    async listen() {
      const host = options.host ?? '127.0.0.1';
      const port = options.port ?? 8474;
      const server = createServer({ keepAliveTimeout: 5000 }, createApiHandler(collection, options.version ?? '0.0.0'));
      server.listen({ host, port });
      try {
        await Promise.race([once(server, 'listening'), once(server, 'error').then(([err]) => Promise.reject(err as Error))]);
      } catch (err) {
        const inUse = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
        throw new LabError(
          'LAB_PROXY_API_LISTEN_FAILED',
          `cannot listen on ${formatHostPort(host, port)} for the proxy API: ${inUse ? 'address already in use' : (err as Error).message}; pass --port with another port (or stop the toxiproxy-server already running there)`,
          { cause: err },
        );
      }
      http = server;
      const address = server.address() as AddressInfo;
      return { host: address.address, port: address.port, url: `http://${formatHostPort(address.address, address.port)}` };
    },
    async close() {
      const server = http;
      http = undefined;
      if (server) {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
      }
      await collection.stopAll();
    },
  };
}
