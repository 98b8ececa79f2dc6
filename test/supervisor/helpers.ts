/** Shared pieces of the supervisor tests: the fixture service, a supervisor cleaned up after the test, events. */
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import { createSupervisor } from '../../src/supervisor/index.js';
import type { ProcessSpec, ServiceSpec, Supervisor, SupervisorEvent, SupervisorOptions } from '../../src/supervisor/index.js';

// Compiled to dist/test/supervisor/; the fixtures stay in the source tree.
export const FIXTURES = fileURLToPath(new URL('../../../test/supervisor/fixtures/', import.meta.url));
export const SERVER = join(FIXTURES, 'server.mjs');
export const HOST = join(FIXTURES, 'host.mjs');
export const SUPERVISOR_MODULE = new URL('../../src/supervisor/index.js', import.meta.url).href;

export function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'cloudlab-supervisor-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface Lab {
  supervisor: Supervisor;
  stateDir: string;
  /** Every event so far, in order. */
  events: SupervisorEvent[];
}

/** A supervisor on a fresh state dir, stopped after the test (before the dir is removed). */
export function lab(t: TestContext, options: Partial<SupervisorOptions> = {}): Lab {
  const stateDir = tempDir(t);
  const supervisor = createSupervisor({ stateDir, host: '127.0.0.1', backoff: { initialMs: 20, maxMs: 200 }, ...options });
  const events: SupervisorEvent[] = [];
  supervisor.on((event) => events.push(event));
  t.after(() => supervisor.stop({ deadlineMs: 2000 }));
  return { supervisor, stateDir, events };
}

export interface FixtureOptions {
  name?: string;
  replicas?: number;
  restart?: ServiceSpec['restart'];
  /** Extra env for every replica, or per replica. */
  env?: Record<string, string> | ((index: number) => Record<string, string>);
  health?: Partial<ServiceSpec['health']>;
  process?: Partial<ProcessSpec>;
}

/** The fixture server as a service: PORT from the replica, an HTTP readiness check on /health. */
export function fixtureService(options: FixtureOptions = {}): ServiceSpec {
  const name = options.name ?? 'cafe';
  return {
    name,
    replicas: options.replicas ?? 1,
    restart: options.restart ?? 'always',
    assignPorts: true,
    health: { intervalMs: 50, timeoutMs: 1000, retries: 2, startPeriodMs: 10_000, ...options.health },
    build: (replica) => ({
      name,
      command: 'node',
      args: [SERVER],
      env: { PORT: String(replica.port), ...(typeof options.env === 'function' ? options.env(replica.index) : options.env) },
      cwd: FIXTURES,
      readiness: { type: 'http', url: `http://127.0.0.1:${replica.port}/health` },
      stopSignal: 'SIGTERM',
      stopTimeoutMs: 5000,
      ...options.process,
    }),
  };
}

/** Resolves with the first event (from now on) that matches. */
export function nextEvent(supervisor: Supervisor, match: (event: SupervisorEvent) => boolean): Promise<SupervisorEvent> {
  return new Promise((resolve) => {
    const off = supervisor.on((event) => {
      if (match(event)) {
        off();
        resolve(event);
      }
    });
  });
}

export function is(type: SupervisorEvent['type'], replicaId?: string): (event: SupervisorEvent) => boolean {
  return (event) => event.type === type && (replicaId === undefined || event.replica.id === replicaId);
}

/** True while the process runs; a zombie (dead, not yet reaped) counts as dead. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** GET a path of a replica's fixture server; answers the body. */
export function call(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

export function pidOf(supervisor: Supervisor, replicaId: string): number {
  const replica = supervisor.status().flatMap((s) => s.replicas).find((r) => r.id === replicaId);
  if (!replica?.pid) throw new Error(`replica ${replicaId} has no pid`);
  return replica.pid;
}

export function portOf(supervisor: Supervisor, replicaId: string): number {
  const replica = supervisor.status().flatMap((s) => s.replicas).find((r) => r.id === replicaId);
  if (!replica) throw new Error(`no replica ${replicaId}`);
  return replica.port;
}
