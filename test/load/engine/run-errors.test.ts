import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runLoad } from '../../../src/load/engine/index.js';
import { closedScenario, startServer, task } from './helpers.js';

for (const transport of ['http1', 'undici'] as const) test(`errors are counted by kind and never stop the run (${transport}): 5xx, 4xx, timeout, reset, check, refused`, async (t) => {
  const hung: Array<() => void> = [];
  const server = await startServer(t, (req, res) => {
    if (req.url === '/500') res.writeHead(500).end('boom');
    else if (req.url === '/404') res.writeHead(404).end();
    else if (req.url === '/slow') hung.push(() => res.end()); // answered only at the end
    else if (req.url === '/reset') req.socket.destroy();
    else if (req.url === '/closing') {
      // The last answer: the server stops listening, so the next connects are refused.
      res.setHeader('connection', 'close');
      res.end('bye');
      server.server.close();
    } else res.end('fine');
  });
  t.after(() => hung.forEach((end) => end()));
  const tasks = [
    task({ name: 'five', path: '/500' }), task({ name: 'four', path: '/404' }), task({ name: 'slow', path: '/slow' }),
    task({ name: 'reset', path: '/reset' }), task({ name: 'check', path: '/ok', check: { status: [200], bodyIncludes: 'latte' } }),
  ];
  const first = await runLoad({ scenario: closedScenario(server.url, 5, 1200, tasks, 200), transport });
  for (const kind of ['http_5xx', 'http_4xx', 'timeout', 'reset', 'check'] as const) {
    assert.ok((first.errors[kind] ?? 0) > 0, `${kind} in ${JSON.stringify(first.errors)}`);
  }
  assert.equal(first.tasks.find((x) => x.name === 'five')?.errors.http_5xx, first.tasks.find((x) => x.name === 'five')?.requests);
  assert.equal(first.errors.other, undefined);
  assert.ok(first.errorRatio > 0.99);

  const refused = await runLoad({ scenario: closedScenario(server.url, 2, 500, [task({ name: 'closing', path: '/closing' })], 1000), transport });
  assert.ok((refused.errors.connect ?? 0) > 0, JSON.stringify(refused.errors));
  assert.ok(refused.requests >= 1);
});

for (const transport of ['http1', 'undici'] as const) test(`a task with record: true appends one JSON line per request, with its idempotency key and parsed body (${transport})`, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cloudlab-load-record-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const server = await startServer(t, (req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: req.headers['idempotency-key'], received: body ? (JSON.parse(body) as unknown) : null }));
    });
  });
  const file = join(dir, 'orders.jsonl');
  const order = task({ name: 'order', method: 'POST', path: '/orders', headers: { 'Idempotency-Key': '{{uuid}}' }, body: { item: '{{pick latte|mocha}}', vu: '{{vu}}' }, record: true });
  const summary = await runLoad({ scenario: closedScenario(server.url, 3, 500, [order, task({ name: 'menu', path: '/menu', weight: 1 })]), recordFile: file, transport });
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { task: string; method: string; path: string; idempotencyKey: string; status: number; body: { id: string; received: { item: string; vu: number } }; timeMs: number });
  const orders = summary.tasks.find((x) => x.name === 'order')?.requests ?? 0;
  assert.ok(orders > 0);
  assert.equal(lines.length, orders);
  assert.equal(new Set(lines.map((l) => l.idempotencyKey)).size, lines.length);
  for (const line of lines) {
    assert.equal(line.task, 'order');
    assert.equal(line.method, 'POST');
    assert.equal(line.path, '/orders');
    assert.equal(line.status, 200);
    assert.equal(line.body.id, line.idempotencyKey);
    assert.ok(['latte', 'mocha'].includes(line.body.received.item));
    assert.equal(typeof line.body.received.vu, 'number');
    assert.ok(line.timeMs > Date.now() - 60_000);
  }
});

test('an abort stops at once, cuts requests in flight within 1 s, and still returns a summary', async (t) => {
  const hung: Array<() => void> = [];
  const server = await startServer(t, (req, res) => {
    if (req.url === '/hang') hung.push(() => res.end());
    else setTimeout(() => res.end('ok'), 5);
  });
  t.after(() => hung.forEach((end) => end()));
  const controller = new AbortController();
  let abortedAt = 0;
  const tasks = [task({ name: 'fast', path: '/', weight: 9 }), task({ name: 'hang', path: '/hang', weight: 1 })];
  const summary = await runLoad({
    scenario: closedScenario(server.url, 4, 60_000, tasks, 30_000), signal: controller.signal,
    onInterval: () => {
      if (abortedAt > 0) return;
      abortedAt = Date.now();
      controller.abort();
    },
  });
  const tookMs = Date.now() - abortedAt;
  assert.equal(summary.interrupted, true);
  assert.ok(tookMs < 1500, `stopped ${tookMs} ms after the abort`);
  assert.ok(summary.durationMs < 3000);
  assert.ok((summary.tasks.find((x) => x.name === 'fast')?.requests ?? 0) > 0);
});
