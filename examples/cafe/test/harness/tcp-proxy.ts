/**
 * A plain TCP proxy between a service and one upstream (Postgres, payments), so a
 * test can take a dependency away from one service while it stays up for the rest.
 *
 * cut(): every open connection is reset and new ones are reset on accept, as when
 * the host is down (clients fail fast with ECONNRESET).
 * stall(): nothing passes any more and nothing is closed, as in a network
 * partition (clients only learn from their own timeouts).
 * restore(): new connections pass again; stalled ones are reset.
 * retarget(): later connections go elsewhere (a restarted service on a new port).
 */
import { createServer, connect } from 'node:net';
import type { Server, Socket } from 'node:net';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

export interface Upstream {
  host: string;
  port: number;
}

export interface TcpProxy {
  readonly port: number;
  /** Sockets currently open, both sides counted. */
  readonly connections: number;
  cut(): void;
  stall(): void;
  restore(): void;
  /** New connections go to this upstream; open ones stay where they are. */
  retarget(upstream: Upstream): void;
  close(): Promise<void>;
}

type Mode = 'pass' | 'cut' | 'stall';

/** Starts the proxy; without an upstream yet, connections are reset until retarget(). */
export async function startTcpProxy(initial?: Upstream): Promise<TcpProxy> {
  let upstream = initial;
  let mode: Mode = 'pass';
  const sockets = new Set<Socket>();
  const pairs = new Set<[Socket, Socket]>();
  const stalled = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      stalled.delete(socket);
    });
    socket.on('error', () => undefined);
  };
  const stallSocket = (socket: Socket): void => {
    socket.pause();
    stalled.add(socket);
  };
  const server: Server = createServer((client) => {
    track(client);
    if (mode === 'stall') {
      stallSocket(client);
      return;
    }
    if (mode === 'cut' || upstream === undefined) {
      client.resetAndDestroy();
      return;
    }
    const target = connect(upstream.port, upstream.host);
    track(target);
    const pair: [Socket, Socket] = [client, target];
    pairs.add(pair);
    client.pipe(target);
    target.pipe(client);
    const end = (): void => {
      pairs.delete(pair);
      client.destroy();
      target.destroy();
    };
    client.once('close', end);
    target.once('close', end);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    port,
    get connections() {
      return sockets.size;
    },
    cut() {
      mode = 'cut';
      for (const socket of sockets) socket.resetAndDestroy();
    },
    stall() {
      mode = 'stall';
      for (const [client, target] of pairs) {
        client.unpipe(target);
        target.unpipe(client);
        stallSocket(client);
        stallSocket(target);
      }
    },
    restore() {
      mode = 'pass';
      for (const socket of stalled) socket.resetAndDestroy();
    },
    retarget(next) {
      upstream = next;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
