/** Bodies stream through the edge both ways: a backend sees the start of an upload before it ends, a client sees the start of a download. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { TEST_TIMEOUT_MS, deferred, startBackend, startEdge } from './edge-lab.js';

const CHUNK = Buffer.alloc(64 * 1024, 'abcdefgh');

test('an upload reaches the backend while the client is still sending, and arrives whole', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const a = await startBackend(t, 'cafe-1');
  const firstChunk = deferred<number>();
  a.handler = (req, res) => {
    const hash = createHash('sha256');
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      if (bytes === 0) firstChunk.resolve(chunk.length);
      bytes += chunk.length;
      hash.update(chunk);
    });
    req.on('end', () => res.end(JSON.stringify({ bytes, sha256: hash.digest('hex'), te: req.headers['transfer-encoding'] ?? null })));
  };
  const edge = await startEdge(t, [a]);

  // Chunked, no length: the edge cannot know the size, so it must stream.
  const req = http.request({ host: '127.0.0.1', port: edge.port, method: 'POST', path: '/upload', agent: false });
  const response = once(req, 'response');
  const sent = createHash('sha256');
  req.write(CHUNK);
  sent.update(CHUNK);
  assert.ok((await firstChunk.promise) > 0, 'the backend got bytes before the client ended the request');
  for (let i = 0; i < 63; i++) {
    if (!req.write(CHUNK)) await once(req, 'drain');
    sent.update(CHUNK);
  }
  req.end();
  const [res] = (await response) as [http.IncomingMessage];
  let text = '';
  for await (const chunk of res) text += String(chunk);
  assert.equal(res.statusCode, 200);
  assert.deepEqual(JSON.parse(text), { bytes: 64 * CHUNK.length, sha256: sent.digest('hex'), te: 'chunked' });
});

test('a download reaches the client while the backend is still sending, and a large one arrives whole', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const a = await startBackend(t, 'cafe-1');
  const finish = deferred();
  const expected = createHash('sha256');
  for (let i = 0; i < 64; i++) expected.update(CHUNK);
  a.handler = (req, res) => {
    if (req.url === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
      void finish.promise.then(() => res.end('data: last\n\n'));
      return;
    }
    // 4 MiB with a Content-Length, written with backpressure.
    res.writeHead(200, { 'content-length': 64 * CHUNK.length });
    let i = 0;
    const more = (): void => {
      while (i < 64) {
        i++;
        if (!res.write(CHUNK)) {
          res.once('drain', more);
          return;
        }
      }
      res.end();
    };
    more();
  };
  const edge = await startEdge(t, [a]);

  const req = http.request({ host: '127.0.0.1', port: edge.port, path: '/events', agent: false });
  req.end();
  const [res] = (await once(req, 'response')) as [http.IncomingMessage];
  assert.equal(res.headers['content-type'], 'text/event-stream');
  const chunks = res[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await chunks.next();
  assert.equal(String(first.value), 'data: first\n\n', 'the first event arrives before the backend ends the response');
  finish.resolve();
  let rest = '';
  for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) rest += String(next.value);
  assert.equal(rest, 'data: last\n\n');

  const big = http.request({ host: '127.0.0.1', port: edge.port, path: '/big', agent: false });
  big.end();
  const [bigRes] = (await once(big, 'response')) as [http.IncomingMessage];
  assert.equal(bigRes.headers['content-length'], String(64 * CHUNK.length), 'Content-Length passes through');
  const got = createHash('sha256');
  for await (const chunk of bigRes) got.update(chunk as Buffer);
  assert.equal(got.digest('hex'), expected.digest('hex'));
});
