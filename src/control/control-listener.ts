/**
 * The console port, held from the lab's first moment by a plain HTTP server that answers
 * 503 LAB_CONTROL_NOT_READY until the control API takes its requests over. The API's
 * modules (its load and chaos routes) then load while the lab starts, and no other
 * listener (a replica's free port) can take the port meanwhile.
 */
import { createServer } from 'node:http';
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LabError } from '../errors.js';
import { sendError } from './http-util.js';

export interface ControlListener {
  readonly port: number;
  /** http://host:port, the host in brackets when it is IPv6. */
  readonly url: string;
  /** Every request from now on goes to `handler`. */
  serve(handler: RequestListener): void;
  close(): Promise<void>;
}

function notReady(_req: Parameters<RequestListener>[0], res: Parameters<RequestListener>[1]): void {
  sendError(res, new LabError('LAB_CONTROL_NOT_READY', 'the lab is still starting; try again in a moment'));
}

export function listenControl(host: string, port: number): Promise<ControlListener> {
  let handler: RequestListener = notReady;
  const server: Server = createServer((req, res) => handler(req, res));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      const bound = (server.address() as AddressInfo).port;
      resolve({
        port: bound,
        url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
        serve(next) {
          handler = next;
        },
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
