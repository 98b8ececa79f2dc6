/** Time for the runner: injectable, so tests and other hosts can drive it. */
export interface DrillClock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: DrillClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/** Sleeps until `clock.now() >= timeMs` (timers may fire a millisecond early), or until `signal` aborts. */
export async function sleepUntil(clock: DrillClock, timeMs: number, signal?: AbortSignal): Promise<void> {
  while (!signal?.aborted && clock.now() < timeMs) await clock.sleep(timeMs - clock.now(), signal);
}
