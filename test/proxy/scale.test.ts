/**
 * One proxy under 1,000 concurrent connections, and a clean shutdown: after POST
 * /reset and server.close() no socket, timer or listener of the proxy is left behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { api, connect, echoServer } from '../helpers/net.js';
import { addToxic, now, record, startProxy, until } from '../helpers/toxic-lab.js';
import type { RecordedSocket } from '../helpers/toxic-lab.js';

/** A hung socket fails the test instead of the run. */
const TEST_TIMEOUT_MS = 60_000;

const CONNECTIONS = 1000;
/** Connects in waves, so that the listen backlog (511) never overflows into SYN retries. */
const WAVE = 100;
/** A client, an upstream socket and the proxy's two sockets per connection, plus headroom. */
const DESCRIPTORS_NEEDED = CONNECTIONS * 4 + 200;

function openFileLimit(): number {
  const out = spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).stdout.trim();
  return out === 'unlimited' ? Infinity : Number(out);
}

/**
 * The active resources of this process, counted by type. CloseReq (a handle in the
 * middle of closing, e.g. the pipes of the spawnSync above) is transient and left out.
 */
function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) if (type !== 'CloseReq') counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

function sameResources(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
}

async function refused(port: number): Promise<string> {
  const socket = net.connect({ host: '127.0.0.1', port });
  const outcome = await Promise.race([
    once(socket, 'error').then(([err]) => (err as NodeJS.ErrnoException).code ?? 'error'),
    once(socket, 'connect').then(() => 'connected'),
  ]);
  socket.destroy();
  return outcome;
}

test('1,000 concurrent connections through one proxy open, echo and close cleanly; reset and close leave nothing behind', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const limit = openFileLimit();
  if (limit < DESCRIPTORS_NEEDED) {
    t.skip(`ulimit -n is ${limit}; this test needs ${DESCRIPTORS_NEEDED} descriptors (raise it with ulimit -n)`);
    return;
  }
  const baseline = resources();
  const started = now();

  const echo = await echoServer(t);
  const proxy = await startProxy(t, echo.port);
  // A toxic on the path, so that every connection runs through a stage (and its timers).
  await addToxic(proxy, { type: 'latency', attributes: { latency: 5, jitter: 2 } });
  const live = proxy.server.collection.get(proxy.name);

  const clients: RecordedSocket[] = [];
  for (let i = 0; i < CONNECTIONS; i += WAVE) {
    const wave = await Promise.all(Array.from({ length: WAVE }, () => connect(t, proxy.port)));
    clients.push(...wave.map((socket) => record(socket)));
  }
  const openedMs = now() - started;

  // Every client exchanges its own message while all of them are open.
  const messages = clients.map((_, i) => `message ${i} `.padEnd(32, '.'));
  const echoed = clients.map((c, i) => c.arrived(messages[i]!.length));
  clients.forEach((c, i) => c.socket.write(messages[i]!));
  await Promise.all(echoed);
  clients.forEach((c, i) => assert.equal(Buffer.concat(c.chunks.map((x) => x.data)).toString(), messages[i], `client ${i} got its own message back`));
  assert.equal(live.connections.size, CONNECTIONS, 'the proxy holds every connection at once');
  assert.equal(echo.sockets.size, CONNECTIONS, 'the upstream sees every connection at once');
  assert.equal(live.stats.connectionsOpen, CONNECTIONS);
  const exchangedMs = now() - started;

  // Clean close: each client ends, the echo ends back through the proxy, both sides close.
  const upstreamClosed = [...echo.sockets].map((s) => once(s, 'close'));
  const clientsClosed = clients.map((c) => once(c.socket, 'close'));
  for (const c of clients) c.socket.end();
  const outcomes = await Promise.all(clients.map((c) => c.done));
  assert.deepEqual(new Set(outcomes.map((o) => o.how)), new Set(['end']), 'every client got a clean FIN, no reset or error');
  await Promise.all([...clientsClosed, ...upstreamClosed]);
  await until(() => live.connections.size === 0, 'the proxy to let go of closed connections');
  assert.equal(live.stats.connectionsOpen, 0);
  assert.equal(live.stats.connectionsTotal, CONNECTIONS);
  const closedMs = now() - started;
  t.diagnostic(`${CONNECTIONS} connections: open ${openedMs.toFixed(0)} ms, exchanged ${exchangedMs.toFixed(0)} ms, closed ${closedMs.toFixed(0)} ms`);

  // Shutdown: reset, close, and nothing of the proxy remains.
  const reset = await api(proxy.url, 'POST', '/reset');
  assert.equal(reset.status, 204);
  const apiPort = Number(new URL(proxy.url).port);
  await proxy.server.close();
  assert.equal(await refused(proxy.port), 'ECONNREFUSED', 'the proxy listen port is closed');
  assert.equal(await refused(apiPort), 'ECONNREFUSED', 'the API port is closed');
  await new Promise<void>((resolve) => echo.server.close(() => resolve()));
  // Handles closed just now (the refused probes, the API's keep-alive connection, the
  // echo listener) leave the list a few event-loop turns later.
  await until(() => sameResources(resources(), baseline), 'the active resources to return to the baseline', 2000).catch(() => undefined);
  assert.deepEqual(resources(), baseline, 'no socket, timer or listener left behind');
});

test('server.close() with connections open and toxics holding data and timers leaves nothing behind', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const baseline = resources();
  const echo = await echoServer(t);
  const proxy = await startProxy(t, echo.port);
  // Each toxic keeps something pending: a long sleep, a rate schedule, a close timer.
  await addToxic(proxy, { type: 'latency', attributes: { latency: 60_000 } });
  await addToxic(proxy, { type: 'bandwidth', stream: 'upstream', attributes: { rate: 1 } });
  await addToxic(proxy, { type: 'timeout', attributes: { timeout: 60_000 } });
  await addToxic(proxy, { type: 'slow_close', stream: 'upstream', attributes: { delay: 60_000 } });
  const clients = await Promise.all(Array.from({ length: 20 }, () => connect(t, proxy.port).then((s) => record(s))));
  for (const c of clients) c.socket.end('x'.repeat(5000)); // held by bandwidth, then by slow_close
  const live = proxy.server.collection.get(proxy.name);
  await until(() => live.stats.bytes.downstream.received > 0, 'some data to pass the bandwidth toxic and come back');
  assert.ok((resources()['Timeout'] ?? 0) > (baseline['Timeout'] ?? 0), 'the toxics have timers pending');

  await proxy.server.close();
  const outcomes = await Promise.all(clients.map((c) => c.done));
  assert.equal(live.connections.size, 0);
  assert.ok(outcomes.every((o) => o.data.length === 0), 'nothing got back (the latency held it)');
  await new Promise<void>((resolve) => echo.server.close(() => resolve()));
  await until(() => sameResources(resources(), baseline), 'the active resources to return to the baseline', 2000).catch(() => undefined);
  assert.deepEqual(resources(), baseline, 'no socket, timer or listener left behind');
});
