/**
 * postgres-connections against a real embedded PostgreSQL: a count holds that many
 * idle connections; the default fills every slot an ordinary role may use, so the app's
 * next connect is refused; removing the fault releases them all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { preparePostgres } from '../../src/deps/index.js';
import { runLaunch } from '../deps/launch-runner.js';
import { waitFor } from '../helpers/proxy-api.js';
import { chaosLab } from './chaos-lab.js';

async function clientBackends(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE backend_type = 'client backend'`);
    return Number(rows[0]!.n) - 1; // not this one
  } finally {
    await client.end();
  }
}

test('postgres-connections holds a count, or fills every free slot, and its removal releases them', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'cloudlab-chaos-pg-'));
  // Under root, postgres runs as the postgres user, which must reach its data directory.
  await chmod(dir, 0o755);
  t.after(() => rm(dir, { recursive: true, force: true }));
  const prepared = await preparePostgres({ stateDir: dir, host: '127.0.0.1', port: 0, database: 'cafe', user: 'cafe', password: 'pw' });
  const running = runLaunch(t, prepared.launch);
  await running.waitFor(/database system is ready to accept connections/);
  await prepared.afterStart();
  const url = prepared.url;

  const lab = await chaosLab(t, { databaseUrl: url });
  const idle = await clientBackends(url);
  const three = await lab.chaos.inject({ scenario: 'postgres-connections', value: 3 });
  assert.equal(three.value, 3);
  assert.equal(three.detail, 'holding 3 idle connection(s) to postgres');
  assert.equal(await clientBackends(url), idle + 3);
  await lab.chaos.remove(three.id);
  // A backend leaves pg_stat_activity once its process has exited, a moment after the client's Terminate.
  await waitFor(async () => (await clientBackends(url)) === idle, 'the 3 connections released');

  const fill = await lab.chaos.inject({ scenario: 'postgres-connections', durationMs: 60_000 });
  assert.match(fill.detail, /^holding \d+ idle connection\(s\) to postgres \(every free slot of the \d+ an ordinary role may use; more as they free up\)$/);
  const limit = Number(/of the (\d+)/.exec(fill.detail)![1]);
  assert.equal(fill.value, limit - idle, 'every slot but those already open');
  await assert.rejects(clientBackends(url), /remaining connection slots are reserved|too many clients/, 'the app cannot open one more');
  lab.timers.advance(60_000);
  assert.deepEqual(await lab.chaos.status(), [], 'expired');
  await waitFor(async () => (await clientBackends(url)) === idle, 'every connection released at expiry');
  assert.deepEqual(await running.stop(), { code: 0, signal: null });
});
