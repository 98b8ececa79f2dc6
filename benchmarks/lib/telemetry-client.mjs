// The ingest benchmark's OTLP/HTTP client, in its own process: posts pre-encoded
// protobuf batches to the hub with a few requests in flight, for a given time.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { setInterval, clearInterval } from 'node:timers';
import { serve } from './telemetry-rpc.mjs';
import { buildSpanTemplates, stampBatch } from './telemetry-spans.mjs';

let templates = [];
let url;
let agent;
let concurrency = 1;
let seq = 0;

/** One POST; resolves with the status code once the answer is read. */
function post(body) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const emit = serve({
  async prepare(params) {
    url = `${params.otlpHttpUrl}/v1/traces`;
    concurrency = params.concurrency;
    agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    templates = await buildSpanTemplates(params.pool, params.batchSpans);
    return { bodyBytes: Math.round(templates.reduce((n, t) => n + t.body.length, 0) / templates.length) };
  },

  /** Sends for `durationS`, then waits for the requests in flight; counts what the hub took. */
  async run({ durationS }) {
    const spansPerBatch = templates[0].spans;
    let batches = 0;
    let failed = 0;
    let bytes = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const until = t0 + durationS * 1000;
    const ticker = setInterval(() => emit({ spans: batches * spansPerBatch, elapsedS: (performance.now() - t0) / 1000 }), 1000);
    const loop = async () => {
      while (performance.now() < until) {
        seq++;
        const body = stampBatch(templates[seq % templates.length], seq);
        const status = await post(body);
        if (status === 200) {
          batches++;
          bytes += body.length;
        } else failed++;
      }
    };
    try {
      await Promise.all(Array.from({ length: concurrency }, loop));
    } finally {
      clearInterval(ticker);
    }
    const elapsedS = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    return { batches, spans: batches * spansPerBatch, failed, bytes, elapsedS, cpuS: (cpu.user + cpu.system) / 1e6 };
  },

  stop() {
    agent?.destroy();
  },
});
