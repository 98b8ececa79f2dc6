/**
 * Cache-aside over Valkey/Redis with stale-if-error. Each entry is written twice:
 * `<key>` with the TTL, and `<key>:stale` kept for a day. A fresh hit answers
 * `hit`; otherwise the loader runs (`miss`); when the loader fails (the database
 * is down) or takes longer than `refreshTimeoutMs` (the database is slow), the stale
 * copy answers (`stale`) and a slow load still refreshes the cache when it ends. The
 * cache being down never fails a request: reads and writes give up after a short
 * command timeout.
 */
import { Redis } from 'ioredis';
import type { Counter } from '@opentelemetry/api';
import type { Logger } from '../shared/logger.js';
import { carryContext } from '../shared/trace-context.js';
import { cacheCall } from './cache-span.js';

export type CacheResult = 'hit' | 'miss' | 'stale';

/** The refresh took longer than the request is willing to wait for it. */
class RefreshTooSlow extends Error {
  constructor(ms: number) {
    super(`the database did not answer the refresh within ${ms} ms`);
  }
}

export interface CacheRead<T> {
  value: T | undefined;
  result: CacheResult;
}

const STALE_TTL_S = 86_400;

/** ioredis speaks RESP to Valkey too; it only knows the redis:// schemes. */
function toRedisUrl(url: string): string {
  return url.replace(/^valkey(s?):/, 'redis$1:');
}

export function createRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(toRedisUrl(url), {
    lazyConnect: true,
    enableOfflineQueue: false, // fail at once while disconnected, never queue
    maxRetriesPerRequest: 1,
    commandTimeout: 250,
    connectTimeout: 1000,
    retryStrategy: (times) => Math.min(100 * times, 2000),
  });
  let lastError = '';
  redis.on('error', (err: Error) => {
    if (err.message === lastError) return; // one line per distinct failure, not per retry
    lastError = err.message;
    logger.warn({ err }, `valkey: ${err.message}`);
  });
  redis.on('ready', () => {
    if (lastError !== '') logger.info('valkey: connected again');
    lastError = '';
  });
  return redis;
}

export interface MenuCacheOptions {
  redis: Redis;
  ttlS: number;
  /** How long a request waits for a refresh before it takes the stale copy (when there is one). */
  refreshTimeoutMs: number;
  requests: Counter;
  logger: Logger;
}

export class MenuCache {
  readonly #redis: Redis;
  readonly #ttlS: number;
  readonly #refreshTimeoutMs: number;
  readonly #inflight = new Map<string, Promise<unknown>>();
  readonly #requests: Counter;
  readonly #logger: Logger;

  constructor(options: MenuCacheOptions) {
    this.#redis = options.redis;
    this.#ttlS = options.ttlS;
    this.#refreshTimeoutMs = options.refreshTimeoutMs;
    this.#requests = options.requests;
    this.#logger = options.logger;
  }

  /** Calls to Valkey and `load` run in the context active when read is called (trace-context.ts). */
  async read<T>(key: string, load: () => Promise<T | undefined>, disabled: boolean): Promise<CacheRead<T>> {
    const resume = carryContext();
    if (disabled) return this.#count({ value: await load(), result: 'miss' });
    const cached = await this.#get(key);
    if (cached !== undefined) return this.#count({ value: JSON.parse(cached) as T, result: 'hit' });
    if (this.#inflight.has(key)) {
      // Another request is already refreshing this key: take the stale copy at once
      // rather than queue behind a database that is slow.
      const stale = await resume(() => this.#get(`${key}:stale`));
      if (stale !== undefined) return this.#count({ value: JSON.parse(stale) as T, result: 'stale' });
    }
    const refresh = resume(() => this.#refresh(key, load));
    let value: T | undefined;
    try {
      value = await this.#within(refresh, this.#refreshTimeoutMs);
    } catch (err) {
      const stale = await resume(() => this.#get(`${key}:stale`));
      if (stale === undefined) {
        if (err instanceof RefreshTooSlow) return this.#count({ value: await refresh, result: 'miss' });
        throw err;
      }
      refresh.catch(() => undefined); // a slow refresh that fails later has already been answered for
      resume(() => this.#logger.warn({ err }, `serving stale ${key}: ${(err as Error).message}`));
      return this.#count({ value: JSON.parse(stale) as T, result: 'stale' });
    }
    return this.#count({ value, result: 'miss' });
  }

  /**
   * One refresh per key at a time: requests that miss together share it (or take the
   * stale copy), so a slow database sees one query per key, not one per request. It writes the cache whenever
   * it ends, even after the requests waiting on it took the stale copy.
   */
  #refresh<T>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const running = this.#inflight.get(key) as Promise<T | undefined> | undefined;
    if (running) return running;
    const resume = carryContext();
    const refresh = load()
      .then(async (value) => {
        if (value !== undefined) await resume(() => this.#set(key, JSON.stringify(value)));
        return value;
      })
      .finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, refresh);
    return refresh;
  }

  /** `work`, or a RefreshTooSlow rejection after `ms` (0: no limit). */
  #within<T>(work: Promise<T>, ms: number): Promise<T> {
    if (ms <= 0) return work;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new RefreshTooSlow(ms)), ms);
    });
    return Promise.race([work, late]).finally(() => clearTimeout(timer));
  }

  #count<T>(read: CacheRead<T>): CacheRead<T> {
    this.#requests.add(1, { result: read.result });
    return read;
  }

  async #get(key: string): Promise<string | undefined> {
    try {
      return (await cacheCall(this.#redis, 'GET', () => `GET ${key}`, () => this.#redis.get(key))) ?? undefined;
    } catch {
      return undefined; // cache unavailable: behave as a miss
    }
  }

  async #set(key: string, json: string): Promise<void> {
    try {
      const query = (): string => `MULTI; SET ${key} ? EX ${this.#ttlS}; SET ${key}:stale ? EX ${STALE_TTL_S}; EXEC`;
      await cacheCall(this.#redis, 'MULTI', query, () =>
        this.#redis.multi().set(key, json, 'EX', this.#ttlS).set(`${key}:stale`, json, 'EX', STALE_TTL_S).exec(),
      );
    } catch {
      // cache unavailable: the next read misses again
    }
  }
}
