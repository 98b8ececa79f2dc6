/** Real-socket helpers for tests: servers on 127.0.0.1 port 0, cleaned up through t.after(). */
import net from 'node:net';
import { once } from 'node:events';
import type { TestContext } from 'node:test';
import { createToxiproxyServer } from '../../src/proxy/index.js';
import type { ToxiproxyServer, ToxiproxyServerOptions } from '../../src/proxy/index.js';

export interface Started<T> {
  value: T;
  port: number;
  url: string;
}

/** A TCP server on 127.0.0.1:0 that closes itself and its sockets after the test. */
export async function tcpServer(t: TestContext, onSocket: (socket: net.Socket) => void): Promise<{ server: net.Server; port: number; sockets: Set<net.Socket> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { server, port: (server.address() as net.AddressInfo).port, sockets };
}

/** An echo upstream: writes back every byte it reads, ends when the client ends. */
export function echoServer(t: TestContext): ReturnType<typeof tcpServer> {
  return tcpServer(t, (socket) => socket.pipe(socket));
}

/** A proxy server with its API on 127.0.0.1:0, closed after the test. */
export async function proxyServer(t: TestContext, options: ToxiproxyServerOptions = {}): Promise<{ server: ToxiproxyServer; url: string }> {
  const server = createToxiproxyServer({ port: 0, ...options });
  const address = await server.listen();
  t.after(() => server.close());
  return { server, url: address.url };
}

/** Calls the admin API; returns status, headers and the parsed (or raw) body. */
export async function api(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string; json: unknown }> {
  const init: RequestInit = { method, headers: { 'user-agent': 'cloudlab-test', ...headers } };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(url + path, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Opens a TCP connection to 127.0.0.1:port, destroyed after the test. */
export async function connect(t: TestContext, port: number): Promise<net.Socket> {
  const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
  t.after(() => socket.destroy());
  await once(socket, 'connect');
  return socket;
}

/** Reads from `socket` until `bytes` bytes arrived; resolves with them. */
export function readBytes(socket: net.Socket, bytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let got = 0;
    const onData = (data: Buffer): void => {
      chunks.push(data);
      got += data.length;
      if (got >= bytes) {
        cleanup();
        resolve(Buffer.concat(chunks));
      }
    };
    const onEnd = (): void => {
      cleanup();
      reject(new Error(`socket ended after ${got} of ${bytes} bytes`));
    };
    const cleanup = (): void => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('error', onEnd);
    };
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('error', onEnd);
  });
}
