/**
 * Hosts one query route on a real HTTP server on 127.0.0.1:0, closed after the test
 * (for the Jaeger and log API tests). Requests the route does not take get 404 "not
 * mine", so a test sees when a route let a path through.
 */
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import type { QueryRoute } from '../../../src/telemetry/contracts.js';

export interface Served {
  url: string;
  /** Resolves when the next response to `pathname` closes, after every 'close' listener the route added has run. */
  nextClose: (pathname: string) => Promise<void>;
}

export async function serveRoute(t: TestContext, route: QueryRoute): Promise<Served> {
  const waiting: { pathname: string; resolve: () => void }[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // Registered before the route's own listeners; the awaiting test resumes only after all of them ran.
    res.once('close', () => {
      const at = waiting.findIndex((w) => w.pathname === url.pathname);
      if (at >= 0) waiting.splice(at, 1)[0]?.resolve();
    });
    if (!route(req, res, url)) res.writeHead(404, { 'content-type': 'text/plain' }).end('not mine');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    nextClose: (pathname) => new Promise<void>((resolve) => waiting.push({ pathname, resolve })),
  };
}

export interface JsonReply {
  status: number;
  headers: Headers;
  body: unknown;
}

export async function getJson(url: string, init: RequestInit = {}): Promise<JsonReply> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}
