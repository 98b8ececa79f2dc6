/**
 * The edge: an HTTP load balancer in front of one service's replicas, the lab's
 * analogue of an ALB listener with its target group. It listens, forwards each
 * request round robin to a healthy backend over keep-alive connections, checks the
 * backends' health, and exposes its own metrics.
 */
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { LabError } from '../errors.js';
import type { EdgeContext } from './context.js';
import { forwardRequest } from './forward.js';
import { startHealthChecks } from './health-checker.js';
import { EdgeMetrics } from './metrics.js';
import { checkBackends, resolveEdgeOptions } from './options.js';
import { BackendPool } from './pool.js';
import type { Backend, BackendChange, BackendStatus, Edge, EdgeOptions } from './types.js';
import { forwardUpgrade } from './upgrade.js';

/**
 * An idle keep-alive connection to a backend is dropped after this long, below
 * Node's default server keepAliveTimeout (5 s), so the edge does not send a request
 * on a connection the backend is closing. A backend's `Keep-Alive: timeout=N` hint
 * shortens it further (node:http's Agent reads it).
 */
const BACKEND_IDLE_SOCKET_MS = 4_000;

function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export async function createEdge(options: EdgeOptions): Promise<Edge> {
  const resolved = resolveEdgeOptions(options);
  const pool = new BackendPool({
    service: resolved.name,
    clock: resolved.clock,
    unhealthyThreshold: resolved.unhealthyThreshold,
    healthyThreshold: resolved.healthyThreshold,
    coolOffMs: resolved.healthPath === null ? resolved.healthIntervalMs : null,
  });
  const metrics = new EdgeMetrics();
  const agent = new http.Agent({ keepAlive: true, timeout: BACKEND_IDLE_SOCKET_MS });
  let closing = false;
  const ctx: EdgeContext = { options: resolved, pool, metrics, agent, closing: () => closing };

  let active = 0;
  let drained: (() => void) | undefined;
  const server = http.createServer((req, res) => {
    active++;
    res.on('close', () => {
      active--;
      if (active === 0) drained?.();
    });
    forwardRequest(ctx, req, res);
  });
  const tunnels = new Set<Duplex>();
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => forwardUpgrade(ctx, req, socket, head, tunnels));

  server.listen({ host: resolved.host, port: resolved.port });
  try {
    await Promise.race([once(server, 'listening'), once(server, 'error').then(([err]) => Promise.reject(err as Error))]);
  } catch (err) {
    agent.destroy();
    const code = (err as NodeJS.ErrnoException).code;
    const cause = code === 'EADDRINUSE' ? 'address already in use' : code === 'EADDRNOTAVAIL' ? 'not an address of this machine' : (err as Error).message;
    throw new LabError(
      'LAB_EDGE_LISTEN_FAILED',
      `the edge of ${resolved.name} cannot listen on ${formatHostPort(resolved.host, resolved.port)}: ${cause}; publish the service on another port (0 picks a free one) or stop what listens there`,
      { cause: err },
    );
  }
  const port = (server.address() as AddressInfo).port;
  const checker =
    resolved.healthPath === null
      ? null
      : startHealthChecks({ pool, path: resolved.healthPath, intervalMs: resolved.healthIntervalMs, timeoutMs: resolved.healthTimeoutMs });

  let closed: Promise<void> | undefined;
  const shutdown = async (): Promise<void> => {
    closing = true;
    checker?.stop();
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    for (const socket of tunnels) socket.destroy();
    if (active > 0) {
      let deadline: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        drained = resolve;
        deadline = setTimeout(resolve, resolved.drainTimeoutMs);
      });
      clearTimeout(deadline);
    }
    server.closeAllConnections();
    for (const socket of tunnels) socket.destroy();
    agent.destroy();
    await serverClosed;
  };

  return {
    port,
    setBackends(backends: Backend[]) {
      checkBackends(resolved.name, backends);
      pool.set(backends);
    },
    markDown(id: string) {
      const state = pool.find(id);
      if (state) pool.takeOut(state, 'marked-down', 'marked down: the supervisor saw the replica stop');
    },
    backends(): BackendStatus[] {
      return pool.statuses();
    },
    metrics() {
      return metrics.render(resolved.name, pool.statuses());
    },
    onBackendChange(listener: (change: BackendChange) => void) {
      return pool.onChange(listener);
    },
    close() {
      closed ??= shutdown();
      return closed;
    },
  };
}
