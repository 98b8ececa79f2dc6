/**
 * The drill runner end to end against a FAKE control API (test/drill/helpers/
 * fake-control.ts: the chaos routes are being built in parallel; the real lab is
 * exercised by the lead's end-to-end drill tests), a REAL hub (PromQL over its
 * Prometheus API, metrics pushed over OTLP) and a REAL HTTP target (probes and load).
 * The fake reacts to injections (pushing a metric, aborting), so no test sleeps.
 */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDrill, runDrill } from '../../src/drill/index.js';
import type { DrillLab, DrillProgress, Journal } from '../../src/drill/index.js';
import { drillEvents, startFakeControl } from './helpers/fake-control.js';
import type { FakeControl } from './helpers/fake-control.js';
import { startHub } from './helpers/hub.js';
import type { TestHub } from './helpers/hub.js';
import { startTarget } from './helpers/target.js';
import type { TestTarget } from './helpers/target.js';

interface Rig {
  dir: string;
  hub: TestHub;
  target: TestTarget;
  fake: FakeControl;
  lab: DrillLab;
}

async function rig(t: TestContext): Promise<Rig> {
  const dir = await mkdtemp(join(tmpdir(), 'cloudlab-drill-run-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const [hub, target, fake] = await Promise.all([startHub(t), startTarget(t), startFakeControl(t)]);
  await hub.push('drill_error_ratio', 0.01);
  const lab: DrillLab = { controlUrl: fake.url, token: fake.token, stateDir: dir, edgeUrl: target.url, hubUrl: hub.queryUrl, otlpUrl: hub.otlpUrl, postgresUrl: null };
  return { dir, hub, target, fake, lab };
}

async function drillOf(r: Rig, text: string): Promise<Awaited<ReturnType<typeof parseDrill>>> {
  return parseDrill(text, join(r.dir, 'drill.yaml'));
}

const LOAD_FILE = 'vus: 2\nduration: 20s\ntasks: [{ name: menu, path: /menu, think: 5ms-10ms }]\n';

test('a drill whose steady state holds passes: faults injected with durationMs, probes sampled, rollbacks run, journal and report written', async (t) => {
  const r = await rig(t);
  const drill = await drillOf(r, `
name: latency-holds
description: Postgres slows down for a moment; the menu still answers.
hypothesis:
  - name: menu answers
    http: { path: /menu, status: 200, body_includes: Espresso }
  - name: error ratio low
    promql: drill_error_ratio
    max: 0.05
recovery: 1s
method:
  duration: 1s
  probe_interval: 50ms
  faults:
    - { scenario: postgres-latency, value: 2000, at: 100ms, duration: 150ms }
  probes:
    - { name: error ratio during, promql: drill_error_ratio, max: 0.05 }
stop_conditions:
  - { name: error ratio above 50%, promql: drill_error_ratio, max: 0.5 }
rollbacks:
  - chaos: reset
  - flag: { key: cacheDisabled, value: null }
invariants:
  - { name: menu still answers, http: { path: /menu } }
`);
  const progress: DrillProgress[] = [];
  const run = await runDrill({ drill, lab: r.lab, sql: null, onProgress: (p) => progress.push(p) });
  const j = run.journal;
  assert.equal(j.verdict, 'passed', j.reasons.join('\n'));
  assert.equal(run.exitCode, 0);
  assert.deepEqual(j.reasons, []);

  const injects = r.fake.calls('POST', '/api/chaos').filter((c) => c.path === '/api/chaos');
  assert.deepEqual(injects.map((c) => c.body), [{ scenario: 'postgres-latency', value: 2000, durationMs: 150 }]);
  const [fault] = j.faults;
  assert.ok(fault && fault.id === 'f1' && fault.injectedAtMs !== null && j.methodStartedAtMs !== null);
  assert.ok(fault.injectedAtMs - j.methodStartedAtMs >= 100, 'injected at its offset, not before');
  assert.equal(fault.removedBy, 'lab', 'its duration ran out inside the method: the lab removed it');

  const during = j.results.filter((x) => x.phase === 'method');
  assert.ok(during.length >= 2, `sampled every 50 ms for 1 s, got ${during.length}`);
  // Fixed-rate rounds: each in its own 50 ms slot from the method's start, never two in one.
  const slots = during.map((x) => Math.floor((x.timeMs - j.methodStartedAtMs!) / 50));
  slots.slice(1).forEach((slot, i) => assert.ok(slot > slots[i]!, `rounds in slots ${slots.join(', ')}`));
  assert.ok(during.every((x) => x.ok && x.value === 0.01));
  assert.ok(j.results.some((x) => x.phase === 'stop' && x.ok));
  assert.deepEqual(j.results.filter((x) => x.phase === 'before').map((x) => [x.name, x.ok]), [['menu answers', true], ['error ratio low', true]]);
  assert.deepEqual(j.results.filter((x) => x.phase === 'after').map((x) => x.name), ['menu answers', 'error ratio low']);
  assert.deepEqual(j.invariants.map((i) => [i.name, i.ok]), [['menu still answers', true]]);
  assert.deepEqual(j.rollbacks.map((x) => [x.action, x.ok, x.detail]), [['chaos: reset', true, '0 active fault(s) removed'], ['flag cacheDisabled: remove', true, 'flag cacheDisabled was not set']]);
  assert.deepEqual(j.phases.map((p) => [p.name, p.status]), [['before', 'passed'], ['method', 'done'], ['rollbacks', 'done'], ['after', 'passed'], ['invariants', 'passed']]);

  // The rollbacks came after the method's last sample.
  const reset = r.fake.calls('POST', '/api/chaos/reset')[0];
  assert.ok(reset && reset.timeMs >= Math.max(...during.map((x) => x.timeMs)));
  assert.deepEqual(drillEvents(r.fake).map((e) => e.split(':')[0]), ['drill started', 'drill verdict']);
  assert.match(drillEvents(r.fake)[1] ?? '', /latency-holds: passed/);

  // Files: the journal as returned, the report beside it, chart data from the hub.
  assert.equal(run.journalFile, join(r.dir, 'drills', `${j.id}.json`));
  assert.match(j.id, /^latency-holds-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}$/);
  const onDisk = JSON.parse(await readFile(run.journalFile, 'utf8')) as Journal;
  assert.equal(onDisk.verdict, 'passed');
  assert.equal(onDisk.drill.name, 'latency-holds');
  assert.ok(existsSync(run.reportFile) && run.reportFile.endsWith(`${j.id}.html`));
  const chart = onDisk.charts.probes.find((c) => c.query === 'drill_error_ratio');
  assert.ok(chart && chart.error === null && (chart.series[0]?.points.length ?? 0) > 0, JSON.stringify(chart));
  assert.ok(progress.some((p) => p.type === 'phase' && p.phase === 'method'));
  assert.ok(progress.some((p) => p.type === 'fault' && p.action === 'inject'));
});

test('when the steady state does not hold before, nothing is injected; the rollbacks still run; failed (99)', async (t) => {
  const r = await rig(t);
  const drill = await drillOf(r, `
name: broken-before
description: The menu is already broken.
hypothesis:
  - name: menu answers
    http: { path: /broken, status: 200 }
method:
  duration: 5s
  faults:
    - { scenario: postgres-outage, at: 0s, duration: 1s }
rollbacks:
  - chaos: reset
`);
  const run = await runDrill({ drill, lab: r.lab, sql: null });
  assert.equal(run.exitCode, 99);
  assert.equal(run.journal.verdict, 'failed');
  assert.deepEqual(r.fake.calls('POST', '/api/chaos').filter((c) => c.path === '/api/chaos'), [], 'no fault was injected');
  assert.equal(r.fake.calls('POST', '/api/chaos/reset').length, 1, 'the rollbacks ran anyway');
  assert.equal(run.journal.reasons.length, 1);
  assert.match(run.journal.reasons[0] ?? '', /^the steady state did not hold before the method, so nothing was injected: menu answers: 503 in \d+ ms: status 503, expected 200 \(expected status 200\)$/);
  assert.deepEqual(run.journal.phases.map((p) => [p.name, p.status]), [['before', 'failed'], ['method', 'skipped'], ['rollbacks', 'done'], ['after', 'skipped'], ['invariants', 'skipped']]);
  assert.equal(run.journal.faults[0]?.injectedAtMs, null);
});

test('a stop condition crossed aborts at once: load stopped, the fault removed, rollbacks run; aborted (98)', async (t) => {
  const r = await rig(t);
  await writeFile(join(r.dir, 'load.yaml'), LOAD_FILE);
  // The "lab" answers the outage by erroring: the fake pushes the metric the stop condition watches.
  r.fake.onInject = () => r.hub.push('drill_error_ratio', 0.9);
  const drill = await drillOf(r, `
name: outage-aborts
description: An outage makes errors spike; the stop condition must end the drill.
hypothesis:
  - name: menu answers
    http: { path: /menu }
method:
  load: { scenario: ./load.yaml }
  probe_interval: 50ms
  faults:
    - { scenario: postgres-outage, at: 200ms }
stop_conditions:
  - { name: error ratio above 50%, promql: drill_error_ratio, max: 0.5 }
rollbacks:
  - chaos: reset
`);
  assert.equal(drill.method.durationMs, 20_000);
  const run = await runDrill({ drill, lab: r.lab, sql: null });
  const j = run.journal;
  assert.equal(j.verdict, 'aborted', j.reasons.join('\n'));
  assert.equal(run.exitCode, 98);
  assert.match(j.reasons[0] ?? '', /^stop condition "error ratio above 50%" crossed at \d+\.\d s: 0\.9 is above the maximum 0\.5 \(expected <= 0\.5\); the drill was aborted$/);
  const summary = j.load?.summary;
  assert.ok(summary, j.load?.error ?? 'no load summary');
  assert.equal(summary.interrupted, true, 'the load was stopped');
  assert.ok(summary.durationMs < 10_000, `stopped early, ran ${summary.durationMs} ms`);
  assert.ok((r.target.hits.get('/menu') ?? 0) > 1, 'the load reached the target');
  // Open-ended: sent with a safety duration, removed by the drill at the method's end, before the rollbacks.
  const inject = r.fake.calls('POST', '/api/chaos').find((c) => c.path === '/api/chaos');
  assert.ok(((inject?.body as { durationMs?: number }).durationMs ?? 0) > 20_000);
  const removal = r.fake.calls('DELETE', '/api/chaos/f1')[0];
  const reset = r.fake.calls('POST', '/api/chaos/reset')[0];
  assert.ok(removal && reset && removal.timeMs <= reset.timeMs);
  assert.equal(j.faults[0]?.removedBy, 'drill');
  assert.ok(drillEvents(r.fake).some((e) => /^drill aborted: outage-aborts: stop condition "error ratio above 50%" crossed \(0\.9\)$/.test(e)));
  assert.deepEqual(j.phases.map((p) => [p.name, p.status]), [['before', 'passed'], ['method', 'aborted'], ['rollbacks', 'done'], ['after', 'passed'], ['invariants', 'passed']]);
});

test('an interrupt mid-method stops the load, removes the faults, runs the rollbacks and writes the journal; interrupted (130)', async (t) => {
  const r = await rig(t);
  await writeFile(join(r.dir, 'load.yaml'), LOAD_FILE);
  const controller = new AbortController();
  // Ctrl-C, as the CLI turns it into an abort, the moment the fault is in.
  r.fake.onInject = () => controller.abort();
  const drill = await drillOf(r, `
name: interrupted-drill
description: Someone presses Ctrl-C.
hypothesis:
  - name: menu answers
    http: { path: /menu }
method:
  load: { scenario: ./load.yaml }
  probe_interval: 50ms
  faults:
    - { scenario: cache-outage, at: 100ms, duration: 10s }
rollbacks:
  - chaos: reset
  - flag: { key: cacheDisabled, value: false }
invariants:
  - { name: menu still answers, http: { path: /menu } }
`);
  const run = await runDrill({ drill, lab: r.lab, sql: null, signal: controller.signal });
  const j = run.journal;
  assert.equal(j.verdict, 'interrupted');
  assert.equal(run.exitCode, 130);
  assert.match(j.reasons[0] ?? '', /^interrupted \d+\.\d s into the method: the load was stopped, the drill's faults removed and the rollbacks run$/);
  assert.equal(j.load?.summary?.interrupted, true);
  assert.equal(r.fake.calls('DELETE', '/api/chaos/f1').length, 1, 'the fault was removed');
  assert.equal(r.fake.calls('POST', '/api/chaos/reset').length, 1);
  assert.deepEqual(r.fake.calls('PUT', '/api/flags/cacheDisabled').map((c) => c.body), [{ value: false }]);
  assert.deepEqual(j.invariants, [], 'nothing is checked after an interrupt');
  const onDisk = JSON.parse(await readFile(run.journalFile, 'utf8')) as Journal;
  assert.equal(onDisk.verdict, 'interrupted');
  assert.deepEqual(onDisk.rollbacks.map((x) => x.ok), [true, true]);
});

test('a during-probe that cannot run fails the drill with its reason; the drill itself goes on', async (t) => {
  const r = await rig(t);
  const drill = await drillOf(r, `
name: broken-probe
description: A probe with a typo in its query.
method:
  duration: 500ms
  probe_interval: 50ms
  probes:
    - { name: typo query, promql: 'sum(rate(x[30s]', max: 1, allowed_failures: 1 }
rollbacks:
  - chaos: reset
`);
  const run = await runDrill({ drill, lab: r.lab, sql: null });
  assert.equal(run.journal.verdict, 'failed');
  assert.equal(run.exitCode, 99);
  const samples = run.journal.results.filter((x) => x.name === 'typo query');
  assert.ok(samples.length >= 2 && samples.every((x) => !x.ok && /^PromQL error/.test(x.reason ?? '')));
  assert.match(run.journal.reasons[0] ?? '', new RegExp(`^during the method, typo query failed ${samples.length} of ${samples.length} samples, 1 allowed \\(first at \\d+\\.\\d s\\): PromQL error`));
});

test('the lab vanishing mid-drill, or refusing a fault, is an error (1); the journal is still written', async (t) => {
  const r = await rig(t);
  const text = (scenario: string): string => `
name: vanishing-lab
description: The lab goes away.
method:
  duration: 5s
  probe_interval: 50ms
  faults:
    - { scenario: ${scenario}, at: 50ms, duration: 1s }
rollbacks:
  - chaos: reset
`;
  r.fake.unavailable.add('cache-outage');
  const refused = await runDrill({ drill: await drillOf(r, text('cache-outage')), lab: r.lab, sql: null });
  assert.equal(refused.journal.verdict, 'error');
  assert.equal(refused.exitCode, 1);
  assert.match(refused.journal.reasons[0] ?? '', /^fault cache-outage could not be injected: POST \/api\/chaos \(cache-outage\): cache-outage needs a part this lab does not run \[LAB_CHAOS_NOT_AVAILABLE\]$/);
  assert.ok((refused.journal.methodEndedAtMs ?? Infinity) - (refused.journal.methodStartedAtMs ?? 0) < 5000, 'the method stopped at once');

  r.fake.vanishOnInject = true;
  const gone = await runDrill({ drill: await drillOf(r, text('postgres-outage')), lab: r.lab, sql: null });
  assert.equal(gone.journal.verdict, 'error');
  assert.match(gone.journal.reasons[0] ?? '', /^the lab vanished: the lab's control API \(http:\/\/127\.0\.0\.1:\d+\) does not answer/);
  assert.equal(gone.journal.rollbacks[0]?.ok, false);
  assert.ok(existsSync(gone.journalFile));
  assert.notEqual(gone.journal.id, refused.journal.id, 'two drills in the same second get two ids');
});

test('a capacity search stops the load once p95 stays over the objective and fails below min_rps', async (t) => {
  const r = await rig(t);
  // The target saturates after 30 requests: from then on every answer takes 300 ms.
  r.target.rushAfter = 30;
  r.target.slowMs = 300;
  await writeFile(join(r.dir, 'rush.yaml'), 'rate: 20\nduration: 15s\nmaxVUs: 200\ntasks: [{ name: rush, path: /rush }]\n');
  const drill = await drillOf(r, `
name: rush-capacity
description: How many requests per second before p95 passes 200 ms?
method:
  load: { scenario: ./rush.yaml }
  capacity: { objective_p95: 200ms, for: 1s, min_rps: 100 }
rollbacks:
  - chaos: reset
`);
  const run = await runDrill({ drill, lab: r.lab, sql: null });
  const j = run.journal;
  assert.equal(j.verdict, 'failed', j.reasons.join('\n'));
  const c = j.capacity;
  assert.ok(c && c.crossed && c.crossedAtSecond !== null && c.capacityRps !== null, JSON.stringify(c));
  assert.ok(c.capacityRps > 0 && c.capacityRps <= 25, `about the 20 req/s it met the objective at, got ${c.capacityRps}`);
  assert.equal(c.ok, false);
  assert.equal(j.reasons[0], `capacity ${c.capacityRps} req/s is below min_rps 100 (p95 objective 200 ms)`);
  assert.equal(j.load?.summary?.interrupted, true, 'the load was stopped at the crossing');
  assert.ok((j.load?.summary?.durationMs ?? Infinity) < 10_000, 'long before its 15 s');
  assert.ok(j.charts.load.length >= 2 && j.charts.load.some((p) => p.p95Ms > 200));
});
