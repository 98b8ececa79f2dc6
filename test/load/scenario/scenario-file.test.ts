import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario, parseScenario } from '../../../src/load/scenario/index.js';

const MINIMAL = 'target: http://127.0.0.1:8080\nvus: 50\nduration: 10s\ntasks: [{ name: root, method: GET, path: / }]\n';

test('the minimal k6-like file runs: 50 users for 10s, one GET /', () => {
  const s = parseScenario(MINIMAL, 'minimal.yaml');
  assert.deepEqual(s, {
    name: 'minimal',
    target: 'http://127.0.0.1:8080',
    model: { kind: 'closed', startUsers: 50, stages: [{ durationMs: 10_000, target: 50 }] },
    tasks: [{ name: 'root', weight: 1, method: 'GET', path: '/', headers: {}, thinkMs: { min: 0, max: 0 }, record: false }],
    thresholds: [],
    timeoutMs: 10_000,
    source: 'minimal.yaml',
  });
  assert.ok(Object.isFrozen(s) && Object.isFrozen(s.tasks[0]), 'the scenario is frozen');
});

test('every task key, timeout, name and thresholds are read', () => {
  const text = `
name: lunch
target: https://cafe.example/api/
timeout: 2s
vus: 3
duration: 1m30s
tasks:
  - name: order
    weight: 2.5
    method: post
    path: /orders/{{vu}}-{{iteration}}
    headers: { Idempotency-Key: '{{uuid}}', X-Try: 1 }
    body: { items: [{ menuItemId: '{{randomInt 1 8}}', quantity: 1 }], note: '{{pick hot|iced}}' }
    check: { status: [200, 201], body_includes: '"id"' }
    think: 1s-3s
    record: true
  - { name: menu, path: /menu, check: { status: 200 }, think: 2s }
  - { name: item, path: /menu/1, json: [1, 2], think: { min: 500ms, max: 1s } }
thresholds:
  http_req_duration: ['p(95)<250', 'avg<100']
  http_req_failed: 'rate<0.01'
  'http_req_duration{task:menu}': [{ threshold: 'p(99)<=400' }]
`;
  const s = parseScenario(text, 'lunch.yaml');
  assert.equal(s.name, 'lunch');
  assert.equal(s.target, 'https://cafe.example/api', 'trailing slash dropped');
  assert.equal(s.timeoutMs, 2000);
  assert.deepEqual(s.model, { kind: 'closed', startUsers: 3, stages: [{ durationMs: 90_000, target: 3 }] });
  const [order, menu, item] = s.tasks;
  assert.deepEqual(order, {
    name: 'order',
    weight: 2.5,
    method: 'POST',
    path: '/orders/{{vu}}-{{iteration}}',
    headers: { 'Idempotency-Key': '{{uuid}}', 'X-Try': '1' },
    body: { items: [{ menuItemId: '{{randomInt 1 8}}', quantity: 1 }], note: '{{pick hot|iced}}' },
    check: { status: [200, 201], bodyIncludes: '"id"' },
    thinkMs: { min: 1000, max: 3000 },
    record: true,
  });
  assert.deepEqual(menu?.check, { status: [200] });
  assert.deepEqual(menu?.thinkMs, { min: 2000, max: 2000 });
  assert.deepEqual(item?.body, [1, 2], 'json is another name for body');
  assert.deepEqual(item?.thinkMs, { min: 500, max: 1000 });
  assert.deepEqual(
    s.thresholds.map((t) => [t.metric, t.task, t.aggregate, t.percentile, t.op, t.value, t.expression]),
    [
      ['http_req_duration', null, 'p', 95, '<', 250, 'p(95)<250'],
      ['http_req_duration', null, 'avg', null, '<', 100, 'avg<100'],
      ['http_req_failed', null, 'rate', null, '<', 0.01, 'rate<0.01'],
      ['http_req_duration', 'menu', 'p', 99, '<=', 400, 'p(99)<=400'],
    ],
  );
});

const TASKS = 'tasks: [{ name: root, path: / }]\ntarget: http://h:1\n';

test('closed models: duration alone is one user; stages ramp from startVUs (or vus, as in k6)', () => {
  assert.deepEqual(parseScenario(`duration: 5s\n${TASKS}`, 'a.yaml').model, { kind: 'closed', startUsers: 1, stages: [{ durationMs: 5000, target: 1 }] });
  const stages = 'stages: [{ duration: 30s, target: 10 }, { duration: 0s, target: 20 }, { duration: 1m, target: 0 }]\n';
  const expected = [
    { durationMs: 30_000, target: 10 },
    { durationMs: 0, target: 20 },
    { durationMs: 60_000, target: 0 },
  ];
  assert.deepEqual(parseScenario(`${stages}${TASKS}`, 'a.yaml').model, { kind: 'closed', startUsers: 0, stages: expected });
  assert.deepEqual(parseScenario(`startVUs: 5\n${stages}${TASKS}`, 'a.yaml').model, { kind: 'closed', startUsers: 5, stages: expected });
  assert.deepEqual(parseScenario(`vus: 4\nexecutor: ramping-vus\n${stages}${TASKS}`, 'a.yaml').model, { kind: 'closed', startUsers: 4, stages: expected });
  assert.deepEqual(parseScenario(`executor: constant-vus\nvus: 2\nduration: 500ms\n${TASKS}`, 'a.yaml').model.stages, [{ durationMs: 500, target: 2 }]);
});

test('open models: rate + duration, ramping-arrival-rate with startRate, timeUnit, maxVUs or maxInFlight', () => {
  assert.deepEqual(parseScenario(`rate: 50\nduration: 10s\n${TASKS}`, 'a.yaml').model, {
    kind: 'open',
    startRate: 50,
    stages: [{ durationMs: 10_000, target: 50 }],
    maxInFlight: 1000,
  });
  const ramp = `executor: ramping-arrival-rate\nstartRate: 60\ntimeUnit: 1m\nmaxVUs: 30\nstages: [{ duration: 10s, target: 120 }]\n${TASKS}`;
  assert.deepEqual(parseScenario(ramp, 'a.yaml').model, { kind: 'open', startRate: 1, stages: [{ durationMs: 10_000, target: 2 }], maxInFlight: 30 });
  const inferred = `startRate: 5\nmaxInFlight: 7\nstages: [{ duration: 1s, target: 9 }]\n${TASKS}`;
  assert.deepEqual(parseScenario(inferred, 'a.yaml').model, { kind: 'open', startRate: 5, stages: [{ durationMs: 1000, target: 9 }], maxInFlight: 7 });
  const constant = `executor: constant-arrival-rate\nrate: 10\ntimeUnit: 500ms\nduration: 2s\n${TASKS}`;
  assert.deepEqual(parseScenario(constant, 'a.yaml').model.stages, [{ durationMs: 2000, target: 20 }]);
});

test('JSON text is read with line numbers too', () => {
  const json = JSON.stringify({ target: 'http://127.0.0.1:9', vus: 2, duration: '1s', tasks: [{ name: 'root', path: '/' }] }, null, 2);
  assert.equal(parseScenario(json, 'a.json').model.kind, 'closed');
  const bad = '{\n  "target": "http://h:1",\n  "vus": "many",\n  "duration": "1s",\n  "tasks": [{ "name": "r", "path": "/" }]\n}';
  assert.throws(() => parseScenario(bad, 'b.json'), { message: 'b.json:3:10 vus must be a whole number of at least 1, received "many"; fix: write a whole number such as 10' });
});

test('loadScenario reads .yaml, .yml, .json, .js and .mjs files relative to cwd', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'cloudlab-scenario-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const module = `export default { target: 'http://127.0.0.1:8080', vus: 2, duration: '1s', tasks: [{ name: 'root', path: '/' }] };\n`;
  await writeFile(join(dir, 'a.yaml'), MINIMAL);
  await writeFile(join(dir, 'b.yml'), MINIMAL);
  await writeFile(join(dir, 'c.json'), JSON.stringify({ target: 'http://h:1', rate: 5, duration: '2s', tasks: [{ name: 'r', path: '/' }] }));
  await writeFile(join(dir, 'd.mjs'), module);
  await writeFile(join(dir, 'package.json'), '{"type":"module"}');
  await writeFile(join(dir, 'e.js'), module);
  for (const [file, kind] of [['a.yaml', 'closed'], ['b.yml', 'closed'], ['c.json', 'open'], ['d.mjs', 'closed'], ['e.js', 'closed']] as const) {
    const s = await loadScenario(file, { cwd: dir });
    assert.equal(s.model.kind, kind, file);
    assert.equal(s.source, join(dir, file), file);
    assert.equal(s.name, file.split('.')[0], file);
  }
  const overridden = await loadScenario(join(dir, 'a.yaml'), { cwd: '/', overrides: { vus: 7 } });
  assert.equal(overridden.model.kind === 'closed' && overridden.model.startUsers, 7);
});

test('a TypeScript scenario (.ts) loads: types, a helper and an import of a .js file beside it', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'cloudlab-scenario-ts-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'paths.js'), 'export const MENU = "/menu";\n');
  await writeFile(join(dir, 'rush.ts'), [
    "import { MENU } from './paths.js';",
    'interface Stage { duration: string; target: number }',
    'const ramp = (peak: number): Stage[] => [{ duration: "10s", target: peak }, { duration: "20s", target: peak }];',
    'export default {',
    '  target: "http://127.0.0.1:8000",',
    '  stages: ramp(40),',
    '  tasks: [{ name: "menu", method: "GET", path: MENU } as const],',
    '};',
  ].join('\n'));
  const scenario = await loadScenario('rush.ts', { cwd: dir });
  assert.equal(scenario.name, 'rush');
  assert.equal(scenario.model.kind, 'closed');
  assert.deepEqual(scenario.model.kind === 'closed' ? scenario.model.stages.map((s) => s.target) : [], [40, 40]);
  assert.equal(scenario.tasks[0]?.path, '/menu');
  assert.deepEqual((await readdir(dir)).sort(), ['paths.js', 'rush.ts'], 'the transpiled module beside it is removed');
});

