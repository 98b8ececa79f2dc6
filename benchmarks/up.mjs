// `cloudlab up` (issue 5): how long the whole demo lab takes to be ready, and how much
// memory it holds at idle and under 500 requests/s. The peer in the same run is the
// slowest single part started by hand: one cafe process against the lab's own
// database and cache, which `up` cannot beat. Prints a table with PASS/FAIL for the
// targets (ready in at most 5 s with warm data; at most 500 MB at idle); exits 0 whatever
// the verdict; --write (or BENCH_WRITE=1) records the run in docs/benchmarks.md.
// Build first (npx tsc -b, npm run build -w examples/cafe), then: node benchmarks/up.mjs
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { setInterval, clearInterval } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { describeMachine, loadAverage } from './lib/machine.mjs';
import { median } from './lib/stats.mjs';
import { done, step } from './lib/progress.mjs';
import { readEnvNumber, readFlags } from './lib/bench-args.mjs';
import { writeSection } from './lib/sections.mjs';

const USAGE = `Usage: node benchmarks/up.mjs [--write]

Time from \`cloudlab up -d\` to every part ready (first run with initdb, then warm runs),
and the memory (PSS and RSS) of the whole lab at idle and under a fixed request rate.

  --write, BENCH_WRITE=1   also write the results into docs/benchmarks.md
  BENCH_UP_RUNS            warm starts measured (default 3)
  BENCH_UP_IDLE_S          seconds of idle before the idle memory sample (default 10)
  BENCH_UP_RATE            requests/s of the load phase (default 500)
  BENCH_UP_LOAD_S          seconds of the load phase (default 20)
`;

const ROOT = new URL('../', import.meta.url).pathname;
const MAIN = join(ROOT, 'dist/src/cli/main.js');
const CAFE = join(ROOT, 'examples/cafe/dist/src/cafe/main.js');
const DOCS = new URL('../docs/benchmarks.md', import.meta.url);

const flags = readFlags(process.argv.slice(2), process.env, USAGE);
if (flags.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const settings = {
  runs: readEnvNumber(process.env, 'BENCH_UP_RUNS', 3, { min: 1 }),
  idleS: readEnvNumber(process.env, 'BENCH_UP_IDLE_S', 10, { min: 0 }),
  rate: readEnvNumber(process.env, 'BENCH_UP_RATE', 500, { min: 1 }),
  loadS: readEnvNumber(process.env, 'BENCH_UP_LOAD_S', 20, { min: 1 }),
};

function cli(dir, args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: '1' } });
  if (r.status !== 0) throw new Error(`cloudlab ${args.join(' ')} failed (${r.status}):\n${r.stderr}\n${r.stdout}`);
  return performance.now() - t0;
}

/** The lab's process and every descendant (services, postgres backends, ...). */
function labTree(rootPid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // gone
    }
  }
  const out = [];
  const walk = (pid) => {
    out.push(pid);
    for (const c of children.get(pid) ?? []) walk(c);
  };
  walk(rootPid);
  return out;
}

/** Sums RSS and PSS (shared pages divided among the processes that share them) in MiB. */
function memory(rootPid) {
  let rss = 0;
  let pss = 0;
  const pids = labTree(rootPid);
  for (const pid of pids) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      rss += Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
      pss += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return { processes: pids.length, rssMiB: rss / 1024, pssMiB: pss / 1024 };
}

/** One cafe started by hand against the lab's database and cache: ms until it listens. */
async function bareCafe(state) {
  const env = {
    ...process.env, PORT: '0', DATABASE_URL: state.urls.postgres.replace('****', 'cloudlab'), VALKEY_URL: state.urls.cache,
    OTEL_EXPORTER_OTLP_ENDPOINT: state.urls['hub (OTLP/HTTP)'], OTEL_SERVICE_NAME: 'cafe-bare', OTEL_LOGS_EXPORTER: 'none',
  };
  const t0 = performance.now();
  const child = spawn(process.execPath, [CAFE], { env, stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (/listening on/.test(out)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`the bare cafe exited (${code}) before listening`)));
  });
  const ms = performance.now() - t0;
  child.removeAllListeners('exit');
  child.kill('SIGTERM');
  return ms;
}

const dir = mkdtempSync(join(tmpdir(), 'cloudlab-bench-up-'));
chmodSync(dir, 0o755);
const machine = describeMachine();
const results = {};
try {
  step('first start (creates the database: initdb)');
  results.coldMs = cli(dir, ['up', '-d', '--free-ports']);
  cli(dir, ['down']);
  results.warmMs = [];
  for (let i = 1; i <= settings.runs; i++) {
    step(`warm start ${i}/${settings.runs}`);
    results.warmMs.push(cli(dir, ['up', '-d', '--free-ports']));
    if (i < settings.runs) cli(dir, ['down']);
  }
  const state = JSON.parse(readFileSync(join(dir, '.cloudlab/run/lab.json'), 'utf8'));
  step('the peer: one cafe started by hand');
  results.bareCafeMs = await bareCafe(state);
  step(`idle for ${settings.idleS} s`);
  await sleep(settings.idleS * 1000);
  results.idle = memory(state.pid);
  step(`${settings.rate} requests/s on GET /menu through the edge for ${settings.loadS} s`);
  let peak = results.idle;
  const sampler = setInterval(() => {
    const m = memory(state.pid);
    if (m.pssMiB > peak.pssMiB) peak = m;
  }, 2000);
  const load = await autocannon({ url: `${state.urls['cafe (edge)']}/menu`, connections: 50, overallRate: settings.rate, duration: settings.loadS });
  clearInterval(sampler);
  results.load = { peak, rps: load.requests.average, p50: load.latency.p50, p99: load.latency.p99, non2xx: load.non2xx, errors: load.errors + load.timeouts };
  cli(dir, ['down', '--volumes']);
} finally {
  spawnSync(process.execPath, [MAIN, 'down', '--volumes'], { cwd: dir });
  rmSync(dir, { recursive: true, force: true });
}
done('done');

const warm = median(results.warmMs);
const verdict = (ok) => (ok ? 'PASS' : 'FAIL');
const rows = [
  ['first `up -d` (with initdb)', `${(results.coldMs / 1000).toFixed(1)} s`, '', ''],
  [`warm \`up -d\` (median of ${settings.runs})`, `${(warm / 1000).toFixed(1)} s`, '≤ 5 s', verdict(warm <= 5000)],
  ['peer: one cafe started by hand', `${(results.bareCafeMs / 1000).toFixed(1)} s`, '', `up / peer = ${(warm / results.bareCafeMs).toFixed(1)}×`],
  [`idle memory (${results.idle.processes} processes), PSS`, `${results.idle.pssMiB.toFixed(0)} MiB`, '≤ 500 MB', verdict(results.idle.pssMiB * 1.048576 <= 500)],
  ['idle memory, RSS (shared pages counted per process)', `${results.idle.rssMiB.toFixed(0)} MiB`, '', ''],
  [`peak memory under ${settings.rate} req/s, PSS`, `${results.load.peak.pssMiB.toFixed(0)} MiB`, '', `RSS ${results.load.peak.rssMiB.toFixed(0)} MiB`],
  [`load: achieved req/s, p50, p99, non-2xx, errors`, `${results.load.rps.toFixed(0)}, ${results.load.p50} ms, ${results.load.p99} ms, ${results.load.non2xx}, ${results.load.errors}`, '', ''],
];
const table = ['| measure | value | target | verdict |', '|---|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
process.stdout.write(`\n${table}\n`);
if (flags.write) {
  const date = new Date().toISOString().slice(0, 10);
  const section = [
    `Measured ${date} with \`node benchmarks/up.mjs --write\`.`,
    '',
    `- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory} memory`,
    `- ${machine.os}, Node.js ${machine.node}`,
    `- Load average when the run started: ${machine.loadAtStart}, when it ended: ${loadAverage()} (1, 5, 15 min)`,
    `- The lab: the built-in cafe demo with \`--free-ports\` (hub, proxy, PostgreSQL, cache, payments, two cafe replicas, the edge and the control API). Memory is the sum over the lab's process and all its descendants; PSS divides shared pages among the processes sharing them, RSS counts them once per process.`,
    '',
    table,
  ].join('\n');
  await writeSection(DOCS, { start: '<!-- bench:up:start -->', end: '<!-- bench:up:end -->', heading: '## `cloudlab up`: time to ready and memory' }, section);
}
