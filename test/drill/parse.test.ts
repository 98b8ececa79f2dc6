/**
 * Drill files: the pinned format parses to a frozen Drill; parameters keep their types
 * and --param overrides them; every invalid key is reported with its file, line, key
 * path, expectation, what arrived and a fix ("did you mean" when close).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLabError } from '../../src/errors.js';
import { loadDrill, parseDrill, parseParamFlags, staticScenarios } from '../../src/drill/index.js';
import type { KnownScenario } from '../../src/drill/index.js';

const FULL = `
name: database-outage-loses-nothing
description: >
  Postgres goes down for \${outage} while customers order.
parameters:
  outage: 30s
  load_duration: 60s
  rate: 20
  strict: true
hypothesis:
  - name: menu answers
    http: { path: /menu, method: GET, status: 200, body_includes: "Espresso", max_latency: 500ms }
  - name: orders error ratio under 1%
    promql: 'sum(rate(http_server_request_duration_seconds_count{http_response_status_code=~"5.."}[30s])) / sum(rate(http_server_request_duration_seconds_count[30s]))'
    max: 0.01
    no_data: pass
  - name: database reachable
    sql: 'SELECT count(*) FROM menu_items'
    min: 1
recovery: 30s
method:
  load:
    scenario: morning-rush
    duration: \${load_duration}
    vus: 20
    rate: \${rate}
    record: true
  faults:
    - scenario: postgres-outage
      at: 10s
      duration: \${outage}
    - scenario: postgres-latency
      value: 2000
      target: null
      at: 0s
      duration: 20s
    - scenario: kill-replica
      at: 5s
  probes:
    - name: orders fail fast
      promql: 'histogram_quantile(0.95, sum by (le) (rate(x_bucket[10s])))'
      max: 1
      allowed_failures: 0
      from: 12s
      until: 40s
  probe_interval: 2s
stop_conditions:
  - name: error ratio above 50%
    promql: 'sum(rate(errors[30s]))'
    max: 0.5
rollbacks:
  - chaos: reset
  - flag: { key: cacheDisabled, value: null }
  - flag: { key: paymentFailureRate, value: 0 }
invariants:
  - name: every acknowledged order exists exactly once
    recorded_orders:
      table: orders
      key_column: idempotency_key
      acknowledged_status: [200, 201]
  - name: no payment charged twice
    sql: 'SELECT count(*) FROM (SELECT order_id FROM charges GROUP BY order_id HAVING count(*) > 1) AS twice'
    equals: 0
`;

/** The error's message, asserting it is LAB_DRILL_FILE_INVALID. */
async function invalid(text: string, options: Parameters<typeof parseDrill>[2] = {}): Promise<string> {
  try {
    await parseDrill(text, 'drills/bad.yaml', options);
  } catch (err) {
    assert.ok(isLabError(err), String(err));
    assert.equal(err.code, 'LAB_DRILL_FILE_INVALID');
    return err.message;
  }
  assert.fail('expected LAB_DRILL_FILE_INVALID');
}

const minimal = (extra: string): string => `name: t\ndescription: a story\n${extra}`;

test('the pinned format parses: parameters resolved with their types, defaults applied, method length computed', async () => {
  const drill = await parseDrill(FULL, '/work/drills/outage.yaml');
  assert.equal(drill.name, 'database-outage-loses-nothing');
  assert.equal(drill.description, 'Postgres goes down for 30s while customers order.');
  assert.deepEqual(drill.parameters, { outage: '30s', load_duration: '60s', rate: 20, strict: true });
  assert.equal(drill.file, '/work/drills/outage.yaml');
  const [menu, ratio, db] = drill.hypothesis;
  assert.deepEqual(menu, { kind: 'http', name: 'menu answers', url: null, path: '/menu', method: 'GET', status: 200, bodyIncludes: 'Espresso', maxLatencyMs: 500, noData: 'fail' });
  assert.equal(ratio?.kind === 'promql' && ratio.noData, 'pass');
  assert.deepEqual(ratio?.kind === 'promql' ? ratio.tolerance : null, { max: 0.01 });
  assert.deepEqual(db?.kind === 'sql' ? [db.query, db.tolerance, db.noData] : null, ['SELECT count(*) FROM menu_items', { min: 1 }, 'fail']);
  assert.equal(drill.recoveryMs, 30_000);
  const m = drill.method;
  // "${rate}" alone keeps the parameter's number type.
  assert.deepEqual(m.load, { scenario: 'morning-rush', written: 'morning-rush', durationMs: 60_000, vus: 20, rate: 20, record: true });
  // Sorted by offset; instant kill-replica has no duration.
  assert.deepEqual(m.faults.map((f) => [f.scenario, f.atMs, f.durationMs, f.value, f.target, f.instant]), [
    ['postgres-latency', 0, 20_000, 2000, null, false],
    ['kill-replica', 5000, null, null, null, true],
    ['postgres-outage', 10_000, 30_000, null, null, false],
  ]);
  assert.deepEqual(m.probes.map((p) => [p.probe.name, p.allowedFailures, p.fromMs, p.untilMs]), [['orders fail fast', 0, 12_000, 40_000]]);
  assert.equal(m.probeIntervalMs, 2000);
  assert.equal(m.durationMs, 60_000, 'the load (60 s) is the longest part of the method');
  // Stop conditions: no data does not stop a drill unless it says so.
  assert.equal(drill.stopConditions[0]?.noData, 'pass');
  assert.deepEqual(drill.rollbacks, [{ kind: 'chaos-reset' }, { kind: 'flag', key: 'cacheDisabled', value: null }, { kind: 'flag', key: 'paymentFailureRate', value: 0 }]);
  assert.deepEqual(drill.invariants.map((i) => i.kind), ['recorded-orders', 'probe']);
  assert.deepEqual(drill.invariants[0]?.kind === 'recorded-orders' ? drill.invariants[0].check : null, { table: 'orders', keyColumn: 'idempotency_key', acknowledgedStatus: [200, 201] });
  assert.ok(Object.isFrozen(drill) && Object.isFrozen(drill.method.faults[0]));
});

test('--param overrides a default and keeps its type; a bad one names the parameter', async () => {
  const drill = await parseDrill(FULL, 'outage.yaml', { params: parseParamFlags(['outage=45s', 'rate=35', 'strict=false']) });
  assert.deepEqual(drill.parameters, { outage: '45s', load_duration: '60s', rate: 35, strict: false });
  assert.equal(drill.method.load?.rate, 35);
  assert.equal(drill.method.faults.find((f) => f.scenario === 'postgres-outage')?.durationMs, 45_000);
  assert.equal(drill.description, 'Postgres goes down for 45s while customers order.');

  await assert.rejects(parseDrill(FULL, 'outage.yaml', { params: { outag: '10s' } }), (err: Error) => {
    assert.ok(isLabError(err) && err.code === 'LAB_DRILL_FILE_INVALID');
    assert.match(err.message, /outage\.yaml: --param outag names no parameter of the drill, received "outag=10s"; fix: did you mean "outage"\?/);
    return true;
  });
  await assert.rejects(parseDrill(FULL, 'outage.yaml', { params: { rate: 'fast' } }), /--param rate must be a number \(its default is 20\), received "fast"/);
  assert.throws(() => parseParamFlags(['rate']), /--param must be key=value, received "rate"/);
});

test('${name} inside text renders as text; an unknown name is an error naming it once', async () => {
  const drill = await parseDrill(minimal('parameters: { path: /menu, n: 3 }\nhypothesis:\n  - name: probe ${n}\n    http: { path: "${path}?n=${n}" }\n'), 'x.yaml');
  assert.equal(drill.hypothesis[0]?.name, 'probe 3');
  assert.equal(drill.hypothesis[0]?.kind === 'http' && drill.hypothesis[0].path, '/menu?n=3');
  const message = await invalid(minimal('parameters: { outage: 30s }\nmethod:\n  faults:\n    - { scenario: postgres-outage, at: 1s, duration: "${outag}" }\n'));
  assert.equal(message, 'drills/bad.yaml:6:54 method.faults[0].duration refers to the parameter ${outag}, which the drill does not declare, received "${outag}"; fix: did you mean ${outage}?');
});

test('unknown keys, probe kinds and fault scenarios name the file, line, key path, what arrived and a fix', async () => {
  const message = await invalid(`name: t
descripton: typo
hypothesis:
  - name: none
  - name: two
    promql: up
    sql: SELECT 1
    max: 1
  - name: http tolerance
    http: { path: /menu, status: 200 }
    max: 3
method:
  faults:
    - scenario: postgres-outge
      at: 10s
    - scenario: kill-replica
      at: 10
      duration: 3s
  probe_interval: fast
rollbacks:
  - chaos: resett
`);
  const lines = message.split('\n');
  const expected = [
    'drills/bad.yaml:1:1 description must be a non-empty string, received nothing; fix: write description: > the story: what breaks, what customers should see',
    'drills/bad.yaml:2:13 descripton is not a known key of a drill, received "typo"; fix: did you mean "description"?',
    'drills/bad.yaml:4:5 hypothesis[0] must have exactly one of http, promql or sql, received {"name":"none"}; fix: add promql: \'sum(rate(...[30s]))\' with max: (or http: { path: /menu }, or sql: \'SELECT ...\' with min:)',
    'drills/bad.yaml:7:10 hypothesis[1].sql cannot stand beside promql: a probe has exactly one of http, promql or sql, received "SELECT 1"; fix: split it into two probes, one with promql and one with sql',
    'drills/bad.yaml:11:10 hypothesis[2].max applies to promql and sql probes, not to http, received 3; fix: write status, body_includes or max_latency inside http: { ... }',
    'drills/bad.yaml:14:17 method.faults[0].scenario must be a chaos scenario of the lab, received "postgres-outge"; fix: did you mean "postgres-outage"?',
    'drills/bad.yaml:17:11 method.faults[1].at must be a duration with its unit such as 500ms, 2s or 1m, received 10; fix: write at: 10s (or 10ms)',
    'drills/bad.yaml:18:17 method.faults[1].duration does not apply: kill-replica is instant (it happens at once and leaves nothing to undo), received "3s"; fix: remove duration',
    'drills/bad.yaml:19:19 method.probe_interval must be a duration such as 500ms, 2s or 1m, received "fast"; fix: write a number with its unit: ms, s, m or h, such as 500ms, 10s, 2m or 1m30s',
    'drills/bad.yaml:21:12 rollbacks[0].chaos must be "reset" (POST /api/chaos/reset removes every active fault), received "resett"; fix: write chaos: reset',
  ];
  assert.deepEqual(lines, expected);
});

test('values of the wrong form: tolerances, names, load, capacity, windows and invariants', async () => {
  const message = await invalid(`name: Not A Name
description: x
hypothesis:
  - name: a
    promql: up
  - name: a
    promql: up
    min: 5
    max: 1
  - name: c
    sql: SELECT 1
    equals: [1]
    no_data: maybe
method:
  load: { scenario: morning-rsh, vus: 0 }
  capacity: { objective_p95: fast }
  probes:
    - { name: w, promql: up, max: 1, from: 10s, until: 5s }
  faults:
    - { scenario: postgres-outage, at: 1s, toxic: { type: latency } }
    - { scenario: toxic, at: 1s, duration: 1s }
    - { scenario: postgres-latency, value: 5, at: 0s, duration: 50ms }
invariants:
  - name: orders
    recorded_orders: { table: "orders; DROP TABLE orders", key_column: idempotency_key }
`);
  for (const needle of [
    'name must be lowercase letters, digits and - (it names the journal file), received "Not A Name"; fix: write name: not-a-name',
    'hypothesis[0] must have a tolerance: any of min / max, or equals',
    'hypothesis[1].name must be unique in its list, received "a"',
    'hypothesis[1].min must be at most max (1), received 5; fix: swap min and max',
    'hypothesis[2].equals must be a number, a string or a boolean, received [1]',
    'hypothesis[2].no_data must be "fail" or "pass", received "maybe"',
    'method.load.scenario must be a built-in load scenario (steady, morning-rush, spike) or a scenario file relative to the drill file, received "morning-rsh"; fix: did you mean "morning-rush"?',
    'method.load.vus must be a whole number from 1 up, received 0',
    'method.capacity.objective_p95 must be a duration such as 500ms, 2s or 1m, received "fast"',
    'method.probes[0].until must be after from (method.probes[0].from), received "5s"',
    'method.faults[0].toxic only applies to scenario: toxic',
    'method.faults[1].toxic is required by scenario: toxic',
    'method.faults[2].duration must be at least 100 ms, received "50ms"',
    'invariants[0].recorded_orders.table must be a table name (letters, digits, _; optionally schema.table), received "orders; DROP TABLE orders"',
  ]) {
    assert.ok(message.includes(needle), `missing: ${needle}\nin:\n${message}`);
  }
});

test('recorded_orders needs a recording load; an open-ended fault needs a method that outlasts it', async () => {
  const message = await invalid(minimal('method:\n  faults:\n    - { scenario: postgres-outage, at: 5s }\ninvariants:\n  - { name: orders, recorded_orders: { table: orders, key_column: idempotency_key } }\n'));
  assert.match(message, /invariants\[0\]\.recorded_orders needs method\.load with record: true/);
  assert.match(message, /method\.faults\[0\]\.duration is needed: without it the fault lasts until the method ends, and the method ends at 5000 ms/);
  const ok = await parseDrill(minimal('method:\n  duration: 10s\n  faults:\n    - { scenario: postgres-outage, at: 5s }\n'), 'x.yaml');
  assert.equal(ok.method.durationMs, 10_000);
  assert.equal(ok.method.faults[0]?.durationMs, null);
});

test('fault scenarios are checked against the lab\'s list when one is given: unknown and unavailable', async () => {
  const lab: KnownScenario[] = [
    ...staticScenarios().filter((s) => s.name !== 'cache-outage'),
    { name: 'cache-outage', instant: false, available: false, reason: 'this lab runs no cache', valueRequired: false, valueName: null, targetRequired: false },
    { name: 'disk-full', instant: false, available: true, reason: null, valueRequired: true, valueName: 'percent', targetRequired: false },
  ];
  const text = minimal('method:\n  faults:\n    - { scenario: cache-outage, at: 0s, duration: 1s }\n    - { scenario: disk-full, at: 0s, duration: 1s }\n');
  const message = await invalid(text, { scenarios: lab });
  assert.match(message, /method\.faults\[0\]\.scenario names a scenario this lab cannot run \(this lab runs no cache\), received "cache-outage"/);
  assert.match(message, /method\.faults\[1\]\.value is required by disk-full \(its percent\)/);
  // The static list knows no disk-full.
  assert.match(await invalid(text), /method\.faults\[1\]\.scenario must be a chaos scenario of the lab, received "disk-full"/);
});

test('YAML that does not parse is LAB_DRILL_FILE_INVALID with its line, and an unquoted ${} in a flow map says so', async () => {
  const message = await invalid('name: t\ndescription: [unclosed\n');
  assert.match(message, /^drills\/bad\.yaml:\d+:\d+ is not valid YAML: .*; fix: check the indentation/);
  assert.equal(message.split('\n').length, 1, 'the first error only');
  const flow = await invalid(minimal('parameters: { at: 1s }\nmethod:\n  faults:\n    - { scenario: postgres-outage, at: ${at}, duration: 2s }\n'));
  assert.match(flow, /^drills\/bad\.yaml:6:\d+ is not valid YAML: .*; fix: inside \{ \.\.\. \} a parameter must be quoted: write at: '\$\{outage_at\}', or use one key per line$/);
});

test('loadDrill: a missing file is LAB_DRILL_FILE_NOT_FOUND; a load scenario file resolves beside the drill', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'cloudlab-drill-parse-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await assert.rejects(loadDrill('missing.yaml', { cwd: dir }), (err: Error) => isLabError(err) && err.code === 'LAB_DRILL_FILE_NOT_FOUND' && err.message.includes('missing.yaml'));
  await writeFile(join(dir, 'rush.yaml'), 'vus: 2\nduration: 3s\ntasks: [{ name: menu, path: /menu }]\n');
  await writeFile(join(dir, 'd.yaml'), minimal('method:\n  load: { scenario: ./rush.yaml }\n'));
  const drill = await loadDrill(join(dir, 'd.yaml'));
  assert.equal(drill.method.load?.scenario, join(dir, 'rush.yaml'));
  assert.equal(drill.method.durationMs, 3000, 'the method lasts as long as the scenario file says');
  await writeFile(join(dir, 'e.yaml'), minimal('method:\n  load: { scenario: ./nope.yaml }\n'));
  await assert.rejects(loadDrill(join(dir, 'e.yaml')), /method\.load\.scenario must be a built-in load scenario or a scenario file \(relative to the drill file\), received "\.\/nope\.yaml".*LAB_LOAD_SCENARIO_NOT_FOUND/s);
});
