/**
 * `cloudlab up` with a user's own cloudlab.yaml (a tiny service of the test's own,
 * no database or cache), and the failures a user meets: an invalid config, a taken
 * port, a service that exits at once, one that never gets healthy. Each ends with one
 * clear message and leaves nothing running.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { FIXTURES, api, labDir, labState, processesUnder, run } from './lab-cli.js';

function config(extra: { env?: Record<string, string>; replicas?: number; consolePort?: number; healthStart?: string; command?: string; cache?: boolean } = {}): string {
  const env = Object.entries({ GREETING: 'hello', ...extra.env }).map(([k, v]) => `      ${k}: "${v}"`).join('\n');
  return `name: tiny-lab
console: { port: ${extra.consolePort ?? 0} }
toxiproxy: { port: 0 }
hub: { otlp_grpc_port: 0, otlp_http_port: 0, query_port: 0 }
${extra.cache ? 'dependencies:\n  cache: { engine: builtin, proxy: { listen: 0 } }\n' : ''}services:
  tiny:
    command: ${extra.command ?? `["node", "${join(FIXTURES, 'tiny-service.mjs')}"]`}
    replicas: ${extra.replicas ?? 2}
    environment:
${env}
    healthcheck: { http: /health, interval: 1s, start_period: ${extra.healthStart ?? '20s'} }
    ports: ["0"]
`;
}

test('a user config: two replicas of a tiny service behind the edge, with the variables injected', { timeout: 120_000 }, async (t) => {
  const dir = await labDir(t, 'user');
  await writeFile(join(dir, 'cloudlab.yaml'), config({ cache: true }));
  const up = await run(dir, ['up', '-d']);
  assert.equal(up.code, 0, `up failed: ${up.stderr}\n${up.stdout}`);
  assert.match(up.stdout, /cache: built-in RESP cache \(engine "builtin"; .*for the real engine\)/, 'the banner says which cache runs and how to get the real one');
  const state = await labState(dir);
  const cache = new URL(state.urls['cache']!);
  assert.equal(await resp(Number(cache.port), '*1\r\n$4\r\nPING\r\n'), '+PONG\r\n', 'the built-in cache answers through its proxy');
  const edge = state.urls['tiny (edge)']!;
  const seen = new Map<string, { port: string; otel: string; service: string; greeting: string }>();
  for (let i = 0; i < 6; i++) {
    const body = (await (await fetch(edge)).json()) as { replica: string; port: string; otel: string; service: string; greeting: string };
    seen.set(body.replica, body);
  }
  assert.deepEqual([...seen.keys()].sort(), ['tiny-1', 'tiny-2']);
  const [one, two] = [seen.get('tiny-1')!, seen.get('tiny-2')!];
  assert.notEqual(one.port, two.port, 'each replica on its own port');
  assert.equal(one.otel, state.urls['hub (OTLP/HTTP)']);
  assert.equal(one.service, 'tiny');
  assert.equal(one.greeting, 'hello');

  // The replicas' stdout reached `cloudlab logs` and the hub's log store.
  const logs = await run(dir, ['logs', 'tiny']);
  assert.match(logs.stdout, /tiny-1\s*\| tiny-service tiny-1 listening/);
  const hubLogs = await api<{ data?: unknown }>(state, 'GET', `/api/hub/api/logs?service=tiny&limit=10`);
  assert.equal(hubLogs.status, 200);
  assert.match(JSON.stringify(hubLogs.body), /tiny-service tiny-\d listening/);

  // The control API: token, Host check, errors that name the field, flags over OFREP.
  const anonymous = await fetch(`${state.controlUrl}/api/status`);
  assert.equal(anonymous.status, 401);
  assert.equal(((await anonymous.json()) as { error: { code: string } }).error.code, 'LAB_CONTROL_UNAUTHORIZED');
  const badScale = await api<{ error: { code: string; message: string } }>(state, 'POST', '/api/services/tiny/scale', { replicas: 'many' });
  assert.equal(badScale.status, 400);
  assert.match(badScale.body.error.message, /replicas must be an integer from 0 to 32, received "many"/);
  const unknown = await api<{ error: { code: string; message: string } }>(state, 'POST', '/api/services/nope/restart');
  assert.equal(unknown.status, 404);
  assert.match(unknown.body.error.message, /no service "nope"; services: tiny/);
  assert.equal((await api(state, 'PUT', '/api/flags/slowMenuQueryMs', { value: 250 })).status, 200);
  const ofrep = await fetch(`${state.controlUrl}/ofrep/v1/evaluate/flags/slowMenuQueryMs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"context":{}}' });
  assert.deepEqual(await ofrep.json(), { key: 'slowMenuQueryMs', value: 250, reason: 'STATIC', variant: 'default', metadata: {} });
  assert.deepEqual(JSON.parse(await readFile(join(dir, '.cloudlab', 'flags.json'), 'utf8')), { slowMenuQueryMs: 250 });

  // A toxic added through the API pass-through reaches the proxy and is recorded for the charts.
  const toxic = await api<{ name: string }>(state, 'POST', '/api/proxy/proxies/cache/toxics', { type: 'latency', attributes: { latency: 50 } });
  assert.equal(toxic.status, 200);
  const events = await api<{ events: Array<{ kind: string; action: string; detail: string }> }>(state, 'GET', '/api/events?since=0');
  assert.ok(events.body.events.some((e) => e.kind === 'fault' && e.action === 'inject' && e.detail.includes('latency')), JSON.stringify(events.body));
  assert.equal((await api(state, 'DELETE', `/api/proxy/proxies/cache/toxics/${toxic.body.name}`)).status, 204);

  // Scale to 0 and back: the edge answers 503 with the lab's error body meanwhile.
  assert.equal((await run(dir, ['scale', 'tiny=0'])).code, 0);
  const none = await fetch(edge);
  assert.equal(none.status, 503);
  assert.equal(((await none.json()) as { error: { code: string } }).error.code, 'LAB_EDGE_NO_BACKEND');
  assert.equal((await run(dir, ['scale', 'tiny=1'])).code, 0);
  assert.equal((await fetch(edge)).status, 200);

  // restart is rolling and keeps serving.
  const restarted = await run(dir, ['restart', 'tiny']);
  assert.equal(restarted.code, 0, restarted.stderr);

  assert.equal((await run(dir, ['down'])).code, 0);
  assert.deepEqual(processesUnder(dir), []);
});

test('a command that does not exist: the command, the directory and the fix', { timeout: 60_000 }, async (t) => {
  const dir = await labDir(t, 'nobinary');
  await writeFile(join(dir, 'cloudlab.yaml'), config({ command: '["no-such-program-cloudlab"]', replicas: 1 }));
  const up = await run(dir, ['up']);
  assert.equal(up.code, 1);
  assert.match(up.stderr, /no-such-program-cloudlab/);
  assert.match(up.stderr, /LAB_SUPERVISOR_SPAWN_FAILED/);
  assert.deepEqual(processesUnder(dir), []);
});

test('an invalid config: the file, the line, the key, the value and the fix; nothing starts', async (t) => {
  const dir = await labDir(t, 'badcfg');
  await writeFile(join(dir, 'cloudlab.yaml'), 'services:\n  tiny:\n    command: ["node", "x.js"]\n    replicas: two\n');
  const up = await run(dir, ['up']);
  assert.equal(up.code, 1);
  assert.match(up.stderr, /cloudlab\.yaml:4:\d+ services\.tiny\.replicas must be an integer .* received "two"; fix: /);
  assert.deepEqual(processesUnder(dir), []);
});

test('a taken port names the port, the key and the way out', async (t) => {
  const dir = await labDir(t, 'port');
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  const port = (blocker.address() as AddressInfo).port;
  await writeFile(join(dir, 'cloudlab.yaml'), config({ consolePort: port }));
  const up = await run(dir, ['up']);
  assert.equal(up.code, 1);
  assert.match(up.stderr, new RegExp(`127\\.0\\.0\\.1:${port} \\(console\\.port in .*cloudlab\\.yaml\\) is in use.*--free-ports.*\\[LAB_UP_PORT_IN_USE\\]`));
  assert.deepEqual(processesUnder(dir), []);
});

test('a service that exits at once: its name, its code and its last output; what started is stopped', { timeout: 60_000 }, async (t) => {
  const dir = await labDir(t, 'exits');
  await writeFile(join(dir, 'cloudlab.yaml'), config({ env: { EXIT_AT_ONCE: '1' } }));
  const up = await run(dir, ['up', '-d']);
  assert.equal(up.code, 1);
  assert.match(up.stderr, /tiny/);
  assert.match(up.stderr, /code 3/);
  assert.match(up.stderr, /refusing to start/);
  assert.deepEqual(processesUnder(dir), []);
});

test('a service that never gets healthy: the check that failed, after its start period', { timeout: 60_000 }, async (t) => {
  const dir = await labDir(t, 'unhealthy');
  await writeFile(join(dir, 'cloudlab.yaml'), config({ env: { NEVER_HEALTHY: '1' }, replicas: 1, healthStart: '2s' }));
  const up = await run(dir, ['up']);
  assert.equal(up.code, 1);
  assert.match(up.stderr, /\/health answered 503/);
  assert.deepEqual(processesUnder(dir), []);
});

/** One RESP request on a fresh connection; resolves with the first reply's bytes. */
function resp(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write(request));
    socket.once('data', (d) => {
      resolve(d.toString());
      socket.end();
    });
    socket.once('error', reject);
  });
}
