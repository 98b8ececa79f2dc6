// wrk (the Debian package, wrk 4) as a peer of benchmarks/load.mjs, with each latency
// as wrk measured it.
//
// wrk 4 corrects its latency histogram for coordinated omission before it prints a
// percentile (stats_correct in its stats.c): it takes `expected`, the run time divided
// by the requests per connection (the mean time between one connection's requests),
// and for every sample of n µs with n >= 2 * expected it adds one synthetic sample at
// each of n - expected, n - 2 * expected, ... while above expected. In a closed loop
// that invents samples no request took: the first requests of a run, sent on fresh
// connections to a saturated server, wait up to a few hundred ms, and their synthetic
// trails add a few hundred samples between 10 and 200 ms, enough to move p99 of a
// 6 s run. cloudlab's closed model reports what each request took. So the comparison
// takes wrk's correction back out, which is exact: the synthetic counts at a value come
// only from real counts above it. Every run checks that: the real samples add up to
// wrk's completed requests, and correcting them again gives back wrk's histogram.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./wrk-histogram.lua', import.meta.url));

export function wrkInstalled() {
  return !spawnSync('wrk', ['--version']).error;
}

/** A histogram: µs -> count. */
function parseBuckets(text) {
  const buckets = new Map();
  for (const pair of text.split(',')) {
    if (pair === '') continue;
    const [us, count] = pair.split(':').map(Number);
    buckets.set(us, count);
  }
  return buckets;
}

function total(histogram) {
  let n = 0;
  for (const count of histogram.values()) n += count;
  return n;
}

/** wrk's `expected` (µs), with its integer arithmetic; undefined when it corrects nothing. */
function expectedIntervalUs(durationUs, requests, connections) {
  const perConnection = Math.floor(requests / connections);
  return perConnection > 0 ? Math.floor(durationUs / perConnection) : undefined;
}

/** What wrk's stats_correct does to a histogram of real samples. */
function correctLikeWrk(real, expectedUs) {
  const out = new Map(real);
  for (const [n, count] of real) {
    if (n < 2 * expectedUs) continue;
    for (let m = n - expectedUs; m > expectedUs; m -= expectedUs) out.set(m, (out.get(m) ?? 0) + count);
  }
  return out;
}

/** The real samples under a histogram stats_correct has corrected: largest value first, each minus the trails of those above it. */
function uncorrectWrk(corrected, expectedUs) {
  const real = new Map();
  const values = [...corrected.keys()].sort((a, b) => b - a);
  const max = values[0] ?? 0;
  for (const m of values) {
    let synthetic = 0;
    if (m > expectedUs) for (let n = m + expectedUs; n <= max; n += expectedUs) synthetic += real.get(n) ?? 0;
    const count = corrected.get(m) - synthetic;
    if (count < 0) throw new Error(`wrk's histogram is not one stats_correct made with an interval of ${expectedUs} µs (${count} samples at ${m} µs)`);
    if (count > 0) real.set(m, count);
  }
  return real;
}

/** A percentile (0-100) in ms by wrk's own rule (stats_percentile); NaN when empty. */
export function wrkPercentileMs(histogram, p) {
  const count = total(histogram);
  if (count === 0) return NaN;
  const rank = Math.round((p / 100) * count + 0.5);
  let seen = 0;
  for (const us of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(us);
    if (seen >= rank) return us / 1000;
  }
  return NaN;
}

function sameHistogram(a, b) {
  if (a.size !== b.size) return false;
  for (const [us, count] of a) if (b.get(us) !== count) return false;
  return true;
}

/**
 * One wrk run, 1 thread. `cpuS` is wrk's own CPU time up to the end of the run (printed
 * by the script before it lists the histogram); `measured` holds the real samples,
 * `printed` the histogram wrk's percentiles come from.
 */
export function runWrk(url, { connections, seconds }) {
  const run = spawnSync('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '-s', SCRIPT, url], { encoding: 'utf8' });
  if (run.error || run.status !== 0) throw new Error(`wrk failed (${run.error?.message ?? `exit code ${run.status}`}): ${run.stderr}`);
  const line = /^cloudlab-wrk (\S+) (\d+) (\d+) (.*)$/m.exec(run.stdout);
  if (!line) throw new Error(`wrk printed no histogram (its script is ${SCRIPT}):\n${run.stdout}`);
  const [cpuS, durationUs, requests] = [Number(line[1]), Number(line[2]), Number(line[3])];
  const printed = parseBuckets(line[4]);
  const expectedUs = expectedIntervalUs(durationUs, requests, connections);
  const measured = expectedUs === undefined ? printed : uncorrectWrk(printed, expectedUs);
  // A sample beyond wrk's limit is not recorded but counted as a timeout.
  const socketErrors = /^\s*Socket errors: (.*)$/m.exec(run.stdout)?.[1];
  const timeouts = Number(/timeout (\d+)/.exec(socketErrors ?? '')?.[1] ?? 0);
  if (total(measured) !== requests - timeouts || (expectedUs !== undefined && !sameHistogram(correctLikeWrk(measured, expectedUs), printed))) {
    throw new Error(`wrk's histogram does not undo to its ${requests} requests (${total(measured)} samples, ${timeouts} timeouts): is this wrk 4 (stats_correct)?`);
  }
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(run.stdout)?.[1];
  return {
    requests,
    rps: requests / (durationUs / 1e6),
    cpuS,
    measured,
    printed,
    errors: [socketErrors, non2xx && `non-2xx ${non2xx}`].filter(Boolean).join('; ') || '0',
  };
}
