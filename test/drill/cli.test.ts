/**
 * `cloudlab drill` as a child process in a directory whose state file points at a FAKE
 * control API (helpers/fake-control.ts; the real lab is exercised by the lead's
 * end-to-end drill tests), a real hub and a real HTTP target. Exit codes, --dry-run,
 * --param, --out, list, and Ctrl-C (SIGINT) mid-method.
 */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Journal } from '../../src/drill/index.js';
import { MAIN } from '../helpers/cli.js';
import { startFakeControl } from './helpers/fake-control.js';
import type { FakeControl } from './helpers/fake-control.js';
import { startHub } from './helpers/hub.js';
import type { TestHub } from './helpers/hub.js';
import { startTarget } from './helpers/target.js';

interface Child {
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
  waitFor(pattern: RegExp): Promise<void>;
}

function drill(t: TestContext, cwd: string, args: string[]): Child {
  const child = spawn(process.execPath, [MAIN, 'drill', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '1' } });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    for (const l of listeners) l();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = once(child, 'close').then(([code]) => code as number | null);
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  return {
    stdout: () => out,
    stderr: () => err,
    exited,
    kill: (signal) => child.kill(signal),
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (!pattern.test(out)) return;
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
        check();
        void exited.then((code) => reject(new Error(`exited ${code} before ${pattern}: ${out}\n${err}`)));
      }),
  };
}

interface Dir {
  cwd: string;
  hub: TestHub;
  fake: FakeControl;
}

/** A directory whose `.cloudlab/run/lab.json` names this test process (alive) and the fakes. */
async function labDirectory(t: TestContext): Promise<Dir> {
  const cwd = await mkdtemp(join(tmpdir(), 'cloudlab-drill-cli-'));
  t.after(() => rm(cwd, { recursive: true, force: true }));
  const [hub, target, fake] = await Promise.all([startHub(t), startTarget(t), startFakeControl(t)]);
  await hub.push('drill_error_ratio', 0.01);
  await mkdir(join(cwd, '.cloudlab', 'run'), { recursive: true });
  const state = {
    pid: process.pid, name: 'cafe-demo', startedAtMs: Date.now(), controlUrl: fake.url, token: fake.token,
    urls: { 'cafe (edge)': target.url, 'hub (queries, Prometheus API)': hub.queryUrl, 'hub (OTLP/HTTP)': hub.otlpUrl },
    connections: { postgres: null, cache: null },
  };
  await writeFile(join(cwd, '.cloudlab', 'run', 'lab.json'), JSON.stringify(state), { mode: 0o600 });
  return { cwd, hub, fake };
}

const DRILL = `
name: cli-drill
description: An outage that makes errors spike.
parameters:
  outage_at: 100ms
  length: 30s
hypothesis:
  - name: menu answers
    http: { path: /menu, body_includes: Espresso }
method:
  duration: \${length}
  probe_interval: 50ms
  faults:
    - { scenario: postgres-outage, at: '\${outage_at}', duration: 20s }
stop_conditions:
  - { name: error ratio above 50%, promql: drill_error_ratio, max: 0.5 }
rollbacks:
  - chaos: reset
`;

test('cloudlab drill: help, a missing file, no lab, and --dry-run', async (t) => {
  const d = await labDirectory(t);
  await writeFile(join(d.cwd, 'd.yaml'), DRILL);

  const help = drill(t, d.cwd, ['--help']);
  assert.equal(await help.exited, 0);
  assert.match(help.stdout(), /Usage: cloudlab drill <file\.yaml>/);
  assert.match(help.stdout(), /Exit codes: 0 passed, 99 failed, 98 aborted \(a stop condition\), 130 interrupted, 1 error/);

  const missing = drill(t, d.cwd, ['nope.yaml']);
  assert.equal(await missing.exited, 1);
  assert.match(missing.stderr(), /drill file "nope\.yaml" does not exist .*\[LAB_DRILL_FILE_NOT_FOUND\]/);

  const listed = d.fake.calls('GET', '/api/chaos/scenarios').length;
  const plan = drill(t, d.cwd, ['d.yaml', '--dry-run', '--param', 'outage_at=2s']);
  assert.equal(await plan.exited, 0, plan.stderr());
  assert.match(plan.stdout(), /fault at 2s: postgres-outage, until 22s \(20s\)/);
  assert.match(plan.stdout(), /outage_at = "2s"/);
  assert.match(plan.stdout(), /stop condition \(aborts at once\): error ratio above 50%/);
  assert.match(plan.stdout(), /fault scenarios checked against the running lab\. Nothing was run\./);
  assert.equal(d.fake.calls('GET', '/api/chaos/scenarios').length, listed + 1, 'the scenarios were checked with the lab');
  assert.equal(d.fake.calls('POST', '/api/chaos').length, 0, 'a dry run touches nothing');

  const badParam = drill(t, d.cwd, ['d.yaml', '--param', 'outage=2s']);
  assert.equal(await badParam.exited, 1);
  assert.match(badParam.stderr(), /--param outage names no parameter of the drill, received "outage=2s"; fix: did you mean "outage_at"\? \[LAB_DRILL_FILE_INVALID\]/);

  const empty = await mkdtemp(join(tmpdir(), 'cloudlab-drill-nolab-'));
  t.after(() => rm(empty, { recursive: true, force: true }));
  await writeFile(join(empty, 'd.yaml'), DRILL);
  const noLab = drill(t, empty, ['d.yaml']);
  assert.equal(await noLab.exited, 1);
  assert.match(noLab.stderr(), /drill cli-drill needs a running lab, and none runs from .*; fix: run `cloudlab up -d` in this directory first \[LAB_DRILL_NO_LAB\]/);
});

test('cloudlab drill: a stop condition exits 98, Ctrl-C exits 130 with the rollbacks run, list shows both', async (t) => {
  const d = await labDirectory(t);
  await writeFile(join(d.cwd, 'd.yaml'), DRILL);

  d.fake.onInject = () => d.hub.push('drill_error_ratio', 0.9);
  const aborted = drill(t, d.cwd, ['d.yaml']);
  assert.equal(await aborted.exited, 98, aborted.stdout() + aborted.stderr());
  assert.match(aborted.stdout(), /verdict: ABORTED \(cli-drill\)\n {2}- stop condition "error ratio above 50%" crossed/);
  const journalPath = /journal: (\S+)/.exec(aborted.stdout())?.[1] ?? '';
  const reportPath = /report: {2}(\S+)/.exec(aborted.stdout())?.[1] ?? '';
  assert.ok(journalPath.startsWith(join(d.cwd, '.cloudlab', 'drills', 'cli-drill-')) && existsSync(journalPath), journalPath);
  assert.ok(reportPath.endsWith('.html') && existsSync(reportPath));
  assert.match(aborted.stdout(), /▸ method: method for 30\.0 s/, 'plain progress lines per phase');

  // Ctrl-C once the fault is in: faults removed, rollbacks run, journal written.
  await d.hub.push('drill_error_ratio', 0.01);
  d.fake.onInject = null;
  const outDir = join(d.cwd, 'elsewhere');
  const interrupted = drill(t, d.cwd, ['d.yaml', '--out', 'elsewhere']);
  await interrupted.waitFor(/injected postgres-outage/);
  const resetsBefore = d.fake.calls('POST', '/api/chaos/reset').length;
  interrupted.kill('SIGINT');
  assert.equal(await interrupted.exited, 130, interrupted.stdout() + interrupted.stderr());
  assert.match(interrupted.stdout(), /interrupting: stopping the load, removing the faults, running the rollbacks/);
  assert.match(interrupted.stdout(), /verdict: INTERRUPTED/);
  assert.equal(d.fake.calls('POST', '/api/chaos/reset').length, resetsBefore + 1);
  assert.equal(d.fake.calls('DELETE', '/api/chaos/f2').length, 1, 'the drill removed its fault');
  const files = readdirSync(outDir).sort();
  assert.equal(files.filter((f) => f.endsWith('.json')).length, 1);
  assert.equal(files.filter((f) => f.endsWith('.html')).length, 1);
  const journal = JSON.parse(await readFile(join(outDir, files.find((f) => f.endsWith('.json'))!), 'utf8')) as Journal;
  assert.equal(journal.verdict, 'interrupted');
  assert.match(interrupted.stdout(), new RegExp(`journal: ${join(outDir, journal.id)}\\.json`));

  // list reads the state dir: the aborted drill (the interrupted one went to --out).
  const list = drill(t, d.cwd, ['list']);
  assert.equal(await list.exited, 0);
  assert.match(list.stdout(), /^ID +VERDICT +STARTED +REASON\ncli-drill-\S+ +aborted +\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} +stop condition "error ratio above 50%" crossed/);
});
