/**
 * Postgres and the cache: prepared by deps (embedded engine or external URL), run
 * by the supervisor, and put behind their fault proxies. Services get the URLs
 * through the proxies, so a toxic on `postgres` reaches every query.
 */
import { externalCache, externalPostgres, prepareCache, preparePostgres } from '../deps/index.js';
import type { Supervisor } from '../supervisor/index.js';
import type { Progress } from './lab.js';
import type { LabPlan } from './plan.js';
import { createProxy } from './toxiproxy-client.js';

export interface RunningDependencies {
  /** What services get: through the proxy when there is one. */
  databaseUrl: string | null;
  directDatabaseUrl: string | null;
  cacheUrl: string | null;
  directCacheUrl: string | null;
  postgresDetail: string | null;
  cacheDetail: string | null;
  urls: Record<string, string>;
  /** Lines for the banner: which engines run, and how to get the real one. */
  notes: string[];
}

function withPort(url: string, host: string, port: number): string {
  const u = new URL(url);
  u.hostname = host;
  u.port = String(port);
  return u.toString();
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '****';
  return u.toString();
}

/** A promise awaited later: its rejection is handled there, not reported as unhandled meanwhile. */
function settledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

const INFRA_HEALTH = { intervalMs: 2000, timeoutMs: 1000, retries: 3, startPeriodMs: 60_000 };

export async function startDependencies(plan: LabPlan, supervisor: Supervisor, proxyReady: Promise<void>, proxyAdminUrl: string, progress: Progress, proxyPorts: { postgres: number | null; cache: number | null }): Promise<RunningDependencies> {
  const out: RunningDependencies = { databaseUrl: null, directDatabaseUrl: null, cacheUrl: null, directCacheUrl: null, postgresDetail: null, cacheDetail: null, urls: {}, notes: [] };
  const h = plan.host;
  const t0 = Date.now();

  /** Puts a fault proxy named `name` in front of `direct`; returns the URL through it (or `direct` without a proxy). */
  async function behindProxy(name: string, direct: string, proxy: { key: string; host: string } | null, listenPort: number | null, defaultPort: number): Promise<string> {
    if (!proxy || listenPort === null) return direct;
    const u = new URL(direct);
    await proxyReady;
    await createProxy(proxyAdminUrl, { name, listen: `${proxy.host}:${listenPort}`, upstream: `${u.hostname}:${u.port || defaultPort}` }, proxy.key);
    return withPort(direct, proxy.host, listenPort);
  }

  async function postgres(): Promise<void> {
    const pg = plan.postgres;
    if (!pg) return;
    progress({ part: 'postgres', state: 'starting', detail: pg.engine === 'embedded' ? 'embedded PostgreSQL' : 'external database' });
    let direct: string;
    let proxied: Promise<string> | undefined;
    if (pg.engine === 'embedded') {
      const prepared = await preparePostgres({ stateDir: plan.stateDir, host: h, port: pg.port, database: pg.database, user: pg.user, password: pg.password, onProgress: (line) => progress({ part: 'postgres', state: 'info', detail: line }) });
      // The proxy goes up while postgres starts: its upstream's port is known already.
      proxied = settledLater(behindProxy('postgres', prepared.url, pg.proxy, proxyPorts.postgres, 5432));
      // The user and database are set up as soon as the server accepts, beside the readiness check.
      const setup = new AbortController();
      const started = supervisor.start({ name: 'postgres', replicas: 1, restart: 'on-failure', assignPorts: false, health: INFRA_HEALTH, build: () => prepared.launch });
      started.catch(() => setup.abort());
      await Promise.all([started, prepared.afterStart({ signal: setup.signal })]);
      direct = prepared.url;
      out.postgresDetail = `embedded PostgreSQL on ${h}:${prepared.port}, data in ${plan.stateDir}/postgres`;
      out.notes.push(`postgres: ${out.postgresDetail}`);
    } else {
      direct = externalPostgres(pg.url).url;
      out.postgresDetail = `external ${redact(direct)}`;
    }
    out.directDatabaseUrl = direct;
    out.databaseUrl = await (proxied ?? behindProxy('postgres', direct, pg.proxy, proxyPorts.postgres, 5432));
    out.urls['postgres'] = redact(out.databaseUrl);
    progress({ part: 'postgres', state: 'ready', detail: `${out.postgresDetail}${pg.proxy ? `, through the proxy on ${h}:${proxyPorts.postgres}` : ''} (${Date.now() - t0} ms)` });
  }

  async function cache(): Promise<void> {
    const c = plan.cache;
    if (!c) return;
    progress({ part: 'cache', state: 'starting', detail: c.engine === 'external' ? 'external cache' : `cache (${c.engine})` });
    let direct: string;
    let proxied: Promise<string> | undefined;
    if (c.engine === 'external') {
      direct = externalCache(c.url).url;
      out.cacheDetail = `external ${redact(direct)}`;
    } else {
      const prepared = await prepareCache({ stateDir: plan.stateDir, host: h, port: c.port, engine: c.engine });
      proxied = settledLater(behindProxy('cache', prepared.url, c.proxy, proxyPorts.cache, 6379));
      await supervisor.start({ name: 'cache', replicas: 1, restart: 'on-failure', assignPorts: false, health: INFRA_HEALTH, build: () => prepared.launch });
      direct = prepared.url;
      out.cacheDetail = `${prepared.engine === 'builtin' ? 'built-in RESP cache' : `${prepared.engine} (${prepared.binary})`} on ${h}:${prepared.port}`;
      if (prepared.hint) progress({ part: 'cache', state: 'info', detail: prepared.hint });
      out.notes.push(`cache: ${prepared.hint ?? out.cacheDetail}`);
    }
    out.directCacheUrl = direct;
    out.cacheUrl = await (proxied ?? behindProxy('cache', direct, c.proxy, proxyPorts.cache, 6379));
    out.urls['cache'] = redact(out.cacheUrl);
    progress({ part: 'cache', state: 'ready', detail: `${out.cacheDetail}${c.proxy ? `, through the proxy on ${h}:${proxyPorts.cache}` : ''} (${Date.now() - t0} ms)` });
  }

  await Promise.all([postgres(), cache()]);
  return out;
}
