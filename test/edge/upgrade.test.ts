/** Upgrade requests with a raw handshake: tunnelled on 101, relayed when declined, 503 with no backend. */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import type { Duplex } from 'node:stream';
import { TEST_TIMEOUT_MS, startBackend, startEdge } from './edge-lab.js';

/** Reads from `socket` until `done(text so far)`; resolves with the text. */
function readUntil(socket: net.Socket, done: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('latin1');
      if (done(text)) {
        cleanup();
        resolve(text);
      }
    };
    const onEnd = (): void => {
      cleanup();
      if (done(text)) resolve(text);
      else reject(new Error(`connection ended after ${JSON.stringify(text)}`));
    };
    const cleanup = (): void => {
      socket.off('data', onData);
      socket.off('end', onEnd);
    };
    socket.on('data', onData);
    socket.on('end', onEnd);
  });
}

/** Everything `socket` receives until the other side ends the connection. */
async function readAll(socket: net.Socket): Promise<string> {
  let text = '';
  for await (const chunk of socket) text += (chunk as Buffer).toString('latin1');
  return text;
}

async function connect(t: TestContext, port: number): Promise<net.Socket> {
  const socket = net.connect(port, '127.0.0.1');
  t.after(() => socket.destroy());
  await once(socket, 'connect');
  return socket;
}

const HANDSHAKE = 'GET /ws?room=1 HTTP/1.1\r\nHost: cafe.local\r\nConnection: Upgrade\r\nUpgrade: echo\r\ntraceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\r\n\r\n';

test('an upgrade is tunnelled both ways after the backend answers 101; close() ends the tunnel', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const a = await startBackend(t, 'cafe-1');
  let seen: http.IncomingHttpHeaders | undefined;
  const tunnels = new Set<Duplex>();
  t.after(() => tunnels.forEach((s) => s.destroy()));
  a.server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    seen = req.headers;
    tunnels.add(socket);
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n');
    if (head.length > 0) socket.write(head);
    socket.pipe(socket);
  });
  const edge = await startEdge(t, [a]);

  const client = await connect(t, edge.port);
  // Bytes right after the handshake ("early") must reach the backend too.
  client.write(`${HANDSHAKE}early`);
  const handshake = await readUntil(client, (text) => text.endsWith('\r\n\r\nearly'));
  const [head] = handshake.split('\r\n\r\n');
  const lines = head!.split('\r\n');
  assert.equal(lines[0], 'HTTP/1.1 101 Switching Protocols');
  assert.ok(lines.includes('Upgrade: echo'));
  assert.ok(lines.includes('Connection: Upgrade'));
  assert.ok(lines.includes('x-cloudlab-backend: cafe-1'));

  client.write('ping');
  assert.equal(await readUntil(client, (text) => text === 'ping'), 'ping');

  assert.equal(seen?.['upgrade'], 'echo');
  assert.equal(seen?.['connection'], 'Upgrade');
  assert.equal(seen?.['host'], 'cafe.local');
  assert.equal(seen?.['x-forwarded-for'], '127.0.0.1');
  assert.equal(seen?.['traceparent'], '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
  assert.match(edge.metrics(), /^cloudlab_edge_requests_total\{service="cafe",backend="cafe-1",code="101"\} 1$/m);
  assert.match(edge.metrics(), /^cloudlab_edge_in_flight\{service="cafe"\} 0$/m, 'an open tunnel is not a request in flight');

  const closed = once(client, 'close');
  await edge.close();
  await closed;
});

test('a backend that declines the upgrade has its answer relayed, then the connection closes', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const a = await startBackend(t, 'cafe-1'); // no 'upgrade' listener: node:http answers it as a plain request
  const edge = await startEdge(t, [a]);
  const client = await connect(t, edge.port);
  client.write(HANDSHAKE);
  const [head, body] = (await readAll(client)).split('\r\n\r\n');
  const lines = head!.split('\r\n');
  assert.equal(lines[0], 'HTTP/1.1 200 OK');
  assert.ok(lines.includes('x-cloudlab-backend: cafe-1'));
  assert.ok(lines.includes('Connection: close'));
  assert.deepEqual(JSON.parse(body!), { backend: 'cafe-1', method: 'GET', url: '/ws?room=1', bodyLength: 0 });
});

test('an upgrade with no backend in rotation gets the 503 JSON error', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const edge = await startEdge(t, []);
  const client = await connect(t, edge.port);
  client.write(HANDSHAKE);
  const [head, body] = (await readAll(client)).split('\r\n\r\n');
  assert.match(head!, /^HTTP\/1\.1 503 Service Unavailable\r\n/);
  assert.deepEqual(JSON.parse(body!), {
    error: { code: 'LAB_EDGE_NO_BACKEND', message: 'no healthy replica of cafe; none is registered (replicas join the edge once they are ready)' },
  });
});
