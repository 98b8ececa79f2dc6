// The telemetry hub's benchmark (issue 3): OTLP/HTTP protobuf ingest from a separate
// client process into the real hub in its own process (spans/s, spans per CPU-second,
// memory per stored span), then query_range latency of two dashboard panels over 1,000
// series for an hour at a 15 s step, over HTTP. Prints a table with PASS/FAIL per target
// and exits 0 whatever the verdicts; --write (or BENCH_WRITE=1) also records the run in
// docs/benchmarks.md. Run after `npx tsc -b`: node benchmarks/telemetry.mjs [--write]
import http from 'node:http';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { URLSearchParams } from 'node:url';
import { forkChild } from './lib/telemetry-rpc.mjs';
import { readEnvNumber, readFlags } from './lib/bench-args.mjs';
import { DASHBOARD_QUERIES, RANGE_S, STEP_S } from './lib/telemetry-dashboard.mjs';
import { describeMachine, done, live, loadAverage, renderMarkdown, renderText, step, writeSection } from './lib/telemetry-report.mjs';

const USAGE = `Usage: node benchmarks/telemetry.mjs [--write]

Measures cloudlab's telemetry hub: OTLP/HTTP protobuf ingest (spans/s, spans per CPU-second,
memory per stored span) and query_range latency of two dashboard queries.

  --write, BENCH_WRITE=1        also write the results into docs/benchmarks.md
  BENCH_TELEMETRY_S             seconds of measured ingest (default 10)
  BENCH_TELEMETRY_WARMUP_S      seconds of ingest warm-up first (default 2; 0 for none)
  BENCH_TELEMETRY_CONCURRENCY   OTLP requests in flight (default 4)
  BENCH_TELEMETRY_QUERY_RUNS    measured runs of each query (default 30)
`;

const BATCH_SPANS = 512;
/** Different encoded batches the client cycles through (each sent with fresh ids). */
const TEMPLATE_POOL = 16;
const QUERY_WARMUP_RUNS = 5;
/** Far above what a run can send, so the memory figure divides by every span sent. */
const MAX_SPANS = 5_000_000;
const HUB_EXEC_ARGV = ['--expose-gc', '--max-old-space-size=8192'];

const lib = (name) => new URL(`./lib/${name}`, import.meta.url);

function readConfig(argv = process.argv.slice(2), env = process.env) {
  return Object.freeze({
    ...readFlags(argv, env, USAGE),
    durationS: readEnvNumber(env, 'BENCH_TELEMETRY_S', 10, { min: 1 }),
    warmupS: readEnvNumber(env, 'BENCH_TELEMETRY_WARMUP_S', 2, { min: 0 }),
    concurrency: readEnvNumber(env, 'BENCH_TELEMETRY_CONCURRENCY', 4, { min: 1 }),
    queryRuns: readEnvNumber(env, 'BENCH_TELEMETRY_QUERY_RUNS', 30, { min: 1 }),
    queryWarmup: QUERY_WARMUP_RUNS,
  });
}

/** The command that reproduces this run, with the BENCH_* variables that were set. */
function describeCommand(argv = process.argv.slice(2), env = process.env) {
  const vars = Object.keys(env)
    .filter((k) => k.startsWith('BENCH_') && env[k] !== '')
    .sort()
    .map((k) => `${k}=${env[k]}`);
  const viaNpm = env.npm_lifecycle_event === 'bench';
  const args = argv.length ? ` ${argv.join(' ')}` : '';
  return [...vars, viaNpm ? `npm run bench --${args}` : `node benchmarks/telemetry.mjs${args}`].join(' ').replace(/ --$/, '');
}

const cpuSeconds = (a, b) => (b.user - a.user + b.system - a.system) / 1e6;

async function measureIngest(config, children) {
  step('ingest: starting the hub and the OTLP client, each in its own process');
  let onProgress = () => undefined;
  const hub = forkChild(lib('telemetry-hub.mjs'), { execArgv: HUB_EXEC_ARGV });
  children.push(hub);
  const client = forkChild(lib('telemetry-client.mjs'), { onEvent: (e) => onProgress(e) });
  children.push(client);
  const { otlpHttpUrl } = await hub.call('start', { limits: { maxSpans: MAX_SPANS } });
  const memBefore = await hub.call('memory');
  step(`ingest: the client encodes ${TEMPLATE_POOL} batches of ${BATCH_SPANS} spans with the OpenTelemetry SDK`);
  const { bodyBytes } = await client.call('prepare', { otlpHttpUrl, concurrency: config.concurrency, pool: TEMPLATE_POOL, batchSpans: BATCH_SPANS });
  done(`ingest: hub at ${otlpHttpUrl}, RSS ${(memBefore.rss / 2 ** 20).toFixed(0)} MiB; batches of ${(bodyBytes / 1024).toFixed(0)} KiB`);

  const show = (phase) => (e) => live(`ingest ${phase}: ${e.elapsedS.toFixed(0)} s, ${Math.round(e.spans / e.elapsedS).toLocaleString('en-US')} spans/s`);
  if (config.warmupS > 0) {
    step(`ingest: warm-up ${config.warmupS} s`);
    onProgress = show('warm-up');
    const warm = await client.call('run', { durationS: config.warmupS });
    done(`ingest: warm-up done, ${Math.round(warm.spans / warm.elapsedS).toLocaleString('en-US')} spans/s`);
  }
  step(`ingest: measuring ${config.durationS} s, ${config.concurrency} requests in flight`);
  onProgress = show('measured');
  const stats0 = await hub.call('traceStats');
  const ticks0 = await hub.call('threadTicks');
  const cpu0 = await hub.call('cpu');
  const run = await client.call('run', { durationS: config.durationS });
  const cpu1 = await hub.call('cpu');
  const ticks1 = await hub.call('threadTicks');
  const stats1 = await hub.call('traceStats');
  onProgress = () => undefined;
  const hubCpuS = cpuSeconds(cpu0, cpu1);
  const accepted = stats1.spans + stats1.droppedSpans - (stats0.spans + stats0.droppedSpans);
  const spansPerS = accepted / run.elapsedS;
  // The main thread's share of the hub's CPU time; the rest is mostly V8's GC helper threads.
  const mainTicks = ticks0 && ticks1 ? ticks1.main - ticks0.main : NaN;
  const mainShare = mainTicks / (mainTicks + (ticks1?.others ?? NaN) - (ticks0?.others ?? NaN));
  done(`ingest: ${Math.round(spansPerS).toLocaleString('en-US')} spans/s, hub CPU ${hubCpuS.toFixed(2)} s over ${run.elapsedS.toFixed(1)} s`);

  step('memory: forcing a full GC in the hub and reading its RSS');
  const memAfter = await hub.call('memory');
  const stored = await hub.call('traceStats');
  done(`memory: ${stored.spans.toLocaleString('en-US')} spans stored, RSS ${(memAfter.rss / 2 ** 20).toFixed(0)} MiB`);
  await Promise.all([client.stop(), hub.stop()]);
  return {
    spansPerS,
    spansPerCpuS: accepted / hubCpuS,
    hubCores: hubCpuS / run.elapsedS,
    hubMainCpuS: hubCpuS * mainShare,
    hubOtherCpuS: hubCpuS * (1 - mainShare),
    spansPerMainCpuS: accepted / (hubCpuS * mainShare),
    clientCores: run.cpuS / run.elapsedS,
    batches: run.batches,
    failed: run.failed,
    bodyBytes,
    mbPerS: run.bytes / 1e6 / run.elapsedS,
    stored: stored.spans,
    dropped: stored.droppedSpans,
    rssPerSpan: (memAfter.rss - memBefore.rss) / stored.spans,
    heapPerSpan: (memAfter.heapUsed - memBefore.heapUsed) / stored.spans,
    memBefore,
    memAfter,
  };
}

/** GET `url` on a keep-alive agent; resolves with the time to the answer's last byte and its body. */
function timedGet(agent, url) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.get(url, { agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ ms: performance.now() - t0, status: res.statusCode, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function measureQueries(config, children) {
  step('queries: starting a hub and filling it through sink.addSamples');
  const hub = forkChild(lib('telemetry-hub.mjs'), { execArgv: HUB_EXEC_ARGV });
  children.push(hub);
  const { queryUrl } = await hub.call('start', { limits: { retentionMs: 3 * 3600_000 } });
  const endMs = Math.floor(Date.now() / (STEP_S * 1000)) * STEP_S * 1000;
  const dataset = await hub.call('fillDashboard', { endMs });
  done(`queries: ${dataset.stats.series.toLocaleString('en-US')} series, ${dataset.stats.samples.toLocaleString('en-US')} samples stored`);

  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const urls = DASHBOARD_QUERIES.map(({ query }) => {
    const params = new URLSearchParams({ query, start: String((endMs / 1000) - RANGE_S), end: String(endMs / 1000), step: String(STEP_S) });
    return `${queryUrl}/api/v1/query_range?${params}`;
  });
  const shapes = [];
  step(`queries: ${config.queryWarmup} warm-up runs of each`);
  for (let i = 0; i < config.queryWarmup; i++) {
    for (const [n, url] of urls.entries()) {
      const { status, body } = await timedGet(agent, url);
      const answer = JSON.parse(body.toString('utf8'));
      if (status !== 200 || answer.status !== 'success') throw new Error(`${DASHBOARD_QUERIES[n].query} answered ${status}: ${body.toString('utf8').slice(0, 300)}`);
      shapes[n] = { series: answer.data.result.length, points: Math.max(0, ...answer.data.result.map((s) => s.values.length)) };
    }
  }
  // The two queries take turns, so a slow spell of the machine falls on both.
  // Beside the client's clock, the hub's own CPU time per query, which moves less with
  // the noise of a shared machine (read over IPC between requests, so a little IPC is in it).
  const times = urls.map(() => []);
  const cpuMs = urls.map(() => []);
  let cpuPrev = await hub.call('cpu');
  for (let i = 0; i < config.queryRuns; i++) {
    for (const [n, url] of urls.entries()) {
      const { ms, status } = await timedGet(agent, url);
      if (status !== 200) throw new Error(`${DASHBOARD_QUERIES[n].query} answered ${status}`);
      const cpuNow = await hub.call('cpu');
      times[n].push(ms);
      cpuMs[n].push(cpuSeconds(cpuPrev, cpuNow) * 1000);
      cpuPrev = cpuNow;
    }
    live(`queries: ${i + 1}/${config.queryRuns} runs`);
  }
  agent.destroy();
  await hub.stop();
  const queries = DASHBOARD_QUERIES.map((q, n) => {
    const sorted = [...times[n]].sort((a, b) => a - b);
    const cpuSorted = [...cpuMs[n]].sort((a, b) => a - b);
    return { ...q, ...shapes[n], runs: sorted.length, p50: percentile(sorted, 50), p90: percentile(sorted, 90), max: sorted[sorted.length - 1], cpuP50: percentile(cpuSorted, 50) };
  });
  for (const q of queries) done(`queries: ${q.label}: p50 ${q.p50.toFixed(1)} ms, p90 ${q.p90.toFixed(1)} ms, max ${q.max.toFixed(1)} ms, hub CPU ${q.cpuP50.toFixed(1)} ms`);
  return { dataset, queries };
}

async function main() {
  let config;
  try {
    config = readConfig();
  } catch (err) {
    console.error(err.message);
    process.exitCode = 2;
    return;
  }
  if (config.help) return void process.stdout.write(USAGE);
  if (!existsSync(new URL('../dist/src/telemetry/index.js', import.meta.url))) {
    console.error('dist/src/telemetry/index.js is missing: build first with `npx tsc -b` (npm run bench does).');
    process.exitCode = 1;
    return;
  }
  const command = describeCommand();
  const date = new Date().toISOString().slice(0, 10);
  const machine = describeMachine(); // now, for the load average before the run
  done(`telemetry benchmark: load average ${machine.loadAtStart} on ${machine.cores} cores`);
  const children = [];
  const stopAll = () => Promise.all(children.map((c) => c.stop()));
  process.once('SIGINT', () => void stopAll().finally(() => process.exit(130)));
  try {
    const ingest = await measureIngest(config, children);
    const { dataset, queries } = await measureQueries(config, children);
    const results = { ingest, dataset, queries };
    machine.loadAtEnd = loadAverage();
    process.stdout.write(`\n${renderText(results)}\n`);
    if (config.write) {
      const file = new URL('../docs/benchmarks.md', import.meta.url);
      await writeSection(file, renderMarkdown(results, { command, date, machine, settings: config }));
      done(`wrote the telemetry section of ${file.pathname}`);
    }
  } finally {
    await stopAll();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
