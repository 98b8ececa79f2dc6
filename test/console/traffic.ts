/**
 * A short background load against the cafe's edge for the browser test: one worker
 * reading the menu and a few placing orders (orders reach postgres and payments, so a
 * database fault shows in their latency and their traces hold cafe → payments spans).
 */
import { setTimeout as delay } from 'node:timers/promises';

export interface Traffic {
  /** Requests answered so far, by status class ("2xx", "5xx", "error" for a failed connection). */
  counts: Record<string, number>;
  stop(this: void): Promise<void>;
}

export interface TrafficOptions {
  edgeUrl: string;
  /** Concurrent order workers; each places an order, then pauses `pauseMs`. */
  orderWorkers?: number;
  pauseMs?: number;
}

export function startTraffic({ edgeUrl, orderWorkers = 3, pauseMs = 150 }: TrafficOptions): Traffic {
  const abort = new AbortController();
  const counts: Record<string, number> = {};
  const count = (key: string): void => void (counts[key] = (counts[key] ?? 0) + 1);
  let sequence = 0;

  const send = async (path: string, init: RequestInit = {}): Promise<void> => {
    try {
      const res = await fetch(`${edgeUrl}${path}`, { ...init, signal: abort.signal });
      await res.arrayBuffer();
      count(`${Math.floor(res.status / 100)}xx`);
    } catch {
      if (!abort.signal.aborted) count('error');
    }
  };
  const order = (): Promise<void> =>
    send('/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `console-test-${process.pid}-${++sequence}` },
      body: JSON.stringify({ items: [{ menuItemId: 1, quantity: 1 }] }),
    });

  const worker = async (request: () => Promise<void>): Promise<void> => {
    while (!abort.signal.aborted) {
      await request();
      // Pacing, not waiting for a condition: keeps the menu from drowning the orders in p95.
      await delay(pauseMs, undefined, { signal: abort.signal }).catch(() => undefined);
    }
  };

  const workers = [worker(() => send('/menu')), ...Array.from({ length: orderWorkers }, () => worker(order))];
  return {
    counts,
    stop: async () => {
      abort.abort();
      await Promise.allSettled(workers);
    },
  };
}
