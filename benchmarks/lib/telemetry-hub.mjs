// The hub under test, in its own process: cloudlab's real telemetry hub (receivers,
// stores, query APIs) built from dist/, answering the benchmark's questions about its
// CPU time, memory and stores. Run with --expose-gc, so memory is read after a full GC.
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { createHub } from '../../dist/src/telemetry/index.js';
import { serve } from './telemetry-rpc.mjs';
import { fillDashboard } from './telemetry-dashboard.mjs';

let hub;

serve({
  async start({ limits }) {
    hub = createHub({ otlpHttpPort: 0, otlpGrpcPort: 0, queryPort: 0, limits });
    const addresses = await hub.listen();
    return { otlpHttpUrl: addresses.otlpHttp.url, queryUrl: addresses.query.url };
  },

  cpu() {
    return process.cpuUsage();
  },

  /**
   * CPU clock ticks of the main thread and of all other threads (V8's GC helpers, libuv's
   * pool), from /proc on Linux; null elsewhere.
   */
  threadTicks() {
    try {
      let main = 0;
      let others = 0;
      for (const tid of readdirSync('/proc/self/task')) {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd on
        const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (14th and 15th)
        if (Number(tid) === process.pid) main += ticks;
        else others += ticks;
      }
      return { main, others };
    } catch {
      return null;
    }
  },

  /** Memory after full collections (a second one catches what the first one's finalizers freed). */
  async memory() {
    if (typeof globalThis.gc !== 'function') throw new Error('the hub process needs --expose-gc');
    globalThis.gc();
    await sleep(50);
    globalThis.gc();
    const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
    return { rss, heapUsed, external, arrayBuffers };
  },

  traceStats() {
    return hub.traces.stats();
  },

  fillDashboard({ endMs }) {
    const filled = fillDashboard((samples) => hub.sink.addSamples(samples), endMs);
    return { ...filled, stats: hub.metrics.stats() };
  },

  async stop() {
    await hub?.close();
  },
});
