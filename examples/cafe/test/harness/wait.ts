/**
 * Bounded polling, for the few waits that hang on a timer inside another process
 * (a cache entry's TTL, a circuit breaker's half-open delay, an OTLP export
 * interval): there is no event to wait on from outside, so the tests ask again
 * every `intervalMs` until `check` returns a value or `timeoutMs` passes.
 */
import { setTimeout as delay } from 'node:timers/promises';

export interface PollOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Says what was awaited, for the timeout error. */
  what: string;
}

export async function pollUntil<T>(check: () => Promise<T | undefined>, options: PollOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) {
      const detail = last === undefined ? '' : `; last error: ${last instanceof Error ? last.message : JSON.stringify(last)}`;
      throw new Error(`gave up waiting for ${options.what} after ${options.timeoutMs} ms${detail}`);
    }
    await delay(options.intervalMs ?? 100);
  }
}
