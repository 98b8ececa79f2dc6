/** A raw TCP server on 127.0.0.1 port 0 that answers HTTP requests with bytes a test writes itself. */
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import type { TestContext } from 'node:test';
import { compileTask } from '../../../src/load/engine/request.js';
import type { CompiledTask, SendResult, Transport } from '../../../src/load/engine/request.js';
import { task } from './helpers.js';
import type { Task } from '../../../src/load/types.js';

export interface RawServer {
  port: number;
  /** Every request received, as text (head and body). */
  requests: string[];
  /** Every connection accepted. */
  connections: Socket[];
}

/** Calls `answer` once per complete request (head, then a Content-Length body). */
export async function startRawServer(t: TestContext, answer: (socket: Socket, request: string, index: number) => void): Promise<RawServer> {
  const requests: string[] = [];
  const connections: Socket[] = [];
  const server = createServer((socket) => {
    connections.push(socket);
    socket.setNoDelay(true); // two small writes must not wait for the client's delayed ACK
    socket.on('error', () => {}); // a client that resets is part of some tests
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/\r\ncontent-length: (\d+)/i.exec(pending.toString('latin1', 0, end))?.[1] ?? 0);
        if (pending.length < end + 4 + length) return;
        const request = pending.toString('utf8', 0, end + 4 + length);
        pending = pending.subarray(end + 4 + length);
        requests.push(request);
        answer(socket, request, requests.length - 1);
      }
    });
  });
  t.after(() => {
    for (const socket of connections) socket.destroy();
    server.close();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, requests, connections };
}

/** Writes `raw` in two writes cut at `cut`, the second a turn of the event loop later. */
export function writeSplit(socket: Socket, raw: Buffer, cut: number): void {
  if (cut <= 0 || cut >= raw.length) {
    socket.write(raw);
    return;
  }
  socket.write(raw.subarray(0, cut), () => setImmediate(() => {
    if (!socket.destroyed) socket.write(raw.subarray(cut));
  }));
}

/** A compiled task; `keepBody` keeps the answer's body (as a bodyIncludes check does). */
export function compiled(overrides: Partial<Task> = {}, keepBody = true): CompiledTask {
  return compileTask(task({ ...(keepBody ? { check: { bodyIncludes: '' } } : {}), ...overrides }), 0);
}

/** Sends one request and waits for its result. */
export function sendOnce(transport: Transport, of: CompiledTask): Promise<SendResult> {
  const request = of.fixed;
  if (!request) throw new Error('sendOnce sends tasks without templates');
  return new Promise((resolve) => transport.send(of, request, resolve));
}
