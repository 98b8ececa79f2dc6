/**
 * The cafe and its dependencies for one test: a real Postgres and redis-server
 * shared by the test file (useDeps), and per test its own databases, its own redis
 * logical database, a flags file, payments and cafe (startStack). Everything a
 * test starts is stopped by t.after hooks registered as soon as it exists.
 */
import { after, before } from 'node:test';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres } from './postgres.js';
import type { PostgresServer } from './postgres.js';
import { startRedis } from './redis.js';
import { REDIS_SERVER, requireBinary } from './binaries.js';
import type { RedisServer } from './redis.js';
import { startService } from './service.js';
import type { ServiceProcess } from './service.js';
import { startTcpProxy } from './tcp-proxy.js';
import type { TcpProxy } from './tcp-proxy.js';

export interface Deps {
  postgres: PostgresServer;
  redis: RedisServer;
}

/**
 * Starts Postgres and redis-server once for the enclosing suite (before/after
 * hooks); call inside the describe() so a skipped suite starts nothing.
 */
export function useDeps(): () => Deps {
  let deps: Deps | undefined;
  before(async () => {
    requireBinary(REDIS_SERVER); // the one-line reason first, before starting anything
    const [postgres, redis] = await Promise.allSettled([startPostgres(), startRedis()]);
    if (postgres.status === 'rejected' || redis.status === 'rejected') {
      if (postgres.status === 'fulfilled') await postgres.value.stop();
      if (redis.status === 'fulfilled') await redis.value.stop();
      throw postgres.status === 'rejected' ? postgres.reason : (redis as PromiseRejectedResult).reason;
    }
    deps = { postgres: postgres.value, redis: redis.value };
  });
  after(async () => {
    await Promise.all([deps?.postgres.stop(), deps?.redis.stop()]);
  });
  return () => {
    if (deps === undefined) throw new Error('the test dependencies are not started (useDeps() must be called inside the suite)');
    return deps;
  };
}

/** The run-time failure flags, as the cafe reads them from CAFE_FLAGS_FILE. */
export interface Flags {
  slowMenuQueryMs?: number;
  paymentFailureRate?: number;
  cpuHog?: boolean;
  memoryLeak?: boolean;
  cacheDisabled?: boolean;
}

export interface StackOptions {
  cafeEnv?: Record<string, string | undefined>;
  paymentsEnv?: Record<string, string | undefined>;
  flags?: Flags;
  /** Put a TCP proxy between cafe and Postgres (stack.dbProxy). */
  dbProxy?: boolean;
}

export interface Stack {
  cafe: ServiceProcess;
  payments: ServiceProcess;
  cafeDb: string;
  paymentsDb: string;
  dbProxy: TcpProxy | undefined;
  /** Always there: the cafe's PAYMENTS_URL, so cafe and payments start in parallel and payments can be replaced. */
  paymentsProxy: TcpProxy;
  flagsFile: string;
  /**
   * Rewrites the flags file atomically and resolves once both services logged
   * that they re-read it (they watch the file; the event is their log line).
   */
  setFlags(flags: Flags): Promise<void>;
  /** Starts another payments on the same database (a recovered provider) and points the payments proxy at it. */
  replacePayments(env: Record<string, string | undefined>): Promise<ServiceProcess>;
}

/** The services watch the flags file and poll it every second as a fallback. */
const FLAGS_RELOAD_TIMEOUT_MS = 5000;
const PAYMENTS_DEFAULTS = { PAYMENTS_LATENCY_MS: '0', PAYMENTS_ERROR_RATE: '0' };

/** Where a started resource registers its cleanup: a test's t.after, or a suite's (see useStack). */
export interface Cleanup {
  after(fn: () => unknown): void;
}

/**
 * A stack for the whole suite: started in before(), stopped in after() (in reverse
 * order of start). Call inside the describe(), after useDeps().
 */
export function useStack(deps: () => Deps, options: StackOptions = {}): () => Stack {
  let stack: Stack | undefined;
  const cleanups: (() => unknown)[] = [];
  before(async () => {
    stack = await startStack({ after: (fn) => cleanups.push(fn) }, deps(), options);
  });
  after(async () => {
    for (const fn of cleanups.reverse()) await fn();
  });
  return () => {
    if (stack === undefined) throw new Error('the stack is not started (useStack() must be called inside the suite)');
    return stack;
  };
}

export async function startStack(t: Cleanup, deps: Deps, options: StackOptions = {}): Promise<Stack> {
  const { postgres, redis } = deps;
  const [cafeDb, paymentsDb] = await Promise.all([postgres.createDatabase('cafe'), postgres.createDatabase('payments')]);

  const dir = await mkdtemp(join(tmpdir(), 'cafe-test-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const flagsFile = join(dir, 'flags.json');
  let writes = 0;
  const writeFlags = async (flags: Flags): Promise<void> => {
    const temp = `${flagsFile}.${++writes}.tmp`;
    await writeFile(temp, JSON.stringify(flags));
    await rename(temp, flagsFile);
  };
  await writeFlags(options.flags ?? {});

  const paymentsEnv = (env: Record<string, string | undefined>): Record<string, string | undefined> => ({
    DATABASE_URL: postgres.url(paymentsDb),
    CAFE_FLAGS_FILE: flagsFile, // payments reads paymentFailureRate from it
    ...PAYMENTS_DEFAULTS,
    ...env,
  });
  let dbProxy: TcpProxy | undefined;
  if (options.dbProxy === true) {
    const proxy = await startTcpProxy({ host: postgres.host, port: postgres.port });
    dbProxy = proxy;
    t.after(() => proxy.close());
  }
  const paymentsProxy = await startTcpProxy();
  t.after(() => paymentsProxy.close());

  // Both at once: the cafe does not call payments before its first order.
  const [startedPayments, cafe] = await Promise.allSettled([
    startService('payments', paymentsEnv(options.paymentsEnv ?? {})),
    startService('cafe', {
      DATABASE_URL: postgres.url(cafeDb, dbProxy?.port),
      VALKEY_URL: redis.nextUrl(),
      PAYMENTS_URL: `http://127.0.0.1:${paymentsProxy.port}`,
      CAFE_FLAGS_FILE: flagsFile,
      ...options.cafeEnv,
    }),
  ]);
  for (const started of [startedPayments, cafe]) if (started.status === 'fulfilled') t.after(() => started.value.stop());
  if (startedPayments.status === 'rejected') throw startedPayments.reason;
  if (cafe.status === 'rejected') throw cafe.reason;
  let payments = startedPayments.value;
  paymentsProxy.retarget({ host: '127.0.0.1', port: payments.port });

  return {
    cafe: cafe.value,
    get payments() {
      return payments;
    },
    cafeDb,
    paymentsDb,
    dbProxy,
    paymentsProxy,
    flagsFile,
    async setFlags(flags) {
      const reloaded = /flags file .* loaded/;
      const seen = Promise.all([cafe.value.nextLine(reloaded, FLAGS_RELOAD_TIMEOUT_MS), payments.nextLine(reloaded, FLAGS_RELOAD_TIMEOUT_MS)]);
      try {
        await writeFlags(flags);
      } catch (err) {
        seen.catch(() => undefined);
        throw err;
      }
      await seen;
    },
    async replacePayments(env) {
      const next = await startService('payments', paymentsEnv(env));
      t.after(() => next.stop());
      const previous = payments;
      payments = next;
      paymentsProxy.retarget({ host: '127.0.0.1', port: next.port });
      await previous.stop();
      return next;
    },
  };
}
