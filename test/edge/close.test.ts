/** close(): stop listening, let in-flight requests finish within drainTimeoutMs, leave nothing open. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TEST_TIMEOUT_MS, deferred, request, startBackend, startEdge } from './edge-lab.js';

const CHILD = fileURLToPath(new URL('./fixtures/close-child.js', import.meta.url));

test('close() stops accepting, lets an in-flight request finish, and marks its answer Connection: close', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const a = await startBackend(t, 'cafe-1');
  const arrived = deferred();
  const release = deferred();
  a.handler = (req, res) => {
    arrived.resolve();
    void release.promise.then(() => a.echo(req, res));
  };
  const edge = await startEdge(t, [a]);

  const answer = request(edge.port, { path: '/slow' });
  await arrived.promise;
  const closing = edge.close();

  const refused = net.connect(edge.port, '127.0.0.1');
  const [err] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
  assert.equal(err.code, 'ECONNREFUSED', 'no new connections once closing');

  release.resolve();
  const done = await answer;
  assert.equal(done.status, 200);
  assert.equal(done.headers['connection'], 'close');
  await closing;
  assert.equal(edge.close(), closing, 'close() is idempotent');
});

test('close() cuts a request still running after drainTimeoutMs', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const a = await startBackend(t, 'cafe-1');
  const arrived = deferred();
  a.handler = () => arrived.resolve(); // never answers
  const edge = await startEdge(t, [a], { drainTimeoutMs: 50 });
  const req = http.request({ host: '127.0.0.1', port: edge.port, path: '/hang', agent: false });
  req.end();
  const failed = once(req, 'error');
  await arrived.promise;
  await edge.close();
  const [err] = (await failed) as [NodeJS.ErrnoException];
  assert.equal(err.code, 'ECONNRESET');
});

test('after close() nothing the edge opened keeps the process alive', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const child = spawn(process.execPath, [CHILD], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  let errors = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (errors += d));
  const [code] = (await once(child, 'close')) as [number | null];
  assert.equal(code, 0, errors);
  const match = /^connections closed after (\d+) ms\n$/.exec(out);
  assert.ok(match, `child output: ${JSON.stringify(out)} ${errors}`);
  // Left open, a connection would last until the 5 s (edge's client side) or 60 s (backend) keep-alive timeout.
  assert.ok(Number(match[1]) < 2_500, `the connections closed ${match[1]} ms after close()`);
});
