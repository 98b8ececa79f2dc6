/**
 * A deterministic /metrics target for the comparison with a real Prometheus. It
 * serves one "tick" at a time: every sample carries the explicit timestamp
 * t0Ms + tick * stepMs, so whoever scrapes tick k stores exactly the same
 * (timestamp, value) pairs, however late its scrape comes. The test advances the
 * tick only after both scrapers have read the current one, and it knows when
 * Prometheus has read it from the requests (by User-Agent), without polling.
 */
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';

export const TICKS = 14;
const BUCKETS = ['0.05', '0.1', '0.25', '0.5', '1', '+Inf'];

/** Cumulative value of a counter that grows by inc(i) at tick i (i <= k). */
function cumulative(k: number, inc: (i: number) => number): number {
  let total = 0;
  for (let i = 0; i <= k; i++) total += inc(i);
  return total;
}

/** The exposition at tick k, every line stamped with timeMs. */
export function exposition(k: number, timeMs: number): string {
  const lines: string[] = [];
  const add = (series: string, value: number): void => {
    lines.push(`${series} ${String(value)} ${timeMs}`);
  };
  lines.push('# HELP demo_requests_total Requests served.', '# TYPE demo_requests_total counter');
  add('demo_requests_total{route="/a",code="200"}', cumulative(k, (i) => 40 + ((i * 7) % 5) * 3));
  add('demo_requests_total{route="/a",code="500"}', cumulative(k, (i) => (i % 3 === 0 ? 1 : 0)));
  // Restarts at tick 8: a counter reset that rate() and increase() must see through.
  add('demo_requests_total{route="/b",code="200"}', k < 8 ? 10 * k + 3 : 2 * (k - 8) + 1);

  lines.push('# TYPE demo_queue_depth gauge');
  const depth = [5, 3, 8, 8, 2, 9, 4, 4, 7, 1, 6, 6, 3, 5];
  add('demo_queue_depth{queue="q1"}', depth[k % depth.length]!);
  add('demo_queue_depth{queue="q2"}', 10 - depth[(k + 3) % depth.length]!);
  lines.push('# TYPE demo_temperature_celsius gauge');
  add('demo_temperature_celsius{room="lab"}', 20 + 0.5 * k - 0.25 * (k % 3) + 0.1 * (k % 4));

  lines.push('# HELP demo_latency_seconds Request latency.', '# TYPE demo_latency_seconds histogram');
  for (const [r, route] of ['/a', '/b'].entries()) {
    let count = 0;
    BUCKETS.forEach((le, b) => {
      count += cumulative(k, (i) => ((i + b + r) % 4) + (b === 2 ? 3 : 1));
      add(`demo_latency_seconds_bucket{route="${route}",le="${le}"}`, count);
    });
    add(`demo_latency_seconds_sum{route="${route}"}`, cumulative(k, (i) => 1.5 + ((i + r) % 3) * 0.25));
    add(`demo_latency_seconds_count{route="${route}"}`, count);
  }

  lines.push('# TYPE demo_rpc_seconds summary');
  add('demo_rpc_seconds{quantile="0.5"}', 0.01 * (1 + (k % 5)));
  add('demo_rpc_seconds{quantile="0.9"}', 0.05 * (1 + (k % 4)));
  add('demo_rpc_seconds_sum', cumulative(k, (i) => 0.5 + (i % 2)));
  add('demo_rpc_seconds_count', cumulative(k, () => 20));
  add('demo_build_info{version="1.2.3"}', 1);
  return `${lines.join('\n')}\n`;
}

export interface DemoTarget {
  /** host:port, as a Prometheus static target. */
  address: string;
  url: string;
  tick: number;
  /** Resolves once Prometheus has been served the current tick `times` times. */
  prometheusRead(times?: number): Promise<void>;
}

export async function demoTarget(t: TestContext, t0Ms: number, stepMs: number): Promise<DemoTarget> {
  const reads = new Map<number, number>();
  const waiters: { tick: number; times: number; resolve: () => void }[] = [];
  const state = { tick: 0 };
  const server = http.createServer((req, res) => {
    const tick = state.tick;
    if ((req.headers['user-agent'] ?? '').startsWith('Prometheus/')) {
      res.on('finish', () => {
        reads.set(tick, (reads.get(tick) ?? 0) + 1);
        for (const w of [...waiters]) {
          if ((reads.get(w.tick) ?? 0) >= w.times) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve();
          }
        }
      });
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    res.end(exposition(tick, t0Ms + tick * stepMs));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    address,
    url: `http://${address}/metrics`,
    get tick() {
      return state.tick;
    },
    set tick(k: number) {
      state.tick = k;
    },
    prometheusRead(times = 1) {
      const tick = state.tick;
      return new Promise((resolve) => {
        if ((reads.get(tick) ?? 0) >= times) resolve();
        else waiters.push({ tick, times, resolve });
      });
    },
  };
}
