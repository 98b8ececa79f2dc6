import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileValue, renderTemplate } from '../../../src/load/engine/index.js';
import { compileTask } from '../../../src/load/engine/request.js';
import { hasTemplates } from '../../../src/load/engine/template.js';
import { task } from './helpers.js';

const ctx = { vu: 3, iteration: 7, random: () => 0.5 };

test('a string that is one template renders its value; mixed text renders a string', () => {
  assert.equal(renderTemplate('{{vu}}', ctx), 3);
  assert.equal(renderTemplate('{{ iteration }}', ctx), 7);
  assert.equal(renderTemplate('{{randomInt 1 10}}', ctx), 6);
  assert.equal(renderTemplate('/users/{{vu}}/orders/{{iteration}}', ctx), '/users/3/orders/7');
  assert.equal(renderTemplate('{{pick latte|mocha|flat white}}', ctx), 'mocha');
  assert.equal(renderTemplate('plain', ctx), 'plain');
  assert.match(String(renderTemplate('{{uuid}}', ctx)), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('randomInt stays within its bounds, inclusive', () => {
  const seen = new Set<unknown>();
  for (const r of [0, 0.2, 0.4, 0.6, 0.8, 0.999999]) seen.add(renderTemplate('{{randomInt 1 3}}', { vu: 1, iteration: 0, random: () => r }));
  assert.deepEqual([...seen].sort(), [1, 2, 3]);
});

test('JSON bodies render templates in string values, recursively', () => {
  const body = compileValue({ item: '{{pick latte}}', qty: '{{randomInt 2 2}}', tags: ['vu-{{vu}}'], paid: true });
  assert.deepEqual(body(ctx), { item: 'latte', qty: 2, tags: ['vu-3'], paid: true });
});

test('an unknown or malformed template is an error naming it', () => {
  assert.throws(() => renderTemplate('{{nope}}', ctx), /unknown template "\{\{nope\}\}"/);
  assert.throws(() => renderTemplate('{{randomInt 5 1}}', ctx), /two integers a <= b/);
});

test('a task without templates is rendered once, at compile; one with a template anywhere is not', () => {
  assert.equal(hasTemplates({ a: ['x', { b: 'y {{vu}}' }] }), true);
  assert.equal(hasTemplates({ a: ['x', { b: 'y {vu}' }], n: 1, z: null }), false);
  const fixed = compileTask(task({ path: '/menu', headers: { accept: 'application/json' }, body: { n: 1 } }), 0, '/api/');
  assert.deepEqual(fixed.fixed, { path: '/api/menu', headers: { accept: 'application/json', 'content-type': 'application/json' }, body: '{"n":1}' });
  for (const templated of [task({ path: '/menu/{{randomInt 1 8}}' }), task({ headers: { 'Idempotency-Key': '{{uuid}}' } }), task({ body: { vu: '{{vu}}' } })]) {
    assert.equal(compileTask(templated, 0).fixed, null);
  }
});
