// The telemetry hub the cafe exports to in the benchmark's "telemetry on" runs:
// cloudlab's real hub (dist/, default limits) in its own process, so its work is not
// charged to the load generator. Reports how much it has received, and its CPU time.
import process from 'node:process';
import { createHub } from '../../dist/src/telemetry/index.js';
import { serve } from './cafe-child.mjs';

let hub;

serve({
  async start() {
    hub = createHub({ otlpHttpPort: 0, otlpGrpcPort: 0, queryPort: 0 });
    const addresses = await hub.listen();
    return { otlpHttpUrl: addresses.otlpHttp.url };
  },

  /** Spans and log records received so far (those evicted since by the store limits included), and CPU µs. */
  stats() {
    const traces = hub.traces.stats();
    const logs = hub.logs.stats();
    const cpu = process.cpuUsage();
    return { spans: traces.spans + traces.droppedSpans, logs: logs.logs + logs.droppedLogs, cpuMicros: cpu.user + cpu.system };
  },

  async close() {
    await hub?.close();
  },
});
