import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTIN_SCENARIOS, BUILTIN_TARGET, builtinScenario, loadScenario, parseScenario } from '../../../src/load/scenario/index.js';
import { compileValue } from '../../../src/load/engine/index.js';
import type { LoadModel } from '../../../src/load/types.js';

test('the built-ins are steady, morning-rush and spike, and each validates against the cafe', async () => {
  assert.deepEqual(BUILTIN_SCENARIOS, ['steady', 'morning-rush', 'spike']);
  for (const name of BUILTIN_SCENARIOS) {
    const s = await loadScenario(name, { cwd: '/nonexistent' });
    assert.equal(s.name, name);
    assert.equal(s.source, `built-in:${name}`);
    assert.equal(s.target, BUILTIN_TARGET);
    assert.equal(BUILTIN_TARGET, 'http://127.0.0.1:8000');
    assert.deepEqual(s.thresholds.map((t) => `${t.metric}:${t.expression}`), ['http_req_duration:p(95)<500', 'http_req_failed:rate<0.05']);
  }
});

test('steady: 20 users for 60s', () => {
  assert.deepEqual(builtinScenario('steady').model, { kind: 'closed', startUsers: 20, stages: [{ durationMs: 60_000, target: 20 }] });
});

test('morning-rush: 0 -> 100 users over 60s, hold 120s, down over 30s; menu reads and ~10% recorded orders', () => {
  const s = builtinScenario('morning-rush');
  assert.deepEqual(s.model, {
    kind: 'closed',
    startUsers: 0,
    stages: [
      { durationMs: 60_000, target: 100 },
      { durationMs: 120_000, target: 100 },
      { durationMs: 30_000, target: 0 },
    ],
  });
  const total = s.tasks.reduce((sum, t) => sum + t.weight, 0);
  const byName = new Map(s.tasks.map((t) => [t.name, t]));
  assert.deepEqual([...byName.keys()], ['menu', 'menu-item', 'order']);
  assert.equal(byName.get('menu')?.path, '/menu');
  assert.equal(byName.get('menu-item')?.path, '/menu/{{randomInt 1 8}}');
  const order = byName.get('order');
  assert.ok(order);
  assert.equal(order.weight / total, 0.1);
  assert.equal(order.method, 'POST');
  assert.equal(order.path, '/orders');
  assert.deepEqual(order.headers, { 'Idempotency-Key': '{{uuid}}' });
  assert.deepEqual(order.body, { items: [{ menuItemId: '{{randomInt 1 8}}', quantity: 1 }] }, 'a whole-string template renders to a number');
  const rendered = compileValue(order.body)({ vu: 1, iteration: 0, random: () => 0.99 });
  assert.deepEqual(rendered, { items: [{ menuItemId: 8, quantity: 1 }] }, 'the engine renders the number');
  assert.deepEqual(order.check, { status: [200, 201] });
  assert.equal(order.record, true);
  assert.ok(s.tasks.filter((t) => t !== order).every((t) => t.method === 'GET' && !t.record));
});

test('spike: open model, 20 req/s, a jump to 300 req/s for 20s, back to 20', () => {
  const s = builtinScenario('spike');
  assert.deepEqual(s.model, {
    kind: 'open',
    startRate: 20,
    maxInFlight: 1000,
    stages: [
      { durationMs: 30_000, target: 20 },
      { durationMs: 0, target: 300 },
      { durationMs: 20_000, target: 300 },
      { durationMs: 0, target: 20 },
      { durationMs: 30_000, target: 20 },
    ],
  });
});

test('overrides on built-ins: --target, and --vus/--duration keep the shape of the stages', () => {
  assert.equal(builtinScenario('steady', { target: 'http://127.0.0.1:9000/' }).target, 'http://127.0.0.1:9000');
  assert.deepEqual(builtinScenario('steady', { vus: 5, durationMs: 10_000 }).model, { kind: 'closed', startUsers: 5, stages: [{ durationMs: 10_000, target: 5 }] });
  const rush = builtinScenario('morning-rush', { vus: 10, durationMs: 21_000 }).model;
  assert.deepEqual(rush, {
    kind: 'closed',
    startUsers: 0,
    stages: [
      { durationMs: 6000, target: 10 },
      { durationMs: 12_000, target: 10 },
      { durationMs: 3000, target: 0 },
    ],
  });
  const spike = builtinScenario('spike', { rate: 600, vus: 50, durationMs: 8000 }).model;
  assert.equal(spike.kind === 'open' && spike.maxInFlight, 50, '--vus on an open model is its maxInFlight (maxVUs)');
  assert.deepEqual(spike.kind === 'open' && spike.startRate, 40);
  assert.deepEqual(spike.stages.map((s) => s.target), [40, 600, 600, 40, 40]);
  assert.equal(spike.stages.reduce((sum, s) => sum + s.durationMs, 0), 8000);
  assert.deepEqual(spike.stages.map((s) => s.durationMs), [3000, 0, 2000, 0, 3000]);
});

test('--rate on a closed model makes it open at that rate for the same time; rounding goes to the last timed stage', () => {
  const text = 'target: http://h:1\nvus: 3\nduration: 10s\ntasks: [{ name: a, path: / }]';
  const open: LoadModel = parseScenario(text, 'a.yaml', { rate: 25 }).model;
  assert.deepEqual(open, { kind: 'open', startRate: 25, stages: [{ durationMs: 10_000, target: 25 }], maxInFlight: 1000 });
  const staged = 'target: http://h:1\nstages: [{ duration: 1s, target: 3 }, { duration: 1s, target: 3 }, { duration: 1s, target: 0 }, { duration: 0s, target: 0 }]\ntasks: [{ name: a, path: / }]';
  assert.deepEqual(parseScenario(staged, 'a.yaml', { durationMs: 1000 }).model.stages.map((s) => s.durationMs), [333, 333, 334, 0]);
  assert.equal(parseScenario('vus: 1\nduration: 1s\ntasks: [{ name: a, path: / }]', 'a.yaml', { target: 'https://x.test' }).target, 'https://x.test', '--target stands in for a missing target');
});
