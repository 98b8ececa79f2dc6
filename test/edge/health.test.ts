/**
 * Active health checks with thresholds, the passive cool-off (with an injected clock),
 * markDown() and setBackends() keeping or resetting health.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TIMEOUT_MS, answeredBy, deadBackend, nextChange, request, startBackend, startEdge } from './edge-lab.js';

test('a failing health check takes a backend out after the threshold, a passing one puts it back', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const a = await startBackend(t, 'cafe-1');
  const b = await startBackend(t, 'cafe-2');
  const edge = await startEdge(t, [a, b], { healthPath: '/health', healthIntervalMs: 10, healthTimeoutMs: 1_000, unhealthyThreshold: 2, healthyThreshold: 2 });

  const out = nextChange(edge, (c) => c.id === 'cafe-1');
  const checksBefore = a.checks;
  a.healthy = false;
  const wentOut = await out;
  assert.deepEqual(wentOut, { id: 'cafe-1', healthy: false, reason: 'health-check-failed', detail: 'GET /health answered 503' });
  assert.ok(a.checks - checksBefore >= 2, 'not before the second failed check');
  assert.deepEqual(edge.backends().map((s) => s.healthy), [false, true]);
  assert.match(edge.metrics(), /^cloudlab_edge_backend_up\{service="cafe",backend="cafe-1"\} 0$/m);

  const whileOut = await Promise.all(Array.from({ length: 4 }, () => request(edge.port)));
  assert.deepEqual(whileOut.map(answeredBy), ['cafe-2', 'cafe-2', 'cafe-2', 'cafe-2']);

  const back = nextChange(edge, (c) => c.id === 'cafe-1');
  const checksAtRecovery = a.checks;
  a.healthy = true;
  assert.deepEqual(await back, { id: 'cafe-1', healthy: true, reason: 'health-check-passed', detail: 'GET /health answered 200' });
  assert.ok(a.checks - checksAtRecovery >= 2, 'healthyThreshold 2: two passes needed');
  assert.match(edge.metrics(), /^cloudlab_edge_backend_up\{service="cafe",backend="cafe-1"\} 1$/m);
  const after = await Promise.all(Array.from({ length: 4 }, () => request(edge.port)));
  assert.deepEqual(after.map(answeredBy).sort(), ['cafe-1', 'cafe-1', 'cafe-2', 'cafe-2']);
});

test('a health check with no answer within healthTimeoutMs fails', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const a = await startBackend(t, 'cafe-1');
  a.server.removeAllListeners('request');
  a.server.on('request', () => undefined); // accepts, never answers
  const edge = await startEdge(t, [a], { healthPath: '/health', healthIntervalMs: 10, healthTimeoutMs: 50, unhealthyThreshold: 1 });
  const change = await nextChange(edge, () => true);
  assert.deepEqual(change, { id: 'cafe-1', healthy: false, reason: 'health-check-failed', detail: 'GET /health had no answer within 50 ms' });
  const answer = await request(edge.port);
  assert.equal(answer.status, 503);
  assert.match((answer.json as { error: { message: string } }).error.message, /cafe-1 \(health check failed 1 time: GET \/health had no answer within 50 ms\)/);
});

test('a backend the supervisor marks down leaves at once and returns after a passed check', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const a = await startBackend(t, 'cafe-1');
  const b = await startBackend(t, 'cafe-2');
  const edge = await startEdge(t, [a, b], { healthPath: '/health', healthIntervalMs: 10, healthTimeoutMs: 1_000 });
  const back = nextChange(edge, (c) => c.id === 'cafe-1' && c.healthy);
  const changes: string[] = [];
  edge.onBackendChange((c) => changes.push(`${c.id} ${c.healthy} ${c.reason}`));
  edge.markDown('cafe-1');
  edge.markDown('no-such-replica'); // a race with setBackends is not an error
  assert.deepEqual(edge.backends().map((s) => s.healthy), [false, true], 'out at once, before any check');
  await back;
  assert.deepEqual(changes, ['cafe-1 false marked-down', 'cafe-1 true health-check-passed']);
});

test('setBackends keeps the health of a backend still present and starts a new or moved one healthy', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const a = await startBackend(t, 'cafe-1');
  const b = await startBackend(t, 'cafe-2');
  const c = await startBackend(t, 'cafe-3');
  const edge = await startEdge(t, [a, b]);
  await request(edge.port);
  edge.markDown('cafe-1');
  edge.markDown('cafe-2');

  edge.setBackends([a.backend, b.backend, c.backend]);
  assert.deepEqual(
    edge.backends().map((s) => [s.id, s.healthy, s.requests]),
    [
      ['cafe-1', false, 1],
      ['cafe-2', false, 0],
      ['cafe-3', true, 0],
    ],
  );
  // cafe-2 restarted on another port: a new replica process, healthy.
  edge.setBackends([a.backend, { ...b.backend, port: c.backend.port }]);
  assert.deepEqual(
    edge.backends().map((s) => [s.id, s.healthy, s.port]),
    [
      ['cafe-1', false, a.backend.port],
      ['cafe-2', true, c.backend.port],
    ],
  );
  assert.doesNotMatch(edge.metrics(), /cafe-3/, 'a removed backend has no up series');

  assert.throws(() => edge.setBackends([a.backend, { ...a.backend }]), {
    code: 'LAB_EDGE_INVALID_OPTIONS',
    message: 'edge backends[1].id must be unique within the service cafe, received "cafe-1"',
  });
  assert.throws(() => edge.setBackends([{ id: 'x', host: '127.0.0.1', port: 70_000 }]), {
    code: 'LAB_EDGE_INVALID_OPTIONS',
    message: 'edge backends[0].port must be an integer from 1 to 65535, received 70000',
  });
  assert.equal(edge.backends().length, 2, 'a rejected list changes nothing');
});

test('with passive checks only, a backend taken out by a failure returns after the cool-off (healthIntervalMs)', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  let now = 1_000;
  const dead = await deadBackend(t, 'cafe-1');
  const b = await startBackend(t, 'cafe-2');
  const edge = await startEdge(t, [dead, b], { healthPath: null, healthIntervalMs: 5_000, clock: () => now });
  const changes: string[] = [];
  edge.onBackendChange((c) => changes.push(`${c.id} ${c.healthy} ${c.reason}`));

  assert.equal(answeredBy(await request(edge.port)), 'cafe-2', 'retried after the refused connection');
  assert.deepEqual(edge.backends().map((s) => s.healthy), [false, true]);
  now += 4_999;
  assert.deepEqual(edge.backends().map((s) => s.healthy), [false, true], 'still cooling off');
  now += 1;
  assert.deepEqual(edge.backends().map((s) => s.healthy), [true, true], 'back in rotation on probation');
  assert.equal(answeredBy(await request(edge.port)), 'cafe-2', 'the next try fails over again');
  assert.deepEqual(changes, ['cafe-1 false request-failed', 'cafe-1 true cool-off-ended', 'cafe-1 false request-failed']);
  assert.equal(b.checks, 0, 'no active checks');
});
