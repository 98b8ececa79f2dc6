import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listenControl } from '../../src/control/control-listener.js';

test('the held console port answers 503 LAB_CONTROL_NOT_READY until the API serves it, then the API answers', async (t) => {
  const listener = await listenControl('127.0.0.1', 0);
  t.after(() => listener.close());
  assert.ok(listener.port > 0);
  assert.equal(listener.url, `http://127.0.0.1:${listener.port}`);

  const before = await fetch(`${listener.url}/api/status`);
  assert.equal(before.status, 503);
  const body = (await before.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, 'LAB_CONTROL_NOT_READY');
  assert.match(body.error.message, /still starting/);

  listener.serve((req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(`api: ${req.url}`));
  const after = await fetch(`${listener.url}/api/status`);
  assert.equal(after.status, 200);
  assert.equal(await after.text(), 'api: /api/status');
});

test('a taken console port fails at once with EADDRINUSE', async (t) => {
  const first = await listenControl('127.0.0.1', 0);
  t.after(() => first.close());
  await assert.rejects(listenControl('127.0.0.1', first.port), { code: 'EADDRINUSE' });
});
