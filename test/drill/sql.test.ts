/**
 * sql probes and the recorded_orders invariant against a real embedded Postgres
 * (preparePostgres and the deps tests' launch runner): values from the first column,
 * errors and no data as failures with their reasons, acknowledged orders looked up by
 * idempotency key, and the database password never in a message.
 */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { preparePostgres } from '../../src/deps/index.js';
import { createSqlRunner, runProbe } from '../../src/drill/index.js';
import type { SqlProbe, SqlRunner } from '../../src/drill/index.js';
import { runInvariants } from '../../src/drill/run/invariants.js';
import { runLaunch } from '../deps/launch-runner.js';

const PASSWORD = 'drill-secret-pw';

async function startPostgres(t: TestContext): Promise<{ url: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'cloudlab-drill-pg-'));
  // Under root, postgres runs as the `postgres` user, which must traverse this directory.
  await chmod(dir, 0o755);
  t.after(() => rm(dir, { recursive: true, force: true }));
  const prepared = await preparePostgres({ stateDir: dir, host: '127.0.0.1', port: 0, database: 'cafe', user: 'cafe', password: PASSWORD });
  const running = runLaunch(t, prepared.launch);
  t.after(async () => {
    await running.stop();
  });
  await running.waitFor(/database system is ready to accept connections/);
  await prepared.afterStart();
  return { url: prepared.url, dir };
}

const probe = (query: string, over: Partial<SqlProbe> = {}): SqlProbe => ({ kind: 'sql', name: 'db', query, tolerance: { min: 1 }, noData: 'fail', ...over });

test('sql probes and recorded_orders against embedded Postgres', async (t) => {
  const pg = await startPostgres(t);
  const sql: SqlRunner = createSqlRunner(pg.url);
  t.after(() => sql.close());
  await sql.query('CREATE TABLE menu_items (id int PRIMARY KEY, name text)');
  await sql.query("INSERT INTO menu_items VALUES (1, 'Espresso'), (2, 'Latte')");
  // No UNIQUE here, so the test can store an order twice.
  await sql.query('CREATE TABLE orders (id serial PRIMARY KEY, idempotency_key text NOT NULL)');
  const targets = { edgeUrl: null, hubUrl: null, sql };

  await t.test('a count arrives as a number and is compared with the tolerance', async () => {
    const ok = await runProbe(probe('SELECT count(*) FROM menu_items'), 'before', targets);
    assert.deepEqual([ok.ok, ok.value, ok.tolerance], [true, 2, '>= 1']);
    const low = await runProbe(probe('SELECT count(*) FROM menu_items', { tolerance: { min: 5 } }), 'after', targets);
    assert.deepEqual([low.ok, low.value, low.reason], [false, 2, '2 is below the minimum 5']);
    const text = await runProbe(probe("SELECT name FROM menu_items WHERE id = 1", { tolerance: { equals: 'Espresso' } }), 'after', targets);
    assert.deepEqual([text.ok, text.value], [true, 'Espresso']);
  });

  await t.test('a SQL error and no rows are failures with their reasons', async () => {
    const missing = await runProbe(probe('SELECT count(*) FROM charges'), 'invariants', targets);
    assert.deepEqual([missing.ok, missing.value], [false, null]);
    assert.equal(missing.reason, 'SQL error: relation "charges" does not exist');
    const none = await runProbe(probe('SELECT id FROM menu_items WHERE id > 100'), 'invariants', targets);
    assert.deepEqual([none.ok, none.reason], [false, 'no data: the query returned no rows']);
    const passes = await runProbe(probe('SELECT max(id) FROM menu_items WHERE id > 100', { noData: 'pass' }), 'invariants', targets);
    assert.deepEqual([passes.ok, passes.reason], [true, 'no data: the first column of the first row is NULL (no_data: pass)']);
  });

  await t.test('recorded_orders: acknowledged orders missing or stored twice are named; unacknowledged ones ignored', async () => {
    const record = join(pg.dir, 'orders.jsonl');
    const line = (key: string, status: number | null): string => JSON.stringify({ task: 'order', method: 'POST', path: '/orders', idempotencyKey: key, status, body: null, timeMs: 1, error: null });
    await writeFile(record, [line('k1', 201), line('k2', 201), line('k3', 503), line('k4', 200), line('k5', null)].join('\n'));
    await sql.query("INSERT INTO orders (idempotency_key) VALUES ('k1'), ('k3'), ('k4'), ('k4')");
    const check = { table: 'orders', keyColumn: 'idempotency_key', acknowledgedStatus: [200, 201] };
    const [orders, charged] = await runInvariants(
      [
        { kind: 'recorded-orders', name: 'every acknowledged order exists exactly once', check },
        { kind: 'probe', name: 'nothing charged twice', probe: probe('SELECT count(*) FROM (SELECT idempotency_key FROM orders GROUP BY 1 HAVING count(*) > 1) AS twice', { tolerance: { equals: 0 } }) },
      ],
      targets,
      record,
    );
    assert.deepEqual([orders?.ok, orders?.value], [false, 2]);
    assert.equal(orders?.detail, '1 acknowledged order missing: k2; 1 acknowledged order stored more than once: k4 (2 rows) (of 3 acknowledged)');
    assert.deepEqual([charged?.ok, charged?.detail], [false, '1 is not 0 (expected = 0)']);

    await sql.query("DELETE FROM orders WHERE idempotency_key = 'k4' AND id = (SELECT max(id) FROM orders WHERE idempotency_key = 'k4')");
    await sql.query("INSERT INTO orders (idempotency_key) VALUES ('k2')");
    const [fixed] = await runInvariants([{ kind: 'recorded-orders', name: 'orders', check }], targets, record);
    assert.deepEqual([fixed?.ok, fixed?.detail], [true, 'all 3 acknowledged orders exist exactly once']);
  });

  await t.test('the database password never appears in a failure', async () => {
    // Postgres names the database it cannot find, and this name holds the password.
    const wrong = pg.url.replace(/\/cafe$/, `/no_db_${PASSWORD}`);
    const runner = createSqlRunner(wrong);
    try {
      const r = await runProbe(probe('SELECT 1'), 'before', { edgeUrl: null, hubUrl: null, sql: runner });
      assert.equal(r.ok, false);
      assert.equal(r.reason, 'SQL error: database "no_db_***" does not exist');
      assert.ok(!(r.reason ?? '').includes(PASSWORD), r.reason ?? '');
    } finally {
      await runner.close();
    }
  });
});
