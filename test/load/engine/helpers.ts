/** A local HTTP server on 127.0.0.1 port 0 and scenario builders for the engine's tests. */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import type { Scenario, Task } from '../../../src/load/types.js';

export interface TestServer {
  url: string;
  server: Server;
  /** Requests the server received. */
  received: () => number;
}

/** Starts a server; its sockets and itself are closed after the test. */
export async function startServer(t: TestContext, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  let received = 0;
  const server = createServer((req, res) => {
    received++;
    handler(req, res);
  });
  server.keepAliveTimeout = 60_000;
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server, received: () => received };
}

/**
 * Calls `fn` no sooner than `ms` after now. A Node timer can fire up to ~1 ms early in real
 * time (libuv measures from its cached loop time), which a latency assertion would see.
 */
export function delayAtLeast(ms: number, fn: () => void): void {
  const due = performance.now() + ms;
  const check = (): void => {
    const left = due - performance.now();
    if (left <= 0) fn();
    else setTimeout(check, Math.ceil(left));
  };
  setTimeout(check, ms);
}

/** A port nothing listens on (listened on, then closed). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function task(overrides: Partial<Task> = {}): Task {
  return { name: 'root', weight: 1, method: 'GET', path: '/', headers: {}, thinkMs: { min: 0, max: 0 }, record: false, ...overrides };
}

export function closedScenario(target: string, users: number, durationMs: number, tasks: Task[] = [task()], timeoutMs = 5000): Scenario {
  return {
    name: 'test-closed', target, tasks, thresholds: [], timeoutMs, source: 'test',
    model: { kind: 'closed', startUsers: users, stages: [{ durationMs, target: users }] },
  };
}

export function openScenario(target: string, rate: number, durationMs: number, maxInFlight = 100, tasks: Task[] = [task()]): Scenario {
  return {
    name: 'test-open', target, tasks, thresholds: [], timeoutMs: 5000, source: 'test',
    model: { kind: 'open', startRate: rate, maxInFlight, stages: [{ durationMs, target: rate }] },
  };
}
