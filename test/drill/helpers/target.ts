/**
 * A small real HTTP service for drill tests, standing in for the lab's edge: `/menu`
 * answers 200 with "Espresso", `/broken` 503, `/slow` after a delay the test sets,
 * `/rush` at once for its first `rushAfter` requests and then after `slowMs` (a server
 * that saturates), `/orders` 201 with the idempotency key echoed. Counts requests per path.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';

export interface TestTarget {
  url: string;
  hits: Map<string, number>;
  /** How long `/slow` (and `/rush` once saturated) waits before answering (a timer, not a sleep in the test). */
  slowMs: number;
  /** `/rush` answers at once for this many requests, then slowly. */
  rushAfter: number;
}

export async function startTarget(t: TestContext): Promise<TestTarget> {
  const target: TestTarget = { url: '', hits: new Map(), slowMs: 0, rushAfter: Infinity };
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    target.hits.set(path, (target.hits.get(path) ?? 0) + 1);
    req.resume();
    if (path === '/menu') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ id: 1, name: 'Espresso' }]));
    } else if (path === '/broken') {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('database unavailable');
    } else if (path === '/slow') {
      setTimeout(() => res.writeHead(200).end('late Espresso'), target.slowMs);
    } else if (path === '/rush') {
      setTimeout(() => res.writeHead(200).end('ok'), (target.hits.get('/rush') ?? 0) > target.rushAfter ? target.slowMs : 0);
    } else if (path === '/orders' && req.method === 'POST') {
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 1, key: req.headers['idempotency-key'] ?? null }));
    } else {
      res.writeHead(404).end('no such page');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return target;
}
