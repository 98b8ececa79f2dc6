/**
 * A FAKE of the lab's control API, for the drill runner's tests: the chaos routes
 * (`/api/chaos*`, in the pinned wire shapes of src/chaos/types.ts), `/api/events` and
 * `/api/flags/{key}`, behind the Bearer token. It is a stand-in only until the chaos
 * routes land; the real lab is exercised by the lead's end-to-end drill tests.
 * Faults expire as the lab's do (by `durationMs`), checked when listed.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import type { ActiveFault, ChaosRequest } from '../../../src/chaos/index.js';
import { STATIC_SCENARIOS } from '../../../src/drill/index.js';

export interface SeenRequest {
  method: string;
  path: string;
  body: unknown;
  timeMs: number;
}

export interface FakeControl {
  url: string;
  token: string;
  seen: SeenRequest[];
  active: ActiveFault[];
  /** Called for each injection, before the answer (tests push metrics or abort from here). */
  onInject: ((request: ChaosRequest, fault: ActiveFault) => void | Promise<void>) | null;
  /** When set, POST /api/chaos drops the connection and every later request too: the lab vanished. */
  vanishOnInject: boolean;
  /** Scenarios the fake reports as unavailable (409 on inject, `available: false` in the list). */
  unavailable: Set<string>;
  /** Requests of one method and path prefix. */
  calls(method: string, pathPrefix: string): SeenRequest[];
}

const INSTANT = new Set(['kill-replica', 'restart-postgres', 'flush-cache']);

async function body(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req as AsyncIterable<Buffer>) text += chunk.toString('utf8');
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

function send(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

export async function startFakeControl(t: TestContext): Promise<FakeControl> {
  let next = 1;
  let gone = false;
  const fake: FakeControl = {
    url: '',
    token: 'test-token',
    seen: [],
    active: [],
    onInject: null,
    vanishOnInject: false,
    unavailable: new Set(),
    calls: (method, prefix) => fake.seen.filter((r) => r.method === method && r.path.startsWith(prefix)),
  };
  const expire = (): void => {
    fake.active = fake.active.filter((f) => f.expiresAtMs === null || f.expiresAtMs > Date.now());
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const method = req.method ?? 'GET';
    const payload = await body(req);
    fake.seen.push({ method, path, body: payload, timeMs: Date.now() });
    if (gone) return void res.socket?.destroy();
    if (req.headers.authorization !== `Bearer ${fake.token}`) return send(res, 401, { error: { code: 'LAB_CONTROL_UNAUTHORIZED', message: 'token' } });
    if (method === 'GET' && path === '/api/chaos/scenarios') {
      return send(res, 200, { scenarios: STATIC_SCENARIOS.map((name) => ({ name, summary: name, value: null, target: null, instant: INSTANT.has(name), fisAction: 'aws:fis:inject-api-internal-error', available: !fake.unavailable.has(name), reason: fake.unavailable.has(name) ? 'this lab has no such part' : null })) });
    }
    if (method === 'GET' && path === '/api/chaos') {
      expire();
      return send(res, 200, { faults: fake.active });
    }
    if (method === 'POST' && path === '/api/chaos') {
      const request = payload as ChaosRequest;
      if (fake.vanishOnInject) {
        gone = true;
        return void res.socket?.destroy();
      }
      if (fake.unavailable.has(request.scenario)) return send(res, 409, { error: { code: 'LAB_CHAOS_NOT_AVAILABLE', message: `${request.scenario} needs a part this lab does not run` } });
      const now = Date.now();
      const instant = INSTANT.has(request.scenario);
      const fault: ActiveFault = { id: `f${next++}`, origin: 'chaos', scenario: request.scenario, value: request.value ?? null, target: request.target ?? null, detail: `${request.scenario} (fake)`, startedAtMs: now, expiresAtMs: instant || request.durationMs === undefined ? null : now + request.durationMs };
      if (!instant) fake.active.push(fault);
      await fake.onInject?.(request, fault);
      return send(res, 201, { fault });
    }
    const del = /^\/api\/chaos\/([^/]+)$/.exec(path);
    if (method === 'DELETE' && del) {
      expire();
      const found = fake.active.filter((f) => f.id === del[1]);
      if (found.length === 0) return send(res, 404, { error: { code: 'LAB_CHAOS_FAULT_NOT_FOUND', message: `no fault ${del[1]}` } });
      fake.active = fake.active.filter((f) => f.id !== del[1]);
      return send(res, 200, { removed: found });
    }
    if (method === 'POST' && path === '/api/chaos/reset') {
      const removed = fake.active;
      fake.active = [];
      return send(res, 200, { removed });
    }
    if (method === 'POST' && path === '/api/events') return send(res, 201, { event: payload });
    const flag = /^\/api\/flags\/([^/]+)$/.exec(path);
    if (flag && method === 'DELETE') return send(res, 404, { error: { code: 'LAB_CONTROL_NOT_FOUND', message: `flag "${flag[1]}" is not set` } });
    if (flag && method === 'PUT') return send(res, 200, { flags: { [decodeURIComponent(flag[1]!)]: (payload as { value: unknown }).value } });
    return send(res, 404, { error: { code: 'LAB_CONTROL_NOT_FOUND', message: `no API at ${method} ${path}` } });
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, { error: { code: 'LAB_CONTROL_INTERNAL', message: String(err) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return fake;
}

/** Drill events the fake received, as `action: detail`. */
export function drillEvents(fake: FakeControl): string[] {
  return fake.calls('POST', '/api/events').map((r) => {
    const e = r.body as { kind: string; action: string; detail: string };
    return `${e.kind} ${e.action}: ${e.detail}`;
  });
}
