/**
 * Every drill shipped in examples/drills/ runs end to end against one real lab (`cloudlab up`
 * with the built-in cafe demo) through the real CLI, and reaches the verdict it should. The
 * durations are shortened through the drills' own parameters (--param), not another code path;
 * the lab runs with a 2 s menu cache TTL and 1 s metric exports so a short drill sees what a
 * long one would. Two drills of this test's own (fixtures/) are built to fail and to abort.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { api, labDir, labState, run } from '../control/lab-cli.js';
import type { Result } from '../control/lab-cli.js';
import type { Journal } from '../../src/drill/types.js';

// Compiled to dist/test/drills-e2e/: the repository root is three levels up.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DRILLS = join(ROOT, 'examples', 'drills');
const FIXTURES = join(ROOT, 'test', 'drills-e2e', 'fixtures');

function params(values: Record<string, string>): string[] {
  return Object.entries(values).flatMap(([k, v]) => ['--param', `${k}=${v}`]);
}

/** The journal the drill run wrote (the newest of that drill). */
async function journalOf(dir: string, name: string): Promise<Journal> {
  const folder = join(dir, '.cloudlab', 'drills');
  const files = (await readdir(folder)).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.json')).sort();
  assert.ok(files.length > 0, `a journal of ${name} in ${folder}`);
  return JSON.parse(await readFile(join(folder, files.at(-1)!), 'utf8')) as Journal;
}

/**
 * What a failed run printed, its verdict and reasons first: a CI log that keeps only the
 * start of a long message still says why the drill failed.
 */
function output(r: Result): string {
  const at = r.stdout.lastIndexOf('\nverdict: ');
  const lead = at === -1 ? '' : `${r.stdout.slice(at + 1).trim()}\n`;
  return `exit ${String(r.code)}\n${lead}--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

function results(journal: Journal, name: string): Journal['results'] {
  return journal.results.filter((r) => r.name === name);
}

test('the shipped drills reach their verdicts against a real lab', { timeout: 900_000 }, async (t) => {
  const dir = await labDir(t, 'drills');
  const up = await run(dir, ['up', '-d', '--free-ports'], { MENU_CACHE_TTL_S: '2', OTEL_METRIC_EXPORT_INTERVAL: '1000' });
  assert.equal(up.code, 0, output(up));
  const state = await labState(dir);
  // A lab that has served some traffic, as one a person drills would be: the first orders of
  // a cold lab (connections opened, code compiled) are slow on a busy machine, and the short
  // 4 s windows below would see them.
  const warm = await run(dir, ['load', join(DRILLS, 'scenarios', 'orders.yaml'), '--target', state.urls['cafe (edge)']!, '--duration', '5s', '--rate', '10', '--no-otlp']);
  assert.equal(warm.code, 0, output(warm));
  const drill = (file: string, values: Record<string, string>): Promise<Result> => run(dir, ['drill', file, ...params(values)]);

  await t.test('database-outage-loses-nothing: 503s while postgres is down, orders again after, none lost or charged twice', async () => {
    const r = await drill(join(DRILLS, 'database-outage-loses-nothing.yaml'), { load_for: '26s', rate: '20', outage_at: '5s', outage_for: '8s', recovered_by: '22s', window: '4s' });
    assert.equal(r.code, 0, output(r));
    const journal = await journalOf(dir, 'database-outage-loses-nothing');
    assert.equal(journal.verdict, 'passed', journal.reasons.join('; '));
    const outage = journal.faults.find((f) => f.scenario === 'postgres-outage');
    assert.ok(outage?.injectedAtMs && outage.removedAtMs, 'the outage was injected and removed');
    assert.equal(outage.removedBy, 'lab', 'the lab removed it when its duration ran out');
    assert.ok((journal.load?.summary?.errors.http_5xx ?? 0) > 0, `orders were refused during the outage: ${JSON.stringify(journal.load?.summary?.errors)}`);
    assert.deepEqual(journal.invariants.map((i) => [i.name, i.ok]), [['every acknowledged order exists exactly once', true], ['no order is charged twice', true]]);
    assert.ok(results(journal, 'orders succeed again once the database is back (share of 201s)').length > 0, 'the recovery probe was sampled');
    assert.match(r.stdout, /\.html/, 'the CLI prints where the report is');
  });

  await t.test('cache-shields-database: the menu p95 stays low while postgres is 2 s slow, from the stale copy', async () => {
    // The slow database lasts to the end of the rush. When it lifts, the orders held up by
    // it finish at once and the menu slows for a second or two. The shipped drill's 30 s
    // windows dilute that second; this test's 5 s windows do not (p95 0.07 s here, and the
    // likeliest cause of one CI failure whose log lost the reason). The claim tested is the
    // menu while the database is slow; the after-hypothesis checks that the lab comes back.
    const r = await drill(join(DRILLS, 'cache-shields-database.yaml'), { rush: '18s', fault_at: '3s', fault_for: '15s', window: '5s' });
    assert.equal(r.code, 0, output(r));
    const journal = await journalOf(dir, 'cache-shields-database');
    assert.equal(journal.verdict, 'passed', journal.reasons.join('; '));
    const p95 = results(journal, 'GET /menu p95 stays under the objective (seconds)').filter((x) => x.phase === 'method');
    assert.ok(p95.length >= 5 && p95.every((x) => x.ok), `menu p95 samples: ${JSON.stringify(p95.map((x) => x.value))}`);
    const stale = results(journal, 'menu reads served from the stale copy (per second)').map((x) => Number(x.value));
    assert.ok(stale.some((v) => v > 0), `stale copies were served while postgres was slow: ${stale.join(', ')}`);
  });

  await t.test('payments-circuit-breaker: the breaker opens under payment errors, orders fail fast, then recover', async () => {
    // 80% errors rather than 50%: five failures in a row (what opens the breaker) then come
    // within a second or two, so a 12 s fault opens it for sure; the story is the same.
    const r = await drill(join(DRILLS, 'payments-circuit-breaker.yaml'), { load_for: '30s', fault_at: '3s', fault_for: '12s', ratio: '0.8', fault_end: '15s', recovered_by: '27s', window: '4s' });
    assert.equal(r.code, 0, output(r));
    const journal = await journalOf(dir, 'payments-circuit-breaker');
    assert.equal(journal.verdict, 'passed', journal.reasons.join('; '));
    const opened = results(journal, 'the breaker opened while payments failed (2 = open)');
    assert.ok(opened.length > 0 && opened.every((x) => x.ok && Number(x.value) === 2), JSON.stringify(opened));
    assert.equal(journal.invariants.every((i) => i.ok), true, JSON.stringify(journal.invariants));
  });

  await t.test('replica-failover: a killed replica costs under 1% errors and comes back', async () => {
    const r = await drill(join(DRILLS, 'replica-failover.yaml'), { load_for: '20s', users: '40', kill_at: '5s', window: '10s' });
    assert.equal(r.code, 0, output(r));
    const journal = await journalOf(dir, 'replica-failover');
    assert.equal(journal.verdict, 'passed', journal.reasons.join('; '));
    const kill = journal.faults.find((f) => f.scenario === 'kill-replica');
    assert.equal(kill?.removedBy, 'instant');
    assert.ok(kill?.injectedAtMs, 'the replica was killed');
    assert.ok(journal.results.some((x) => x.phase === 'after' && x.name === 'both cafe replicas are in the edge\'s rotation' && x.ok), 'both replicas back after');
  });

  await t.test('morning-rush-capacity: reports the capacity found under the p95 objective', async () => {
    const r = await drill(join(DRILLS, 'morning-rush-capacity.yaml'), { ramp: '20s', peak: '400', min_rps: '20' });
    assert.equal(r.code, 0, output(r));
    const journal = await journalOf(dir, 'morning-rush-capacity');
    assert.equal(journal.verdict, 'passed', journal.reasons.join('; '));
    assert.ok(journal.capacity && (journal.capacity.capacityRps ?? 0) >= 20, JSON.stringify(journal.capacity));
    assert.match(r.stdout, /capacity/i);
  });

  await t.test('a drill built to fail (the outage with the menu cache off) fails, naming the menu error ratio', async () => {
    const r = await drill(join(FIXTURES, 'outage-without-cache.yaml'), {});
    assert.equal(r.code, 99, output(r));
    const journal = await journalOf(dir, 'outage-without-cache');
    assert.equal(journal.verdict, 'failed');
    assert.ok(journal.reasons.some((x) => x.includes('menu error ratio stays under 1%')), journal.reasons.join('; '));
    assert.ok(journal.rollbacks.length > 0 && journal.rollbacks.every((x) => x.ok), JSON.stringify(journal.rollbacks));
  });

  await t.test('a stop condition aborts at once and rolls back: no fault and no flag left', async () => {
    const started = Date.now();
    const r = await drill(join(FIXTURES, 'abort-on-errors.yaml'), {});
    assert.equal(r.code, 98, output(r));
    assert.ok(Date.now() - started < 90_000, 'aborted long before the 120 s load would have ended');
    const journal = await journalOf(dir, 'abort-on-errors');
    assert.equal(journal.verdict, 'aborted');
    assert.ok(journal.reasons.some((x) => x.includes('menu error ratio above 20%')), journal.reasons.join('; '));
    const active = await api<{ faults: unknown[] }>(state, 'GET', '/api/chaos');
    assert.deepEqual(active.body.faults, [], 'the rollback left nothing active');
    const flags = await api<{ flags: Record<string, unknown> }>(state, 'GET', '/api/flags');
    assert.deepEqual(flags.body.flags, {});
  });

  const listed = await api<{ drills: Array<{ name: string; verdict: string }> }>(state, 'GET', '/api/drills');
  assert.deepEqual(
    listed.body.drills.map((d) => `${d.name}:${d.verdict}`).sort(),
    ['abort-on-errors:aborted', 'cache-shields-database:passed', 'database-outage-loses-nothing:passed', 'morning-rush-capacity:passed', 'outage-without-cache:failed', 'payments-circuit-breaker:passed', 'replica-failover:passed'],
  );
});
