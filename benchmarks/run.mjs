// `npm run bench`: cloudlab's proxy beside a direct connection and a bare socket.pipe()
// proxy, on loopback. See docs/benchmarks.md for what is measured and why.
import { setTimeout as sleep } from 'node:timers/promises';
import { readConfig, describeCommand, USAGE } from './lib/config.mjs';
import { startChild, stopChild, childCpuMicros } from './lib/child.mjs';
import { createProxy } from './lib/admin.mjs';
import { runHttpLoad } from './lib/http-load.mjs';
import { receiveBulk } from './lib/bulk.mjs';
import { summarize, renderText, renderMarkdown } from './lib/report.mjs';
import { describeMachine } from './lib/machine.mjs';
import { writeResults } from './lib/docs.mjs';
import { step, done } from './lib/progress.mjs';

const BULK_WARMUP_MIB = 64;
/** Lets closed connections settle between runs, so one run's teardown does not tax the next. */
const SETTLE_MS = 250;

const lib = (name) => new URL(`./lib/${name}`, import.meta.url);

/** Starts the upstream, the bare pipe and cloudlab (with its proxies), each in its own process. */
async function startPaths(config, children) {
  step('starting the upstream servers, the bare pipe proxy and cloudlab, each in its own process');
  const upstream = await startChild(lib('upstream.mjs'));
  children.push(upstream.child);
  const proxyArgv = config.cpuProfDir ? [...process.execArgv, '--cpu-prof', `--cpu-prof-dir=${config.cpuProfDir}`] : process.execArgv;
  const [pipe, cloudlab] = await Promise.all([
    startChild(lib('pipe-proxy.mjs'), upstream.ready, proxyArgv),
    startChild(lib('cloudlab-proxy.mjs'), {}, proxyArgv),
  ]);
  children.push(pipe.child, cloudlab.child);
  const { adminUrl } = cloudlab.ready;
  const { httpPort, bulkPort } = upstream.ready;
  const latency0 = [{ name: 'latency0', type: 'latency', stream: 'downstream', attributes: { latency: 0 } }];
  const ours = {
    httpPort: await createProxy(adminUrl, { name: 'bench-http', upstreamPort: httpPort }),
    bulkPort: await createProxy(adminUrl, { name: 'bench-bulk', upstreamPort: bulkPort }),
  };
  const oursToxic = {
    httpPort: await createProxy(adminUrl, { name: 'bench-http-latency0', upstreamPort: httpPort, toxics: latency0 }),
    bulkPort: await createProxy(adminUrl, { name: 'bench-bulk-latency0', upstreamPort: bulkPort, toxics: latency0 }),
  };
  done(`ready: upstream, bare pipe, cloudlab (admin API ${adminUrl})`);
  return [
    { id: 'direct', label: 'direct', ...upstream.ready, proxy: undefined },
    { id: 'pipe', label: 'bare socket.pipe() proxy', ...pipe.ready, proxy: pipe.child },
    { id: 'cloudlab', label: 'cloudlab, no toxic', ...ours, proxy: cloudlab.child },
    { id: 'latency0', label: 'cloudlab, latency 0 ms', ...oursToxic, proxy: cloudlab.child },
  ];
}

/** The proxy process's CPU time (µs) spent in `fn`, or NaN for the direct path. */
async function withProxyCpu(path, fn) {
  const before = path.proxy ? await childCpuMicros(path.proxy) : NaN;
  const result = await fn();
  const after = path.proxy ? await childCpuMicros(path.proxy) : NaN;
  return { result, cpuMicros: after - before };
}

/** One HTTP visit of one path: a warm-up when asked, then the measured run. */
async function measureHttp(path, config, tag, warmUp) {
  const { connections, durationS, warmupS } = config;
  if (warmUp && warmupS > 0) {
    step(`${tag} ${path.label}: HTTP warm-up ${warmupS} s`);
    await runHttpLoad({ port: path.httpPort, connections, durationS: warmupS, record: false });
    await sleep(SETTLE_MS);
  }
  step(`${tag} ${path.label}: HTTP ${durationS} s, ${connections} connections`);
  const load = await withProxyCpu(path, () => runHttpLoad({ port: path.httpPort, connections, durationS, label: `${tag} ${path.label}: HTTP` }));
  const http = { ...load.result, cpuUsPerReq: load.cpuMicros / load.result.requests };
  await sleep(SETTLE_MS);
  done(
    `${tag} ${path.label}: ${Math.round(http.reqPerS).toLocaleString('en-US')} req/s, ` +
      `p50 ${http.p50Ms.toFixed(2)} ms, p99 ${http.p99Ms.toFixed(2)} ms`,
  );
  return http;
}

/** One bulk transfer through one path, after a short warm-up transfer when asked. */
async function measureBulk(path, config, tag, warmUp) {
  const bytes = Math.round(config.bulkMiB * 2 ** 20);
  step(`${tag} ${path.label}: bulk ${config.bulkMiB} MiB`);
  if (warmUp) await receiveBulk(path.bulkPort, Math.min(bytes, BULK_WARMUP_MIB * 2 ** 20));
  const transfer = await withProxyCpu(path, () => receiveBulk(path.bulkPort, bytes));
  const bulk = { ...transfer.result, cpuSPerGiB: transfer.cpuMicros / 1e6 / (bytes / 2 ** 30) };
  done(`${tag} ${path.label}: bulk ${Math.round(bulk.mbPerS).toLocaleString('en-US')} MB/s`);
  return bulk;
}

/**
 * One round: the HTTP test on each path there and back (A B C D D C B A), then the bulk
 * test the same way, so a slow spell of the machine is shared out rather than landing
 * on one path. Warm-ups come before the first visit of each path.
 * @returns {Promise<Map<string, { http: object[], bulk: object[] }>>} two runs of each test per path
 */
async function measureRound(order, config, round) {
  const tag = `[round ${round + 1}/${config.rounds}]`;
  const byId = new Map(order.map((p) => [p.id, { http: [], bulk: [] }]));
  const visits = [...order, ...[...order].reverse()];
  for (const [n, path] of visits.entries()) byId.get(path.id).http.push(await measureHttp(path, config, tag, n < order.length));
  for (const [n, path] of visits.entries()) byId.get(path.id).bulk.push(await measureBulk(path, config, tag, n < order.length));
  return byId;
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
  if (config.help) {
    process.stdout.write(USAGE);
    return;
  }
  const command = describeCommand();
  const date = new Date().toISOString().slice(0, 10);
  const machine = describeMachine(); // now, for the load average before the run
  const children = [];
  try {
    const paths = await startPaths(config, children);
    const runsById = new Map(paths.map((p) => [p.id, []]));
    for (let round = 0; round < config.rounds; round++) {
      // Rotate the order each round so no path always runs first (cold) or in the middle.
      const order = paths.map((_, i) => paths[(i + round) % paths.length]);
      const byId = await measureRound(order, config, round);
      for (const [id, runs] of byId) runsById.get(id).push(runs);
    }
    const summary = summarize(paths, runsById);
    process.stdout.write(`\n${renderText(summary)}\n`);
    if (config.write) {
      const file = new URL('../docs/benchmarks.md', import.meta.url);
      const section = renderMarkdown(summary, { config, command, machine, date, paths, runsById });
      await writeResults(file, section);
      done(`wrote ${file.pathname}`);
    }
  } finally {
    await Promise.all(children.map((child) => stopChild(child)));
  }
  if (config.cpuProfDir) done(`CPU profiles of the proxy processes are in ${config.cpuProfDir} (open them in Chrome DevTools)`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
