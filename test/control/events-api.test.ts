import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createControlServer } from '../../src/control/api.js';
import { createEventLog } from '../../src/control/events.js';
import type { LabHandle } from '../../src/control/handle.js';

test('POST /api/events adds a chart marker from outside the lab; bad bodies are 400s naming the field', async (t) => {
  const events = createEventLog();
  const server = await createControlServer({ host: '127.0.0.1', port: 0, token: 'tok' });
  t.after(() => server.close());
  // Only the event log of the lab is needed by these routes; the rest of the handle is left out.
  server.attach({ events } as unknown as LabHandle);
  const post = async (body: unknown, token = 'tok'): Promise<{ status: number; body: { event?: unknown; error?: { code: string; message: string } } }> => {
    const res = await fetch(`${server.url}/api/events`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as { event?: unknown; error?: { code: string; message: string } } };
  };

  const ok = await post({ kind: 'drill', action: 'start', detail: 'drill replica-failover started' });
  assert.equal(ok.status, 201);
  assert.deepEqual(ok.body.event, { kind: 'drill', action: 'start', detail: 'drill replica-failover started' });
  const listed = events.since(0);
  assert.equal(listed.length, 1);
  assert.equal(listed[0]?.kind, 'drill');
  assert.ok(Math.abs((listed[0]?.timeMs ?? 0) - Date.now()) < 60_000);

  const badKind = await post({ kind: 'party', action: 'start', detail: 'x' });
  assert.equal(badKind.status, 400);
  assert.equal(badKind.body.error?.code, 'LAB_CONTROL_BAD_REQUEST');
  assert.match(badKind.body.error?.message ?? '', /kind must be "fault", "load", "lab" or "drill", received "party"/);
  const noDetail = await post({ kind: 'load', action: 'start' });
  assert.match(noDetail.body.error?.message ?? '', /detail must be a string of 1 to 500 characters/);
  const notObject = await post([1, 2]);
  assert.equal(notObject.status, 400);
  assert.equal((await post({ kind: 'load', action: 'a', detail: 'b' }, 'wrong')).status, 401);
  assert.equal(events.since(0).length, 1, 'nothing was added by the refused calls');
});
