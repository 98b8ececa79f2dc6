/**
 * `cloudlab chaos` end to end against one real lab (`up -d --free-ports`): list; a fault
 * with --duration whose CLI is SIGKILLed while it waits (the lab removes the fault by
 * itself); kill-replica; flush-cache; restart-postgres; postgres-connections then reset;
 * a toxic added straight through the proxy API, seen by status and removed by reset;
 * bad input exiting 1 with the field named.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import type { ActiveFault, ChaosStatus } from '../../src/chaos/index.js';
import type { LabEvent } from '../../src/control/events.js';
import { MAIN } from '../helpers/cli.js';
import { RawClient, encodeCommand, parseAll } from '../deps/resp-client.js';
import { api, eventually, labDir, labState, run } from '../control/lab-cli.js';

interface Status {
  parts: Array<{ name: string; replicas?: Array<{ id: string; pid: number | null; state: string; restarts: number }> }>;
}
interface Proxy {
  enabled: boolean;
  toxics: Array<{ name: string; type: string }>;
}

test('cloudlab chaos against a running lab', { timeout: 300_000 }, async (t) => {
  const dir = await labDir(t, 'chaos');
  const up = await run(dir, ['up', '-d', '--free-ports']);
  assert.equal(up.code, 0, `up failed: ${up.stderr}\n${up.stdout}`);
  const state = await labState(dir);
  const { connections } = JSON.parse(await readFile(join(dir, '.cloudlab', 'run', 'lab.json'), 'utf8')) as { connections: { postgres: string; cache: string } };
  const proxyApi = state.urls['toxiproxy API']!;
  const edge = state.urls['cafe (edge)']!;
  const faults = async (): Promise<ActiveFault[]> => (await api<ChaosStatus>(state, 'GET', '/api/chaos')).body.faults;
  const proxy = async (name: string): Promise<Proxy> => (await (await fetch(`${proxyApi}/proxies/${name}`)).json()) as Proxy;
  const chaos = async (...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> => run(dir, ['chaos', ...args]);

  await t.test('chaos list: every scenario with its FIS action', async () => {
    const list = await chaos('list');
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^SCENARIO\s+VALUE\s+TARGET\s+FIS ACTION\s+WHAT IT DOES/);
    for (const [name, fis] of [['postgres-latency', 'aws:ecs:task-network-latency'], ['kill-replica', 'aws:ecs:stop-task'], ['restart-postgres', 'aws:rds:reboot-db-instances'], ['postgres-outage', 'aws:network:disrupt-connectivity']]) {
      assert.match(list.stdout, new RegExp(`^${name}\\s.*${fis}`, 'm'));
    }
    assert.doesNotMatch(list.stdout, /NOT AVAILABLE/, 'the cafe demo has every part');
  });

  await t.test('a --duration fault outlives its CLI: SIGKILL while it waits, the lab removes it', async () => {
    const child = spawn(process.execPath, [MAIN, 'chaos', 'postgres-latency', '300', '--duration', '2s'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = once(child, 'exit');
    let stdout = '';
    child.stdout.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: string) => {
        stdout += d;
        if (/the lab removes it at/.test(stdout)) resolve();
      });
      child.once('exit', (code) => reject(new Error(`chaos exited (${code}) before waiting:\n${stdout}`)));
    });
    const id = /injected (f\d+): latency 300 ms on postgres \(downstream\)/.exec(stdout)?.[1];
    assert.ok(id, stdout);
    assert.deepEqual((await proxy('postgres')).toxics.map((x) => x.name), [`chaos_${id}_latency`]);
    child.kill('SIGKILL');
    await exited;
    await eventually('the lab to remove the fault by itself', async () => ((await faults()).some((f) => f.id === id) ? undefined : true), 15_000);
    assert.deepEqual((await proxy('postgres')).toxics, []);
    const events = (await api<{ events: LabEvent[] }>(state, 'GET', '/api/events')).body.events;
    assert.ok(events.some((e) => e.kind === 'fault' && e.action === 'inject' && e.detail === `postgres-latency 300 ms on postgres (${id}, for 2 s)`), JSON.stringify(events));
    assert.ok(events.some((e) => e.kind === 'fault' && e.action === 'expire' && e.detail.startsWith(`postgres-latency 300 ms on postgres expired after 2`) && e.detail.endsWith(`(${id})`)), JSON.stringify(events));
  });

  await t.test('Ctrl-C while waiting: the CLI says the lab will remove the fault, exits 0, and the lab does', async () => {
    const child = spawn(process.execPath, [MAIN, 'chaos', 'cache-latency', '10', '--duration', '1500ms'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    await eventually('the CLI to wait', () => Promise.resolve(/the lab removes it at/.test(stdout) ? true : undefined), 15_000);
    const exited = once(child, 'exit');
    child.kill('SIGINT');
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0, stdout);
    const id = /injected (f\d+)/.exec(stdout)![1]!;
    assert.match(stdout, new RegExp(`stopped waiting; the lab still removes ${id} at \\d\\d:\\d\\d:\\d\\d by itself \\(cloudlab chaos remove ${id} removes it now\\)`));
    await eventually('the lab to remove it', async () => ((await faults()).some((f) => f.id === id) ? undefined : true), 15_000);
    assert.deepEqual((await proxy('cache')).toxics, []);
  });

  await t.test('kill-replica cafe: a new pid, restarted by the supervisor', async () => {
    const replicas = async (): Promise<NonNullable<Status['parts'][number]['replicas']>> => (await api<Status>(state, 'GET', '/api/status')).body.parts.find((p) => p.name === 'cafe')!.replicas!;
    const before = (await replicas())[0]!;
    const kill = await chaos('kill-replica', 'cafe');
    assert.equal(kill.code, 0, kill.stderr);
    assert.match(kill.stdout, new RegExp(`kill-replica: SIGKILL to ${before.id} \\(pid ${before.pid}\\)`));
    const after = await eventually('cafe-1 to come back with a new pid', async () => {
      const r = (await replicas()).find((x) => x.id === before.id)!;
      return r.state === 'ready' && r.pid !== before.pid ? r : undefined;
    });
    assert.ok(after.restarts > before.restarts, 'the restart policy restarted it');
  });

  await t.test('flush-cache empties the cache', async (tt) => {
    const menu = await fetch(`${edge}/menu`);
    assert.equal(menu.status, 200);
    await menu.arrayBuffer();
    const port = Number(new URL(connections.cache).port);
    const dbsize = async (): Promise<bigint> => {
      const client = await RawClient.connect(tt, port);
      client.write(encodeCommand(['DBSIZE']));
      const size = parseAll(await client.replies(1))[0] as bigint;
      client.socket.destroy();
      return size;
    };
    await eventually('the menu in the cache', async () => ((await dbsize()) > 0n ? true : undefined));
    const flush = await chaos('flush-cache');
    assert.equal(flush.code, 0, flush.stderr);
    assert.match(flush.stdout, /flush-cache: FLUSHALL on the cache at 127\.0\.0\.1:\d+: [1-9]\d* key\(s\) of db 0 gone/);
    assert.equal(await dbsize(), 0n);
  });

  await t.test('restart-postgres, then the menu still answers through the edge', async () => {
    const restart = await chaos('restart-postgres');
    assert.equal(restart.code, 0, restart.stderr);
    assert.match(restart.stdout, /postgres restarted through the supervisor, ready again after/);
    await eventually('the menu through the edge', async () => {
      const res = await fetch(`${edge}/menu`);
      await res.arrayBuffer();
      return res.status === 200 ? true : undefined;
    });
  });

  await t.test('postgres-connections fills the slots; chaos reset releases them', async () => {
    const fill = await chaos('postgres-connections');
    assert.equal(fill.code, 0, fill.stderr);
    const id = /injected (f\d+): holding \d+ idle connection/.exec(fill.stdout)?.[1];
    assert.ok(id, fill.stdout);
    assert.ok((await faults()).some((f) => f.id === id && f.scenario === 'postgres-connections'));
    const connect = async (): Promise<void> => {
      const client = new pg.Client({ connectionString: connections.postgres });
      client.on('error', () => undefined);
      try {
        await client.connect();
      } finally {
        await client.end().catch(() => undefined);
      }
    };
    // The cafe's pools may hold slots for a while; chaos takes each one they let go of.
    await eventually('every slot taken', async () => connect().then(() => undefined, (err: Error) => (/remaining connection slots are reserved|too many clients/.test(err.message) ? true : undefined)), 30_000);
    const reset = await chaos('reset');
    assert.equal(reset.code, 0, reset.stderr);
    assert.match(reset.stdout, new RegExp(`^cloudlab: reset: 1 fault\\(s\\) removed`));
    assert.match(reset.stdout, new RegExp(`^${id}\\s+chaos\\s+postgres-connections`, 'm'));
    assert.deepEqual(await faults(), []);
    await eventually('a new connection', async () => connect().then(() => true, () => undefined));
  });

  await t.test('a toxic added through the proxy API shows in status; reset removes it', async () => {
    const add = await fetch(`${proxyApi}/proxies/cache/toxics`, { method: 'POST', body: JSON.stringify({ name: 'manual', type: 'latency', attributes: { latency: 20 } }) });
    assert.equal(add.status, 200, await add.clone().text());
    const status = await chaos('status');
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /^toxic:cache\/manual\s+proxy\s+toxic\s+latency latency=20 jitter=0 on cache \(downstream, toxicity 1\) as manual\s+until removed$/m);
    const reset = await chaos('reset');
    assert.equal(reset.code, 0, reset.stderr);
    assert.deepEqual((await proxy('cache')).toxics, []);
    assert.equal((await chaos('status')).stdout, 'cloudlab: no fault is active\n');
  });

  await t.test('bad input exits 1 naming the field', async () => {
    const unknown = await chaos('meteor-strike');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no scenario or command "meteor-strike"; the scenarios are postgres-latency, .* \[LAB_CHAOS_UNKNOWN_SCENARIO\]/);
    const bad = await chaos('postgres-latency', 'abc');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /postgres-latency: value \(latency_ms\) must be an integer from 0 to 600000 \(ms\), received "abc"; fix: .* \[LAB_CHAOS_BAD_VALUE\]/);
    const duration = await chaos('cache-outage', '--duration', '50ms');
    assert.equal(duration.code, 1);
    assert.match(duration.stderr, /cache-outage: durationMs must be a whole number of milliseconds from 100 \(100 ms\) to 86400000 \(24 h\), received 50/);
    assert.deepEqual(await faults(), [], 'nothing was applied');
  });
});
