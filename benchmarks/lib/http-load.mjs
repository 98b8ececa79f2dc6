// The keep-alive HTTP test: autocannon (programmatic API) against one path.
import autocannon from 'autocannon';
import { live } from './progress.mjs';

/** The q-quantile (0..1) of sorted values, nearest rank. */
function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/**
 * Runs autocannon for `durationS` against 127.0.0.1:port. autocannon's own latency
 * histogram has 1 ms resolution, too coarse for sub-millisecond loopback medians, so
 * the latencies come from its 'response' events (process.hrtime, in ms).
 * @returns {Promise<{ reqPerS: number, p50Ms: number, p99Ms: number, requests: number, errors: number }>}
 */
export async function runHttpLoad({ port, connections, durationS, label = '', record = true }) {
  const latencies = [];
  const instance = autocannon({ url: `http://127.0.0.1:${port}/`, connections, duration: durationS, pipelining: 1 });
  if (record) instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode === 200) latencies.push(responseTime);
  });
  let second = 0;
  instance.on('tick', ({ counter }) => {
    second++;
    if (label && second <= durationS) live(`${label} ${second}/${durationS} s, ${counter.toLocaleString('en-US')} req/s`);
  });
  const result = await instance;
  latencies.sort((a, b) => a - b);
  return {
    reqPerS: result.requests.average,
    p50Ms: record ? quantile(latencies, 0.5) : result.latency.p50,
    p99Ms: record ? quantile(latencies, 0.99) : result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}
