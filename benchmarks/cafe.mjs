// The demo service's benchmark (issue 4): what OpenTelemetry costs the cafe. One run
// starts a real PostgreSQL and redis-server, payments, and then one cafe at a time with
// telemetry on at its defaults (exporting to cloudlab's telemetry hub in its own process),
// on with every request traced, and off (OTEL_SDK_DISABLED=true), all three running at
// once, and measures GET /menu on a warm cache and POST /orders with autocannon in short
// slices that take turns between them. Prints a table with the ratio on/off and PASS/FAIL
// for the target (telemetry costs at most 15% of GET /menu throughput), exits 0 whatever
// the verdict; --write (or BENCH_WRITE=1) records the run in docs/benchmarks.md.
// Build first (npx tsc -b at the root, npm run build -w examples/cafe), then:
//   node benchmarks/cafe.mjs [--write]
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { forkChild } from './lib/cafe-child.mjs';
import { runLoad, stopLoad } from './lib/cafe-load.mjs';
import { renderMarkdown, renderText, summarize, writeSection } from './lib/cafe-report.mjs';
import { describeMachine, loadAverage } from './lib/machine.mjs';
import { pin, planPinning } from './lib/cpu-pin.mjs';
import { processCpuS } from './lib/proc-cpu.mjs';
import { done, live, step } from './lib/progress.mjs';
import { readEnvNumber, readFlags } from './lib/bench-args.mjs';

const USAGE = `Usage: node benchmarks/cafe.mjs [--write]

What telemetry costs the cafe demo service: GET /menu (warm cache) and POST /orders
through one cafe instance, with OpenTelemetry on at the cafe's defaults (exporting to
cloudlab's hub), on with every request traced, and off, in slices that take turns;
requests/s, p50, p99, errors, CPU per request (medians over slices), and each
round's req/s against off's; PASS/FAIL for "telemetry costs at most 15% of GET /menu
throughput" on the median of those per-round ratios. Needs redis-server on PATH, and the builds:
npx tsc -b (root) and npm run build -w examples/cafe.

  --write, BENCH_WRITE=1     also write the results into docs/benchmarks.md
  BENCH_CAFE_S               seconds per measured slice (default 3)
  BENCH_CAFE_WARMUP_S        seconds of warm-up of each cafe before each test (default 3; 0 for none)
  BENCH_CAFE_ROUNDS          rounds (default 8): fresh cafes, one slice of each test per configuration, each round in another order
  BENCH_CAFE_CONNECTIONS     autocannon connections (default 50)
`;

const ROOT = new URL('../', import.meta.url);
const DOCS = new URL('docs/benchmarks.md', ROOT);
/** Lets connections close and exports in flight land between runs. */
const SETTLE_MS = 500;

const lib = (name) => new URL(`./lib/${name}`, import.meta.url);

/** Set on Ctrl-C (or SIGTERM, SIGHUP): every helper process is being stopped. */
let stopping;

function readConfig(argv = process.argv.slice(2), env = process.env) {
  return Object.freeze({
    ...readFlags(argv, env, USAGE),
    durationS: readEnvNumber(env, 'BENCH_CAFE_S', 3, { min: 1 }),
    warmupS: readEnvNumber(env, 'BENCH_CAFE_WARMUP_S', 3, { min: 0 }),
    rounds: readEnvNumber(env, 'BENCH_CAFE_ROUNDS', 8, { min: 1 }),
    connections: readEnvNumber(env, 'BENCH_CAFE_CONNECTIONS', 50, { min: 1 }),
  });
}

/** The command that reproduces this run, with the BENCH_* variables that were set. */
function describeCommand(argv = process.argv.slice(2), env = process.env) {
  const vars = Object.keys(env)
    .filter((k) => k.startsWith('BENCH_') && env[k] !== '')
    .sort()
    .map((k) => `${k}=${env[k]}`);
  return [...vars, 'node benchmarks/cafe.mjs', ...argv].join(' ');
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/** What must be built before the run, with how to build it. */
function missingBuilds() {
  const needs = [
    ['dist/src/telemetry/index.js', 'npx tsc -b (at the root)'],
    ['examples/cafe/dist/src/cafe/main.js', 'npm run build -w examples/cafe'],
    ['examples/cafe/dist/src/payments/main.js', 'npm run build -w examples/cafe'],
    ['examples/cafe/dist/test/harness/postgres.js', 'npm run build -w examples/cafe'],
  ];
  return needs.filter(([path]) => !existsSync(new URL(path, ROOT)));
}

const CONFIG_IDS = ['on', 'all', 'off'];

/** Round r starts with configuration r (mod 3): on, all, off; all, off, on; off, on, all; ... */
function sliceOrder(rounds) {
  const order = [];
  for (let r = 0; r < rounds; r++) for (let i = 0; i < CONFIG_IDS.length; i++) order.push(CONFIG_IDS[(r + i) % CONFIG_IDS.length]);
  return order;
}

/** The telemetry variables of a configuration: the defaults, every trace, or no SDK. */
function telemetryEnv(config, hub) {
  if (config === 'off') return { OTEL_SDK_DISABLED: 'true' };
  return { OTEL_EXPORTER_OTLP_ENDPOINT: hub.otlpHttpUrl, ...(config === 'all' ? { OTEL_TRACES_SAMPLER: 'parentbased_always_on' } : {}) };
}

/** A process's user + system CPU time in µs; NaN off Linux. */
const processCpuMicros = (pid) => processCpuS(pid) * 1e6;

/** The cafe's menu cache counters from GET /metrics: { hit, miss, stale }. */
async function cacheCounters(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const counts = { hit: 0, miss: 0, stale: 0 };
  for (const match of text.matchAll(/^cafe_cache_requests_total\{[^}]*result="(\w+)"[^}]*\} (\S+)$/gm)) {
    if (match[1] in counts) counts[match[1]] = Number(match[2]);
  }
  return counts;
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');

/** Starts the cafe of one configuration on the service's CPU, its menu cached. */
async function startCafe({ stack, hub, deps, payments, config, pinning }) {
  const env = {
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: deps.databaseUrl,
    VALKEY_URL: deps.valkeyUrl,
    PAYMENTS_URL: payments.url,
    MENU_CACHE_TTL_S: '3600',
    ...telemetryEnv(config, hub),
  };
  step(`starting the cafe with telemetry ${config}`);
  const cafe = await stack.call('startService', { name: 'cafe', env });
  pin(cafe.pid, pinning.service);
  const primed = await fetch(`${cafe.url}/menu`);
  if (primed.status !== 200) throw new Error(`GET /menu answered ${primed.status} before the run: ${await primed.text()}`);
  done(`ready: the cafe with telemetry ${config} at ${cafe.url} (pid ${cafe.pid})`);
  return cafe;
}

async function stopCafe(stack, config, cafe) {
  const exit = await stack.call('stopService', { id: cafe.id });
  if (exit.code !== 0) done(`the cafe with telemetry ${config} exited with ${exit.signal ?? exit.code}; its last lines:\n${exit.output}`);
}

const PATHS = { menu: 'GET /menu', orders: 'POST /orders' };

/** One measured slice of one test against one configuration's cafe. */
async function measureSlice({ cafe, hub, config, test, settings, round, slice, slices }) {
  const tag = `[${slice}/${slices}] ${PATHS[test]}, telemetry ${config}`;
  const cache0 = test === 'menu' ? await cacheCounters(cafe.url) : undefined;
  const hub0 = config !== 'off' ? await hub.child.call('stats') : undefined;
  const cpu0 = processCpuMicros(cafe.pid);
  const load = await runLoad({
    url: cafe.url,
    test,
    connections: settings.connections,
    durationS: settings.durationS,
    keyPrefix: `bench-${process.pid}-${test}-${slice}`,
    onTick: (second, count) => live(`${tag}: ${Math.min(second, settings.durationS)}/${settings.durationS} s, ${fmt(count)} req/s`),
  });
  const cpu1 = processCpuMicros(cafe.pid);
  await sleep(SETTLE_MS);
  const hub1 = config !== 'off' ? await hub.child.call('stats') : undefined;
  const cache1 = test === 'menu' ? await cacheCounters(cafe.url) : undefined;
  const run = {
    round,
    slice,
    config,
    test,
    load,
    cafeCpuUsPerReq: (cpu1 - cpu0) / load.requests,
    cafeBusy: (cpu1 - cpu0) / (load.elapsedS * 1e6),
    hub: hub0 && {
      spansPerReq: (hub1.spans - hub0.spans) / load.requests,
      logsPerReq: (hub1.logs - hub0.logs) / load.requests,
      cpuUsPerReq: (hub1.cpuMicros - hub0.cpuMicros) / load.requests,
    },
    cache: cache0 && { hit: cache1.hit - cache0.hit, miss: cache1.miss - cache0.miss, stale: cache1.stale - cache0.stale },
  };
  const bad = load.non2xx + load.errors > 0 ? `, ${fmt(load.non2xx)} non-2xx, ${fmt(load.errors)} errors` : '';
  const spans = run.hub ? `, ${run.hub.spansPerReq.toFixed(1)} spans/req at the hub` : '';
  done(`${tag}: ${fmt(load.okPerS)} req/s, p50 ${load.p50Ms.toFixed(2)} ms, p99 ${load.p99Ms.toFixed(2)} ms, cafe CPU ${run.cafeCpuUsPerReq.toFixed(0)} µs/req${spans}${bad}`);
  return run;
}

/**
 * Each round starts a fresh cafe per configuration (all three run at once; idle ones
 * cost next to nothing), warms each up, then measures one slice of each in the round's
 * order, per test, and stops them. Slices seconds apart share the machine's drift in
 * speed, and fresh processes per round spread what one process's luck costs: two cafe
 * processes with the same settings, measured side by side, differed by 5% to 26% in
 * CPU per request here (presumably JIT and heap-sizing history; not pinned down), so
 * one process per configuration for a whole run could decide the verdict alone.
 */
async function measureAll({ stack, hub, deps, payments, settings, pinning, runs, isInterrupted }) {
  const order = sliceOrder(settings.rounds);
  const slices = order.length;
  for (let round = 0; round < settings.rounds; round++) {
    const roundOrder = order.slice(round * CONFIG_IDS.length, (round + 1) * CONFIG_IDS.length);
    const cafes = new Map();
    try {
      for (const config of CONFIG_IDS) {
        if (isInterrupted()) return;
        cafes.set(config, await startCafe({ stack, hub, deps, payments, config, pinning }));
      }
      for (const test of ['menu', 'orders']) {
        if (settings.warmupS > 0) {
          for (const [config, cafe] of cafes) {
            if (isInterrupted()) return;
            step(`round ${round + 1} of ${settings.rounds}, ${PATHS[test]}, telemetry ${config}: warm-up ${settings.warmupS} s`);
            await runLoad({ url: cafe.url, test, connections: settings.connections, durationS: settings.warmupS, keyPrefix: `bench-${process.pid}-${test}-warmup-${round}-${config}` });
            await sleep(SETTLE_MS);
          }
        }
        for (const [i, config] of roundOrder.entries()) {
          if (isInterrupted()) return;
          const slice = round * CONFIG_IDS.length + i + 1;
          runs.push(await measureSlice({ cafe: cafes.get(config), hub, config, test, settings, round, slice, slices }));
        }
      }
    } finally {
      step(`round ${round + 1}: stopping the cafes`);
      for (const [config, cafe] of cafes) await stopCafe(stack, config, cafe);
    }
  }
  // The slices table lists GET /menu's slices, then POST /orders'.
  runs.sort((a, b) => (a.test === b.test ? a.slice - b.slice : a.test === 'menu' ? -1 : 1));
}

async function main() {
  let config;
  try {
    config = readConfig();
  } catch (err) {
    console.error(`cafe benchmark: ${err.message}`);
    return 1;
  }
  if (config.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!onPath('redis-server')) {
    console.log('cafe benchmark skipped: redis-server not found on PATH (apt-get install redis-server)');
    return 0;
  }
  const missing = missingBuilds();
  if (missing.length > 0) {
    console.error(`cafe benchmark: build first; missing ${missing.map(([path, how]) => `${path} (${how})`).join(', ')}`);
    return 1;
  }

  const machine = describeMachine();
  const command = describeCommand();
  const date = new Date().toISOString().slice(0, 10);
  const order = sliceOrder(config.rounds);
  // Before any helper starts: they inherit the bench's CPUs, and only the cafe moves.
  const pinning = planPinning('the cafe under test');
  pin(process.pid, pinning.rest);
  done(`cpu: ${pinning.describe}`);
  done(`cafe benchmark: load average ${machine.loadAtStart}; per test ${order.length} slices of ${config.durationS} s (${order.join(', ')})${config.warmupS > 0 ? ` after ${config.warmupS} s of warm-up per cafe` : ''}`);

  const children = [];
  const stopAll = () => Promise.allSettled(children.map((c) => c.stop()));
  let interrupted = false;
  const onSignal = (signal) => {
    const code = signal === 'SIGINT' ? 130 : 143;
    if (interrupted) {
      // A second Ctrl-C: do not wait for a graceful stop.
      for (const c of children) c.kill();
      process.exit(code);
    }
    interrupted = true;
    process.stderr.write(`\n${signal}: stopping the cafe, payments, PostgreSQL, redis-server and the hub (again to force)\n`);
    stopLoad();
    stopping = stopAll().finally(() => process.exit(code));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  const runs = [];
  try {
    step('starting PostgreSQL, redis-server and the telemetry hub');
    const stack = forkChild(lib('cafe-stack.mjs'));
    children.push(stack);
    const hubChild = forkChild(lib('cafe-hub.mjs'));
    children.push(hubChild);
    const [deps, hubReady] = await Promise.all([stack.call('startDeps'), hubChild.call('start')]);
    const hub = { child: hubChild, ...hubReady };
    done(`ready: PostgreSQL on port ${deps.postgresPort}, redis-server on port ${deps.redisPort}, hub OTLP/HTTP at ${hub.otlpHttpUrl}`);
    step('starting payments (telemetry off)');
    const payments = await stack.call('startService', {
      name: 'payments',
      env: { HOST: '127.0.0.1', PORT: '0', DATABASE_URL: deps.databaseUrl, OTEL_SDK_DISABLED: 'true' },
    });
    done(`ready: payments at ${payments.url}`);

    await measureAll({ stack, hub, deps, payments, settings: config, pinning, runs, isInterrupted: () => interrupted });
    if (interrupted) return 130;
    step('stopping payments, PostgreSQL, redis-server and the hub');
    await stopAll();
    done('stopped payments, PostgreSQL, redis-server and the hub');
  } catch (err) {
    if (interrupted) return 130;
    process.stderr.write('\n');
    console.error(`cafe benchmark failed: ${err instanceof Error ? err.message : String(err)}`);
    await stopAll();
    return 1;
  }

  const loadAtEnd = loadAverage();
  const summary = summarize(runs);
  console.log(`\nLoad average at the start: ${machine.loadAtStart}; at the end: ${loadAtEnd} (1, 5, 15 min)\n`);
  console.log(renderText(summary, runs));
  if (config.write) {
    const orderText = order.join(', ');
    await writeSection(DOCS, renderMarkdown({ summary, runs, machine, loadAtEnd, command, date, settings: config, order: orderText, pinning: pinning.describe }));
    done(`wrote docs/benchmarks.md (between <!-- bench:cafe:start --> and <!-- bench:cafe:end -->)`);
  }
  return 0;
}

// After a signal, the exit waits for the helpers to stop (onSignal exits then).
main().then(
  (code) => (stopping ?? Promise.resolve()).then(() => process.exit(code)),
  (err) => {
    console.error(err);
    return (stopping ?? Promise.resolve()).then(() => process.exit(1));
  },
);
