/**
 * The process-wide port registry: picked ports are never handed out twice while
 * their owners have yet to bind them; a taken port comes back as the listen error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { claimPort, isHandedOut, releasePort } from '../src/ports.js';

test('ports picked with port 0 are all different, though each is closed again at once', async () => {
  const ports: number[] = [];
  for (let i = 0; i < 200; i++) {
    const port = await claimPort('127.0.0.1', 0);
    assert.equal(typeof port, 'number', `claim ${i}: ${String(port)}`);
    ports.push(port as number);
  }
  assert.equal(new Set(ports).size, ports.length, 'no port handed out twice');
  for (const port of ports) {
    assert.ok(isHandedOut(port));
    releasePort(port);
    assert.ok(!isHandedOut(port), 'a released port may be handed out again');
  }
});

test('a fixed port: itself when free, the listen error when another program holds it', async (t) => {
  const holder = createServer();
  holder.listen({ host: '127.0.0.1', port: 0 });
  await once(holder, 'listening');
  t.after(() => holder.close());
  const held = (holder.address() as { port: number }).port;

  const taken = await claimPort('127.0.0.1', held);
  assert.ok(taken instanceof Error);
  assert.equal(taken.code, 'EADDRINUSE');
  assert.ok(!isHandedOut(held));

  const free = await claimPort('127.0.0.1', 0);
  assert.equal(typeof free, 'number');
  releasePort(free as number);
  assert.equal(await claimPort('127.0.0.1', free as number), free, 'a free fixed port is itself');
  releasePort(free as number);
});

test('an address that is not this machine\'s is an error, not a throw', async () => {
  const result = await claimPort('192.0.2.1', 0);
  assert.ok(result instanceof Error);
  assert.equal(result.code, 'EADDRNOTAVAIL');
});
