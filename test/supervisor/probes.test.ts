import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import type { TestContext } from 'node:test';
import { describeCheck, probe } from '../../src/supervisor/probes.js';

/** A port that refuses connections: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function httpServer(t: TestContext, status: number): Promise<number> {
  const server = http.createServer((_req, res) => res.writeHead(status).end());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as net.AddressInfo).port;
}

test('http: any 2xx passes by default; expectStatus asks for one status; the reason names the answer', async (t) => {
  const port204 = await httpServer(t, 204);
  const port503 = await httpServer(t, 503);
  assert.deepEqual(await probe({ type: 'http', url: `http://127.0.0.1:${port204}/` }, 1000), { ok: true });
  assert.deepEqual(await probe({ type: 'http', url: `http://127.0.0.1:${port204}/`, expectStatus: 200 }, 1000), { ok: false, reason: 'answered 204 (expected 200)' });
  assert.deepEqual(await probe({ type: 'http', url: `http://127.0.0.1:${port503}/` }, 1000), { ok: false, reason: 'answered 503 (expected 2xx)' });
  assert.deepEqual(await probe({ type: 'http', url: `http://127.0.0.1:${port503}/`, expectStatus: 503 }, 1000), { ok: true });
  assert.deepEqual(await probe({ type: 'http', url: `http://127.0.0.1:${await closedPort()}/` }, 1000), { ok: false, reason: 'connection refused' });
  assert.equal((await probe({ type: 'http', url: 'not a url' }, 1000)).ok, false);
});

test('tcp and sql report a refused connection; sql gives up after its timeout on a silent server', async (t) => {
  const port = await closedPort();
  assert.deepEqual(await probe({ type: 'tcp', host: '127.0.0.1', port }, 1000), { ok: false, reason: 'connection refused' });
  assert.deepEqual(await probe({ type: 'sql', url: `postgres://lab:secret@127.0.0.1:${port}/lab` }, 1000), { ok: false, reason: 'connection refused' });
  const sockets = new Set<net.Socket>();
  const silent = net.createServer((socket) => sockets.add(socket)).listen(0, '127.0.0.1');
  await once(silent, 'listening');
  t.after(() => {
    for (const s of sockets) s.destroy();
    silent.close();
  });
  const silentPort = (silent.address() as net.AddressInfo).port;
  assert.deepEqual(await probe({ type: 'tcp', host: '127.0.0.1', port: silentPort }, 1000), { ok: true });
  const result = await probe({ type: 'sql', url: `postgres://lab@127.0.0.1:${silentPort}/lab` }, 200);
  assert.equal(result.ok, false);
});

test('describeCheck names the check and hides a password', () => {
  assert.equal(describeCheck({ type: 'tcp', host: '127.0.0.1', port: 5432 }), 'tcp 127.0.0.1:5432');
  assert.equal(describeCheck({ type: 'http', url: 'http://127.0.0.1:8000/ready' }), 'http://127.0.0.1:8000/ready');
  assert.equal(describeCheck({ type: 'sql', url: 'postgres://lab:secret@127.0.0.1:5432/lab' }), 'sql postgres://lab:***@127.0.0.1:5432/lab');
});
