/**
 * Helpers for the edge tests: tiny node:http backends, an edge in front of them, an
 * HTTP client, and an awaitable for rotation changes. Real sockets on 127.0.0.1 port 0,
 * every server and socket closed through t.after().
 */
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { createEdge } from '../../src/edge/index.js';
import type { Backend, BackendChange, Edge, EdgeOptions } from '../../src/edge/index.js';

/** A hung socket fails the test instead of the run. */
export const TEST_TIMEOUT_MS = 10_000;

export interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface TestBackend {
  backend: Backend;
  /** Requests that reached the handler (health checks excluded), recorded once their body ended. */
  seen: Seen[];
  /** Health checks received. */
  checks: number;
  /** What GET /health answers: true 200, false 503. */
  healthy: boolean;
  /** Replaces the default handler for everything but /health. */
  handler: Handler | null;
  /** The default handler: records the request, answers 200 JSON (404 for /missing). */
  echo: Handler;
  server: http.Server;
  /** Closes the listener and destroys every connection: the replica is gone. */
  stop(): Promise<void>;
}

/** The default answer: 200 with JSON naming the backend and what it received. */
function echoRequest(id: string, seen: Seen[]): Handler {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders, body });
      const status = req.url === '/missing' ? 404 : 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ backend: id, method: req.method, url: req.url, bodyLength: body.length }));
    });
  };
}

export async function startBackend(t: TestContext, id: string): Promise<TestBackend> {
  const seen: Seen[] = [];
  const fallback = echoRequest(id, seen);
  const server = http.createServer((req, res) => {
    if (req.url === '/health') {
      lab.checks++;
      res.writeHead(lab.healthy ? 200 : 503).end(lab.healthy ? 'ok' : 'not ok');
      return;
    }
    (lab.handler ?? fallback)(req, res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return stopped;
  };
  t.after(stop);
  const lab: TestBackend = {
    backend: { id, host: '127.0.0.1', port: (server.address() as AddressInfo).port },
    seen,
    checks: 0,
    healthy: true,
    handler: null,
    echo: fallback,
    server,
    stop,
  };
  return lab;
}

/** A backend address nobody listens on: a server that was started, then closed. */
export async function deadBackend(t: TestContext, id: string): Promise<TestBackend> {
  const lab = await startBackend(t, id);
  await lab.stop();
  return lab;
}

export async function startEdge(t: TestContext, backends: readonly TestBackend[], options: Partial<EdgeOptions> = {}): Promise<Edge> {
  const edge = await createEdge({
    name: 'cafe',
    host: '127.0.0.1',
    port: 0,
    healthPath: null,
    healthIntervalMs: 60_000,
    healthTimeoutMs: 1_000,
    ...options,
  });
  t.after(() => edge.close());
  edge.setBackends(backends.map((b) => b.backend));
  return edge;
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: unknown;
}

export interface RequestOptions {
  method?: string;
  path?: string;
  headers?: http.OutgoingHttpHeaders | string[];
  body?: string;
  agent?: http.Agent | false;
}

/** One request to the edge; resolves with the whole answer, rejects when the connection fails. */
export function request(port: number, options: RequestOptions = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = options.headers ?? (options.body === undefined ? {} : { 'content-length': Buffer.byteLength(options.body) });
    const req = http.request(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path ?? '/', headers, agent: options.agent ?? false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString();
          let json: unknown;
          try {
            json = JSON.parse(body);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Resolves with the next rotation change that matches (the test's timeout bounds the wait). */
export function nextChange(edge: Edge, match: (change: BackendChange) => boolean): Promise<BackendChange> {
  return new Promise((resolve) => {
    const off = edge.onBackendChange((change) => {
      if (!match(change)) return;
      off();
      resolve(change);
    });
  });
}

/** A promise with its resolve function, for handlers that wait for the test. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** The x-cloudlab-backend of an answer. */
export function answeredBy(answer: Answer): string | undefined {
  const value = answer.headers['x-cloudlab-backend'];
  return Array.isArray(value) ? value.join(',') : value;
}
