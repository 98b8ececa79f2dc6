import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { LabError } from '../errors.js';
import type { QueryRoute } from './contracts.js';

export interface QueryServerOptions {
  host: string;
  port: number;
  /** Tried in order; the first that returns true has answered. */
  routes: readonly QueryRoute[];
}

export interface ListeningAddress {
  host: string;
  port: number;
  url: string;
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
}

/** The hub's query port (9090 by default): the Prometheus, Jaeger and log APIs on one server. */
export function createQueryServer(options: QueryServerOptions): { server: Server; listen(): Promise<ListeningAddress>; close(): Promise<void> } {
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      sendError(res, 404, 'LAB_QUERY_NOT_FOUND', `no API at ${JSON.stringify(req.url)}: the request target is not a path`);
      return;
    }
    try {
      for (const route of options.routes) if (route(req, res, url)) return;
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof LabError) sendError(res, err.statusCode, err.code, err.message);
      else sendError(res, 500, 'LAB_QUERY_INTERNAL', `the query failed: ${(err as Error).message}`);
      return;
    }
    sendError(
      res,
      404,
      'LAB_QUERY_NOT_FOUND',
      `no API at ${url.pathname}; the hub serves /api/v1/* (Prometheus), /api/services and /api/traces (Jaeger), /api/logs and /metrics`,
    );
  };
  const server = createServer({ keepAliveTimeout: 5000 }, handle);
  return {
    server,
    async listen() {
      server.listen({ host: options.host, port: options.port });
      await Promise.race([once(server, 'listening'), once(server, 'error').then(([err]) => Promise.reject(err as Error))]);
      const address = server.address() as AddressInfo;
      const host = address.address.includes(':') ? `[${address.address}]` : address.address;
      return { host: address.address, port: address.port, url: `http://${host}:${address.port}` };
    },
    async close() {
      if (!server.listening) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // ends SSE tails too
      await closed;
    },
  };
}
