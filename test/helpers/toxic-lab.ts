/**
 * Helpers for the toxic tests: an upstream, a proxy server and one proxy in front of it,
 * toxics managed through the HTTP API, and socket observers that record when things
 * happened. Real sockets on 127.0.0.1 port 0, cleaned up through t.after().
 */
import assert from 'node:assert/strict';
import type net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { TestContext } from 'node:test';
import type { ToxiproxyServer, ToxiproxyServerOptions } from '../../src/proxy/index.js';
import { api, proxyServer, tcpServer } from './net.js';

export const now = (): number => performance.now();

export interface ToxicLab {
  server: ToxiproxyServer;
  /** The admin API's base URL. */
  url: string;
  /** The proxy's listen port (what clients connect to). */
  port: number;
  /** The proxy's name in the API. */
  name: string;
}

/** Starts a proxy server and creates the proxy `name` (listen 127.0.0.1:0) in front of `upstreamPort`. */
export async function startProxy(t: TestContext, upstreamPort: number, options: ToxiproxyServerOptions = {}, name = 'lab'): Promise<ToxicLab> {
  const { server, url } = await proxyServer(t, options);
  const reply = await api(url, 'POST', '/proxies', { name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstreamPort}` });
  assert.equal(reply.status, 201, reply.text);
  const listen = (reply.json as { listen: string }).listen;
  const port = Number(listen.slice(listen.lastIndexOf(':') + 1));
  assert.ok(port > 0, `a real port in ${listen}`);
  return { server, url, port, name };
}

export interface ToxicBody {
  type: string;
  name?: string;
  stream?: 'upstream' | 'downstream';
  toxicity?: number;
  attributes?: Record<string, number | string>;
}

/** POST /proxies/{name}/toxics; asserts 200 and returns the toxic as the API shows it. */
export async function addToxic(lab: ToxicLab, body: ToxicBody): Promise<ToxicBody & { name: string }> {
  const reply = await api(lab.url, 'POST', `/proxies/${lab.name}/toxics`, body);
  assert.equal(reply.status, 200, reply.text);
  return reply.json as ToxicBody & { name: string };
}

/** POST /proxies/{name}/toxics/{toxic}; asserts 200 and returns the updated toxic. */
export async function updateToxic(lab: ToxicLab, toxic: string, body: Partial<ToxicBody>): Promise<ToxicBody & { name: string }> {
  const reply = await api(lab.url, 'POST', `/proxies/${lab.name}/toxics/${toxic}`, body);
  assert.equal(reply.status, 200, reply.text);
  return reply.json as ToxicBody & { name: string };
}

/** DELETE /proxies/{name}/toxics/{toxic}; asserts 204. */
export async function removeToxic(lab: ToxicLab, toxic: string): Promise<void> {
  const reply = await api(lab.url, 'DELETE', `/proxies/${lab.name}/toxics/${toxic}`);
  assert.equal(reply.status, 204, reply.text);
}

/**
 * An upstream that hands each accepted socket to the test (in accept order) and
 * stamps the arrival time of every chunk it reads.
 */
export async function recordingServer(t: TestContext): Promise<{ port: number; nextSocket(): Promise<RecordedSocket> }> {
  const waiting: ((s: RecordedSocket) => void)[] = [];
  const ready: RecordedSocket[] = [];
  const { port } = await tcpServer(t, (socket) => {
    const recorded = record(socket);
    const take = waiting.shift();
    if (take) take(recorded);
    else ready.push(recorded);
  });
  return {
    port,
    nextSocket: () => {
      const first = ready.shift();
      return first ? Promise.resolve(first) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

export interface RecordedSocket {
  socket: net.Socket;
  /** Every chunk read so far, with performance.now() at arrival. */
  chunks: { data: Buffer; at: number }[];
  /** Total bytes read so far. */
  bytes(): number;
  /** Resolves with the arrival time once `total` bytes in all have arrived. */
  arrived(total: number): Promise<number>;
  /** Resolves when the peer ended (or the socket closed / failed): how, when and what was read. */
  done: Promise<Outcome>;
}

export interface Outcome {
  /** 'end' for a FIN, 'close' for a close without FIN, or the error code. */
  how: string;
  at: number;
  data: Buffer;
  dataEvents: number;
}

/** Starts recording what `socket` reads; see RecordedSocket. */
export function record(socket: net.Socket): RecordedSocket {
  const chunks: { data: Buffer; at: number }[] = [];
  let total = 0;
  const waiters: { total: number; resolve: (at: number) => void }[] = [];
  socket.on('data', (data: Buffer) => {
    const at = now();
    chunks.push({ data, at });
    total += data.length;
    for (const w of waiters.filter((x) => total >= x.total)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(at);
    }
  });
  const done = new Promise<Outcome>((resolve) => {
    const finish = (how: string): void =>
      resolve({ how, at: now(), data: Buffer.concat(chunks.map((c) => c.data)), dataEvents: chunks.length });
    socket.once('end', () => finish('end'));
    socket.once('error', (err: NodeJS.ErrnoException) => finish(err.code ?? err.message));
    socket.once('close', () => finish('close'));
  });
  return {
    socket,
    chunks,
    bytes: () => total,
    arrived: (want) => {
      if (total >= want) return Promise.resolve(chunks[chunks.length - 1]?.at ?? now());
      return new Promise((resolve, reject) => {
        waiters.push({ total: want, resolve });
        void done.then((o) => reject(new Error(`socket ${o.how} after ${total} of ${want} bytes`)));
      });
    },
    done,
  };
}

/** A buffer of `size` bytes where byte i is i mod 251 (a prime, so shifted or swapped runs show). */
export function counterBytes(size: number, offset = 0): Buffer {
  const buf = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) buf[i] = (offset + i) % 251;
  return buf;
}

/** Asserts a duration (ms) lies in [min, max], with a message that shows it. */
export function assertBetween(ms: number, min: number, max: number, what: string): void {
  assert.ok(ms >= min && ms <= max, `${what}: ${ms.toFixed(1)} ms, expected ${min} to ${max} ms`);
}

/**
 * Waits until `check` holds, re-checking on every event-loop turn (no fixed sleep), for
 * state that changes on sockets the test does not own; fails after `timeoutMs`.
 */
export async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = now() + timeoutMs;
  while (!check()) {
    if (now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
