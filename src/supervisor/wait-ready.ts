/** The readiness loop of a new process: check every 100 ms until it passes, the process exits, or the start period ends. */
import { setTimeout as sleep } from 'node:timers/promises';
import { probe } from './probes.js';
import type { RunningProcess } from './run-process.js';
import type { HealthSpec, Readiness } from './types.js';

export const READINESS_POLL_MS = 100;

export type ReadyOutcome = { type: 'ready' } | { type: 'exited' } | { type: 'aborted' } | { type: 'timeout'; reason: string };

/** Resolves true after `ms`, false at once when the signal aborts. */
export function delay(ms: number, signal: AbortSignal): Promise<boolean> {
  return sleep(ms, undefined, { signal }).then(
    () => true,
    () => false,
  );
}

export async function waitReady(readiness: Readiness, health: HealthSpec, proc: RunningProcess, signal?: AbortSignal): Promise<ReadyOutcome> {
  if (readiness.type === 'none') return { type: 'ready' };
  const local = new AbortController();
  let ended: 'exited' | 'aborted' | undefined;
  let wake = (): void => undefined;
  const woken = new Promise<void>((resolve) => (wake = resolve));
  const end = (why: 'exited' | 'aborted'): void => {
    ended ??= why;
    local.abort();
    wake();
  };
  const onAbort = (): void => end('aborted');
  if (signal?.aborted) return { type: 'aborted' };
  signal?.addEventListener('abort', onAbort, { once: true });
  void proc.exited.then(() => end('exited'));
  const deadline = performance.now() + health.startPeriodMs;
  try {
    for (;;) {
      // Raced with the exit: a SQL check cannot be cancelled and may take timeoutMs.
      const result = await Promise.race([probe(readiness, health.timeoutMs, local.signal), woken]);
      if (ended || !result) return { type: ended ?? 'exited' };
      if (result.ok) return { type: 'ready' };
      const left = deadline - performance.now();
      if (left <= 0) return { type: 'timeout', reason: result.reason };
      await delay(Math.min(READINESS_POLL_MS, left), local.signal);
      if (ended) return { type: ended };
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    local.abort();
  }
}
