/**
 * Live progress of `cloudlab load`: in a terminal, one line redrawn every second
 * (users, requests/s, p50/p95/p99, errors, time left); elsewhere (CI, a pipe), a plain
 * line every `plainEverySeconds` (1 by default, as k6 does).
 */
import type { Interval } from '../load/index.js';

export interface LoadProgressOptions {
  out: NodeJS.WritableStream & { isTTY?: boolean };
  totalMs: number;
  plainEverySeconds?: number;
}

export interface LoadProgress {
  interval(interval: Interval): void;
  /** Clears the live line before other output. */
  done(): void;
}

const fmt = (valueMs: number): string => (valueMs >= 100 ? valueMs.toFixed(0) : valueMs >= 10 ? valueMs.toFixed(1) : valueMs.toFixed(2));

export function progressLine(i: Interval, totalMs: number): string {
  const errors = Object.values(i.errors).reduce((s, n) => s + n, 0);
  const left = Math.max(0, Math.ceil(totalMs / 1000 - i.second));
  return `${String(i.second).padStart(4)}s  users ${String(i.users).padStart(4)}  ${String(i.requests).padStart(6)} req/s  p50 ${fmt(i.p50)} ms  p95 ${fmt(i.p95)} ms  p99 ${fmt(i.p99)} ms  errors ${errors}  ${left}s left`;
}

export function createLoadProgress(options: LoadProgressOptions): LoadProgress {
  const { out } = options;
  const tty = out.isTTY === true && process.env['CI'] === undefined;
  const every = options.plainEverySeconds ?? 1;
  let drawn = false;
  return {
    interval(i) {
      const line = progressLine(i, options.totalMs);
      if (tty) {
        out.write(`\r\x1b[2K${line}`);
        drawn = true;
      } else if (i.second % every === 0) out.write(`${line}\n`);
    },
    done() {
      if (drawn) out.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
