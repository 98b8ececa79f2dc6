import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabError } from '../../../src/errors.js';
import { loadScenario, parseScenario } from '../../../src/load/scenario/index.js';

function labError(code: string, pattern: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof LabError, String(error));
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  };
}

test('YAML problems name file:line:col of the value, all at once, in file order', () => {
  const text = [
    'target: http://127.0.0.1:8000', // 1
    'stages:', // 2
    '  - duration: 30s', // 3
    '    target: 10', // 4
    '  - duration: fast', // 5
    '    target: 20', // 6
    'tasks:', // 7
    '  - name: order', // 8
    '    path: /orders', // 9
    '    headers: { Idempotency-Key: {{uuid}} }', // 10
    '    body: { menuItemId: {{randomInt 1 8}} }', // 11
    '  - name: menu', // 12
    'thresholds:', // 13
    '  http_req_duration: [p95<250]', // 14
  ].join('\n');
  assert.throws(() => parseScenario(text, 'scenario.yaml'), (error: unknown) => {
    assert.ok(error instanceof LabError);
    assert.deepEqual(error.message.split('\n'), [
      'scenario.yaml:5:15 stages[1].duration must be a duration such as 30s, received "fast"; fix: write a number with a unit: ms, s, m or h, such as 500ms, 10s, 2m or 1m30s',
      `scenario.yaml:10:33 tasks[0].headers.Idempotency-Key must be a non-empty string, received {"{ uuid }":null}; fix: a template must be quoted in YAML: '{{uuid}}'`,
      `scenario.yaml:11:25 tasks[0].body.menuItemId looks like an unquoted template, received {"{ randomInt 1 8 }":null}; fix: quote it: '{{randomInt 1 8}}'`,
      'scenario.yaml:12:5 tasks[1].path is required, received nothing; fix: add "path: /"',
      'scenario.yaml:14:23 thresholds.http_req_duration[0] must be an expression such as p(95)<250, received "p95<250"; fix: write one of p(95)<250, avg<250, min<250, max<250, med<250',
    ]);
    return true;
  });
});

test('text that is not YAML, and a document that is not a map', () => {
  assert.throws(
    () => parseScenario('vus: 1\ntasks: [1,\n', 'broken.yaml'),
    labError('LAB_LOAD_SCENARIO_INVALID', /^broken\.yaml:3:1 is not valid YAML: .+; fix: check the indentation, colons and quotes there \(a value with \{\{ must be quoted\)$/),
  );
  assert.throws(() => parseScenario('vus: 1\nvus: 2\n', 'dup.yaml'), labError('LAB_LOAD_SCENARIO_INVALID', /^dup\.yaml:2:1 is not valid YAML: Map keys must be unique/));
  assert.throws(
    () => parseScenario('- a\n- b\n', 'list.yaml'),
    labError('LAB_LOAD_SCENARIO_INVALID', /^list\.yaml:1:1 the scenario must be a map of keys such as target, vus, duration and tasks, received \["a","b"\]; fix: start from: /),
  );
  assert.throws(() => parseScenario('{}', 'x.mjs'), labError('LAB_LOAD_SCENARIO_INVALID', /^x\.mjs is a JS module, and parseScenario reads YAML or JSON text; fix: load it with loadScenario$/));
});

test('loadScenario: unknown built-in, missing file, bad extension, bad module', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'cloudlab-scenario-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const builtins = /fix: use a built-in \(steady, morning-rush, spike\) or the path of a \.yaml, \.yml, \.json, \.js, \.mjs or \.ts file$/;
  await assert.rejects(loadScenario('morning-rsh', { cwd: dir }), labError('LAB_LOAD_SCENARIO_NOT_FOUND', /^scenario "morning-rsh" is neither a built-in nor a readable file \(there is no built-in "morning-rsh"; did you mean morning-rush\?\); fix: use a built-in/));
  await assert.rejects(loadScenario('nothing.yaml', { cwd: dir }), labError('LAB_LOAD_SCENARIO_NOT_FOUND', new RegExp(`\\(${join(dir, 'nothing.yaml')} does not exist\\); ${builtins.source}`)));
  await assert.rejects(loadScenario('nothing.mjs', { cwd: dir }), labError('LAB_LOAD_SCENARIO_NOT_FOUND', /nothing\.mjs does not exist/));
  await writeFile(join(dir, 'bad.ts'), 'const x: number = ;\nexport default { vus: x };');
  await assert.rejects(loadScenario('bad.ts', { cwd: dir }), labError('LAB_LOAD_SCENARIO_INVALID', /^bad\.ts does not parse as TypeScript: .+; fix: run tsc --noEmit on it to see where$|^bad\.ts cannot be imported/));
  await writeFile(join(dir, 's.txt'), 'vus: 1');
  await assert.rejects(loadScenario('s.txt', { cwd: dir }), labError('LAB_LOAD_SCENARIO_INVALID', /received "\.txt"; fix: rename it to \.yaml, \.json, \.mjs or \.ts$/));
  await writeFile(join(dir, 'syntax.mjs'), 'export default {');
  await assert.rejects(loadScenario('syntax.mjs', { cwd: dir }), labError('LAB_LOAD_SCENARIO_INVALID', /^syntax\.mjs cannot be imported: .+; fix: run it with node to see the error$/));
  await writeFile(join(dir, 'none.mjs'), 'export const vus = 1;');
  await assert.rejects(loadScenario('none.mjs', { cwd: dir }), labError('LAB_LOAD_SCENARIO_INVALID', /^none\.mjs must export default a scenario object, received nothing; fix: write export default \{ target, vus, duration, tasks \}$/));
  await writeFile(join(dir, 'hook.mjs'), "export default { target: 'http://h:1', vus: 1, duration: '1s', setup() {}, tasks: [{ name: 'a', path: '/', body: { at: new Date(0) } }] };");
  await assert.rejects(loadScenario('hook.mjs', { cwd: dir }), (error: unknown) => {
    assert.ok(error instanceof LabError);
    assert.deepEqual(error.message.split('\n'), [
      'hook.mjs setup is not a known key, received a function; fix: function hooks are not supported yet; remove it',
      'hook.mjs tasks[0].body must be a JSON value, received {"at":"1970-01-01T00:00:00.000Z"}; fix: write an object, list, string, number, true, false or null',
    ]);
    return true;
  });
});

test('overrides with bad values name the flag', () => {
  const text = 'target: http://h:1\nvus: 1\nduration: 1s\ntasks: [{ name: a, path: / }]';
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ vus: 0 }, '--vus must be a whole number above 0, received 0; fix: give --vus 50'],
    [{ vus: 1.5 }, '--vus must be a whole number above 0, received 1.5; fix: give --vus 50'],
    [{ durationMs: -1 }, '--duration must be a whole number above 0, received -1; fix: give --duration 30s'],
    [{ rate: Number.NaN }, '--rate must be a number above 0, received null; fix: give --rate 100'],
    [{ target: 'localhost:8000' }, '--target must be an http:// or https:// base URL without query, received "localhost:8000"; fix: give --target http://127.0.0.1:8000'],
  ];
  for (const [overrides, message] of cases) {
    assert.throws(() => parseScenario(text, 'a.yaml', overrides), labError('LAB_LOAD_SCENARIO_INVALID', new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)));
  }
});
