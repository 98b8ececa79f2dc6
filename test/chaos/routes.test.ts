/**
 * The /api/chaos* routes on a real control server, with a real chaos engine over a real
 * proxy attached as the lab (the rest of the handle is left out: these routes use only `chaos`).
 */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createControlServer } from '../../src/control/api.js';
import type { LabHandle } from '../../src/control/handle.js';
import type { ChaosInjected, ChaosRemoved, ChaosScenarioInfo, ChaosStatus } from '../../src/chaos/index.js';
import { addToxic } from '../helpers/proxy-api.js';
import { chaosLab } from './chaos-lab.js';
import type { ChaosLab } from './chaos-lab.js';

async function server(t: TestContext): Promise<{ lab: ChaosLab; call: <T>(method: string, path: string, body?: unknown) => Promise<{ status: number; body: T }> }> {
  const lab = await chaosLab(t);
  const control = await createControlServer({ host: '127.0.0.1', port: 0, token: 'tok' });
  t.after(() => control.close());
  control.attach({ chaos: lab.chaos, events: lab.events } as unknown as LabHandle);
  const call = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${control.url}${path}`, { method, headers: { authorization: 'Bearer tok', 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
    return { status: res.status, body: (await res.json()) as T };
  };
  return { lab, call };
}

type ApiError = { error: { code: string; message: string } };

test('GET scenarios, POST inject (201), GET status, DELETE by id, POST reset', async (t) => {
  const { lab, call } = await server(t);
  const scenarios = await call<{ scenarios: ChaosScenarioInfo[] }>('GET', '/api/chaos/scenarios');
  assert.equal(scenarios.status, 200);
  assert.equal(scenarios.body.scenarios.length, 14);

  const injected = await call<ChaosInjected>('POST', '/api/chaos', { scenario: 'postgres-latency', value: 250, durationMs: 30_000 });
  assert.equal(injected.status, 201);
  assert.equal(injected.body.fault.id, 'f1');
  assert.equal(injected.body.fault.expiresAtMs, lab.timers.now() + 30_000);
  await addToxic(lab.proxyUrl, 'cache', { name: 'lag', type: 'latency', attributes: { latency: 1 } });

  const status = await call<ChaosStatus>('GET', '/api/chaos');
  assert.deepEqual(status.body.faults.map((f) => f.id), ['f1', 'toxic:cache/lag']);

  const removed = await call<ChaosRemoved>('DELETE', `/api/chaos/${encodeURIComponent('toxic:cache/lag')}`);
  assert.equal(removed.status, 200);
  assert.deepEqual(removed.body.removed.map((f) => f.id), ['toxic:cache/lag']);
  assert.deepEqual((await lab.proxy('cache')).toxics, []);
  const missing = await call<ApiError>('DELETE', '/api/chaos/f42');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.code, 'LAB_CHAOS_FAULT_NOT_FOUND');

  const reset = await call<ChaosRemoved>('POST', '/api/chaos/reset');
  assert.equal(reset.status, 200);
  assert.deepEqual(reset.body.removed.map((f) => f.id), ['f1']);
  assert.deepEqual((await call<ChaosStatus>('GET', '/api/chaos')).body.faults, []);
});

test('errors: unknown fields named (400), unknown scenario (404), bad value (400), not available (409)', async (t) => {
  const { call } = await server(t);
  const unknownField = await call<ApiError>('POST', '/api/chaos', { scenario: 'postgres-latency', value: 1, latencyMs: 5 });
  assert.equal(unknownField.status, 400);
  assert.equal(unknownField.body.error.code, 'LAB_CHAOS_BAD_VALUE');
  assert.match(unknownField.body.error.message, /unknown field "latencyMs"/);
  const notObject = await call<ApiError>('POST', '/api/chaos', '[1]');
  assert.equal(notObject.status, 400);
  assert.match(notObject.body.error.message, /POST \/api\/chaos: the body must be a JSON object, received \[1\]/);
  const unknown = await call<ApiError>('POST', '/api/chaos', { scenario: 'meteor' });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.code, 'LAB_CHAOS_UNKNOWN_SCENARIO');
  const badValue = await call<ApiError>('POST', '/api/chaos', { scenario: 'cache-latency', value: 'slow' });
  assert.equal(badValue.status, 400);
  assert.match(badValue.body.error.message, /cache-latency: value \(latency_ms\) must be an integer from 0 to 600000 \(ms\), received "slow"/);
  const notAvailable = await call<ApiError>('POST', '/api/chaos', { scenario: 'flush-cache' });
  assert.equal(notAvailable.status, 409);
  assert.equal(notAvailable.body.error.code, 'LAB_CHAOS_NOT_AVAILABLE');
  const wrongMethod = await call<ApiError>('PUT', '/api/chaos');
  assert.equal(wrongMethod.status, 405);
});
