/**
 * The readiness loop of a new process: check until it passes, the process exits, or the
 * start period ends. A check runs every READINESS_POLL_MS, and sooner when the process
 * prints a line: servers say "listening" or "ready" as they become so, and the check
 * then follows within READINESS_MIN_GAP_MS instead of up to a whole interval later.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { probe } from './probes.js';
import type { RunningProcess } from './run-process.js';
import type { HealthSpec, Readiness } from './types.js';

export const READINESS_POLL_MS = 100;
/** The least time between two checks, however much the process prints. */
export const READINESS_MIN_GAP_MS = 20;

export type ReadyOutcome = { type: 'ready' } | { type: 'exited' } | { type: 'aborted' } | { type: 'timeout'; reason: string };

/** Resolves true after `ms`, false at once when the signal aborts. */
export function delay(ms: number, signal: AbortSignal): Promise<boolean> {
  return sleep(ms, undefined, { signal }).then(
    () => true,
    () => false,
  );
}

export interface WaitReadyOptions {
  signal?: AbortSignal;
  /** The interval between checks while the process prints nothing (default READINESS_POLL_MS). */
  pollMs?: number;
}

export async function waitReady(readiness: Readiness, health: HealthSpec, proc: RunningProcess, options: WaitReadyOptions = {}): Promise<ReadyOutcome> {
  const { signal, pollMs = READINESS_POLL_MS } = options;
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
  // A line printed while a check ran counts too: it may say the check came just too early.
  let printed = false;
  let nudge: (() => void) | null = null;
  const offOutput = proc.onOutput(() => {
    printed = true;
    nudge?.();
  });
  /** Waits `ms`, or only until READINESS_MIN_GAP_MS after it began once the process printed a line. */
  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const begun = performance.now();
      let timer = setTimeout(finish, ms);
      const soon = (): void => {
        nudge = null;
        clearTimeout(timer);
        timer = setTimeout(finish, Math.max(0, READINESS_MIN_GAP_MS - (performance.now() - begun)));
      };
      function finish(): void {
        nudge = null;
        clearTimeout(timer);
        local.signal.removeEventListener('abort', finish);
        resolve();
      }
      local.signal.addEventListener('abort', finish, { once: true });
      if (printed) soon();
      else nudge = soon;
    });
  const deadline = performance.now() + health.startPeriodMs;
  try {
    for (;;) {
      printed = false;
      // Raced with the exit: a SQL check cannot be cancelled and may take timeoutMs.
      const result = await Promise.race([probe(readiness, health.timeoutMs, local.signal), woken]);
      if (ended || !result) return { type: ended ?? 'exited' };
      if (result.ok) return { type: 'ready' };
      const left = deadline - performance.now();
      if (left <= 0) return { type: 'timeout', reason: result.reason };
      await pause(Math.min(pollMs, left));
      if (ended) return { type: ended };
    }
  } finally {
    offOutput();
    signal?.removeEventListener('abort', onAbort);
    local.abort();
  }
}
