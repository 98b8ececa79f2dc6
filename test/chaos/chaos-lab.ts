/**
 * A chaos engine over real parts for the engine tests: a real fault proxy (its API on
 * 127.0.0.1:0) with the proxies postgres, cache and payments in front of echo servers,
 * a real flag store in a temporary directory, a real event log, and a manual clock with
 * manual timers (no sleeps). The supervisor is the one fake: a table of replicas that
 * records kills and restarts (a real one would need real services; the e2e test has those).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { createChaos } from '../../src/chaos/index.js';
import type { Chaos, ChaosProcesses, ChaosReplica } from '../../src/chaos/index.js';
import { createFlagStore } from '../../src/control/flags.js';
import type { FlagStore } from '../../src/control/flags.js';
import { createEventLog } from '../../src/control/events.js';
import { isLabError } from '../../src/errors.js';
import type { EventLog } from '../../src/control/events.js';
import type { ToxiproxyServer } from '../../src/proxy/index.js';
import { api, echoServer, proxyServer } from '../helpers/net.js';
import { portOf } from '../helpers/proxy-api.js';
import type { ProxyJson } from '../helpers/proxy-api.js';

export interface ManualTimers {
  now: () => number;
  set: (fn: () => void, ms: number) => number;
  clear: (handle: unknown) => void;
  /** Delays asked for, of the timers still pending. */
  pending: () => number[];
  /** Moves the clock on and runs every timer that is due. */
  advance: (ms: number) => void;
}

export function manualTimers(start = 1_700_000_000_000): ManualTimers {
  let now = start;
  let next = 1;
  const timers = new Map<number, { at: number; ms: number; fn: () => void }>();
  return {
    now: () => now,
    set(fn, ms) {
      timers.set(next, { at: now + ms, ms, fn });
      return next++;
    },
    clear(handle) {
      timers.delete(handle as number);
    },
    pending: () => [...timers.values()].map((t) => t.ms),
    advance(ms) {
      now += ms;
      for (const [handle, timer] of [...timers].sort(([, a], [, b]) => a.at - b.at)) {
        if (timer.at > now) continue;
        timers.delete(handle);
        timer.fn();
      }
    },
  };
}

/** The fake supervisor: services with replicas; kill() gives the replica a new pid, as a restart would. */
export interface FakeProcesses extends ChaosProcesses {
  killed: string[];
  restarted: string[];
  table: Map<string, ChaosReplica[]>;
}

export function fakeProcesses(table: Record<string, number>, services = Object.keys(table).filter((s) => s !== 'postgres' && s !== 'cache')): FakeProcesses {
  let pid = 1000;
  const replicas = new Map(Object.entries(table).map(([name, n]) => [name, Array.from({ length: n }, (_, i) => ({ id: `${name}-${i + 1}`, pid: pid++, state: 'ready' }))]));
  const fake: FakeProcesses = {
    killed: [],
    restarted: [],
    table: replicas,
    services: () => services,
    replicas: (name) => (replicas.get(name) ?? []).map((r) => ({ ...r })),
    kill(id) {
      const replica = [...replicas.values()].flat().find((r) => r.id === id);
      if (!replica) throw new Error(`no replica ${id}`);
      fake.killed.push(id);
      replica.pid = pid++;
    },
    restartProcess(name) {
      fake.restarted.push(name);
      return Promise.resolve();
    },
  };
  return fake;
}

export interface ChaosLab {
  chaos: Chaos;
  /** The real proxy server (closing it makes the proxy's API stop answering). */
  server: ToxiproxyServer;
  proxyUrl: string;
  /** Listen ports of the proxies, by name. */
  ports: Record<string, number>;
  flags: FlagStore;
  events: EventLog;
  timers: ManualTimers;
  processes: FakeProcesses;
  proxies(): Promise<Record<string, ProxyJson>>;
  proxy(name: string): Promise<ProxyJson>;
}

export interface ChaosLabOptions {
  proxies?: string[];
  processes?: FakeProcesses;
  databaseUrl?: string | null;
  cacheUrl?: string | null;
}

export async function chaosLab(t: TestContext, options: ChaosLabOptions = {}): Promise<ChaosLab> {
  const { server, url } = await proxyServer(t);
  const ports: Record<string, number> = {};
  for (const name of options.proxies ?? ['postgres', 'cache', 'payments']) {
    const echo = await echoServer(t);
    const reply = await api(url, 'POST', '/proxies', { name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
    if (reply.status !== 201) throw new Error(`creating proxy ${name}: ${reply.text}`);
    ports[name] = portOf((reply.json as ProxyJson).listen);
  }
  const dir = await mkdtemp(join(tmpdir(), 'cloudlab-chaos-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const flags = await createFlagStore(join(dir, 'flags.json'));
  const timers = manualTimers();
  const events = createEventLog(1000, timers.now);
  const processes = options.processes ?? fakeProcesses({ cafe: 2, payments: 1, postgres: 1, cache: 1 });
  const chaos = await createChaos({
    proxyAdminUrl: url, flags, events, processes,
    databaseUrl: options.databaseUrl === undefined ? 'postgres://cafe:pw@127.0.0.1:1/cafe' : options.databaseUrl,
    cacheUrl: options.cacheUrl === undefined ? null : options.cacheUrl,
    clock: timers.now, setTimer: timers.set, clearTimer: timers.clear,
  });
  t.after(() => chaos.close());
  const proxies = async (): Promise<Record<string, ProxyJson>> => (await api(url, 'GET', '/proxies')).json as Record<string, ProxyJson>;
  return { chaos, server, proxyUrl: url, ports, flags, events, timers, processes, proxies, proxy: async (name) => (await proxies())[name]! };
}

/** Asserts that `promise` rejects with a LabError of `code` whose message contains every fragment. */
export async function rejectsWith(promise: Promise<unknown>, code: string, ...fragments: string[]): Promise<string> {
  let message = '';
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(isLabError(err), `a LabError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    for (const f of fragments) assert.ok(err.message.includes(f), `message ${JSON.stringify(err.message)} should include ${JSON.stringify(f)}`);
    message = err.message;
    return true;
  });
  return message;
}
