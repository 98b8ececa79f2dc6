import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createControlServer } from '../../../src/control/api.js';
import { createEventLog } from '../../../src/control/events.js';
import { createLoadRunner } from '../../../src/control/load-runner.js';
import type { LoadRunState } from '../../../src/control/load-runner.js';
import type { LabHandle } from '../../../src/control/handle.js';
import type { RunLoadOptions } from '../../../src/load/engine/index.js';
import type { RunSummary } from '../../../src/load/types.js';
import { summary as fixture } from '../report/fixtures.js';
import { httpTarget, tempDir } from './helpers.js';

test('POST/GET/DELETE /api/load drive one run at a time, with events, a report and 400s naming the field', async (t) => {
  const [edge, dir] = await Promise.all([httpTarget(t), tempDir(t)]);
  const events = createEventLog();
  const started = new EventTarget();
  let seen: RunLoadOptions | null = null;
  // The engine stand-in: one interval, then runs until stopped.
  const run = async (options: RunLoadOptions): Promise<RunSummary> => {
    seen = options;
    options.onInterval?.({ second: 1, users: 3, requests: 40, errors: {}, p50: 1, p95: 2, p99: 3 });
    started.dispatchEvent(new Event('started'));
    if (!options.signal?.aborted) await once(options.signal!, 'abort');
    return fixture({ scenario: options.scenario.name, target: options.scenario.target, interrupted: true });
  };
  const load = createLoadRunner({ stateDir: dir, defaultTarget: edge, otlpEndpoint: null, events, run });
  t.after(() => load.close());
  const server = await createControlServer({ host: '127.0.0.1', port: 0, token: 'tok' });
  t.after(() => server.close());
  server.attach({ load, events } as unknown as LabHandle);
  const call = async (method: string, body?: unknown): Promise<{ status: number; body: LoadRunState & { error: { code: string; message: string } } }> => {
    const res = await fetch(`${server.url}/api/load`, { method, headers: { authorization: 'Bearer tok', host: `127.0.0.1:${server.port}` }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: res.status, body: (await res.json()) as LoadRunState & { error: { code: string; message: string } } };
  };

  assert.equal((await call('GET')).body.state, 'idle');
  const bad = await call('POST', { scenario: 'steady', vus: -1 });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /vus must be a whole number/);
  const unknown = await call('POST', { scenario: 'nope' });
  assert.equal(unknown.status, 400);
  assert.match(unknown.body.error.message, /scenario must be one of "steady"/);
  assert.equal((await call('DELETE')).body.error.code, 'LAB_LOAD_NOT_RUNNING');

  const whenStarted = once(started, 'started');
  const ok = await call('POST', { scenario: 'steady', vus: 3, durationMs: 60_000 });
  assert.equal(ok.status, 202);
  assert.equal(ok.body.state, 'running');
  assert.equal(ok.body.target, edge);
  await whenStarted;
  assert.equal(seen!.scenario.target, edge);
  const busy = await call('POST', { scenario: 'spike' });
  assert.equal(busy.status, 409);
  assert.equal(busy.body.error.code, 'LAB_LOAD_ALREADY_RUNNING');
  assert.deepEqual((await call('GET')).body.intervals.map((i) => i.users), [3]);

  assert.equal((await call('DELETE')).status, 202);
  await load.close();
  const done = await call('GET');
  assert.equal(done.body.state, 'done');
  assert.equal(done.body.summary?.interrupted, true);
  assert.ok(done.body.reportFile && existsSync(done.body.reportFile) && existsSync(done.body.reportFile.replace(/\.json$/, '.html')));
  assert.deepEqual(events.since(0).map((e) => `${e.kind} ${e.action}`), ['load start', 'load stop']);
  assert.match(events.since(0)[1]!.detail, /stopped/);
});
