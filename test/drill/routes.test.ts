/**
 * Past drills on disk and the control API's `/api/drills*` routes, through the real
 * control server (createControlServer) with a stub lab that only knows its state dir:
 * listing newest first, a journal, a report as text/html, and ids checked so no path
 * trick reaches outside `<stateDir>/drills`.
 */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createControlServer } from '../../src/control/api.js';
import type { LabHandle } from '../../src/control/handle.js';
import { listDrills, renderReport } from '../../src/drill/index.js';
import type { Journal } from '../../src/drill/index.js';
import { fixtureJournal } from './helpers/journal.js';

async function stateDirWithDrills(t: TestContext): Promise<{ stateDir: string; journals: Journal[] }> {
  const stateDir = await mkdtemp(join(tmpdir(), 'cloudlab-drill-routes-'));
  t.after(() => rm(stateDir, { recursive: true, force: true }));
  const dir = join(stateDir, 'drills');
  await mkdir(dir, { recursive: true });
  const base = fixtureJournal();
  const journals = [
    fixtureJournal({ id: 'database-outage-2025-01-15T09-30-00', startedAtMs: base.startedAtMs }),
    fixtureJournal({ id: 'cache-outage-2025-01-16T08-00-00', startedAtMs: base.startedAtMs + 86_400_000, verdict: 'passed', reasons: [], drill: { ...base.drill, name: 'cache-outage' } }),
    fixtureJournal({ id: 'database-outage-2025-01-15T09-30-00-2', startedAtMs: base.startedAtMs + 5, verdict: 'aborted', reasons: ['stop condition "x" crossed'] }),
  ];
  for (const j of journals) {
    await writeFile(join(dir, `${j.id}.json`), JSON.stringify(j));
    await writeFile(join(dir, `${j.id}.html`), renderReport(j));
  }
  // A drill running now (claimed, not written yet), the recorded orders, and a stray file: none is listed.
  await writeFile(join(dir, 'running-2025-01-17T00-00-00.json'), '');
  await writeFile(join(dir, 'cache-outage-2025-01-16T08-00-00.orders.jsonl'), '{}\n');
  await writeFile(join(dir, 'notes.json'), '{"verdict":"passed","startedAtMs":1}');
  await writeFile(join(stateDir, 'secret.json'), '{"token":"hunter2"}');
  return { stateDir, journals };
}

test('listDrills: past drills newest first with their verdicts; unfinished and stray files left out', async (t) => {
  const { stateDir } = await stateDirWithDrills(t);
  const drills = await listDrills(stateDir);
  assert.deepEqual(drills.map((d) => [d.id, d.name, d.verdict]), [
    ['cache-outage-2025-01-16T08-00-00', 'cache-outage', 'passed'],
    ['database-outage-2025-01-15T09-30-00-2', 'database-outage', 'aborted'],
    ['database-outage-2025-01-15T09-30-00', 'database-outage', 'failed'],
  ]);
  assert.deepEqual(drills[1]?.reasons, ['stop condition "x" crossed']);
  assert.deepEqual(await listDrills(join(stateDir, 'nowhere')), []);
});

test('GET /api/drills, /api/drills/{id} and /api/drills/{id}/report; unknown ids and path tricks are LAB_DRILL_NOT_FOUND', async (t) => {
  const { stateDir, journals } = await stateDirWithDrills(t);
  const server = await createControlServer({ host: '127.0.0.1', port: 0, token: 'tok' });
  t.after(() => server.close());
  // A stub of the running lab: the drill routes only ask for its state directory.
  server.attach({ status: () => ({ stateDir }) } as unknown as LabHandle);
  const get = async (path: string): Promise<{ status: number; type: string; text: string }> => {
    const res = await fetch(`${server.url}${path}`, { headers: { authorization: 'Bearer tok' } });
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  };

  const list = await get('/api/drills');
  assert.equal(list.status, 200);
  const body = JSON.parse(list.text) as { drills: Array<{ id: string; name: string; verdict: string; reasons: string[]; startedAtMs: number; endedAtMs: number }> };
  assert.deepEqual(body.drills.map((d) => d.id), ['cache-outage-2025-01-16T08-00-00', 'database-outage-2025-01-15T09-30-00-2', 'database-outage-2025-01-15T09-30-00']);
  assert.deepEqual(Object.keys(body.drills[0]!).sort(), ['endedAtMs', 'id', 'name', 'reasons', 'startedAtMs', 'verdict']);

  const one = await get('/api/drills/database-outage-2025-01-15T09-30-00');
  assert.equal(one.status, 200);
  assert.match(one.type, /^application\/json/);
  assert.deepEqual(JSON.parse(one.text), journals[0]);

  const report = await get('/api/drills/database-outage-2025-01-15T09-30-00/report');
  assert.equal(report.status, 200);
  assert.equal(report.type, 'text/html; charset=utf-8');
  assert.match(report.text, /<header class="banner failed">/);

  for (const path of [
    '/api/drills/no-such-drill-2025-01-01T00-00-00',
    '/api/drills/running-2025-01-17T00-00-00',
    '/api/drills/notes',
    '/api/drills/..%2Fsecret',
    '/api/drills/..%2F..%2Fetc%2Fpasswd/report',
    '/api/drills/%E0%A4%A',
    '/api/drills/cache-outage-2025-01-16T08-00-00.orders',
  ]) {
    const res = await get(path);
    assert.equal(res.status, 404, path);
    const error = (JSON.parse(res.text) as { error: { code: string; message: string } }).error;
    assert.equal(error.code, 'LAB_DRILL_NOT_FOUND', path);
    assert.match(error.message, /GET \/api\/drills \(or cloudlab drill list\) lists them|GET \/api\/drills lists the past drills/);
    assert.doesNotMatch(res.text, /hunter2/);
  }
  // Dot segments are resolved by the URL parser before any route sees them: still a 404, never a file.
  const dots = await get('/api/drills/%2E%2E/%2E%2E/secret.json');
  assert.equal(dots.status, 404);
  assert.doesNotMatch(dots.text, /hunter2/);
  const unauthorized = await fetch(`${server.url}/api/drills`);
  assert.equal(unauthorized.status, 401);
});
