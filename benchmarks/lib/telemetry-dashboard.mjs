// The query benchmark's data and panels: a service's request counter and request-duration
// histogram, 1,000 series each, scraped every 15 s for 1 h 10 min (an hour on screen, plus
// the 5 min a rate() looks back, plus a margin), and the two queries a dashboard draws.

export const STEP_S = 15;
export const RANGE_S = 3600;
/** Scraped history before the range starts, so the first point's rate has its 5 min window. */
const LEAD_S = 600;
const ROUTES = ['/api/orders', '/api/orders/:id', '/api/menu', '/api/menu/:id', '/api/cart', '/api/cart/items', '/api/payments', '/api/users/:id', '/health', '/api/search'];
const COUNTER_INSTANCES = 100;
const HISTOGRAM_INSTANCES = 10;
const LE = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export const DASHBOARD_QUERIES = Object.freeze([
  { id: 'rate', label: 'rate summed by route', query: 'sum by (route) (rate(http_server_requests_total[5m]))' },
  {
    id: 'quantile',
    label: 'histogram_quantile p95 by route',
    query: 'histogram_quantile(0.95, sum by (le, route) (rate(http_server_request_duration_seconds_bucket[5m])))',
  },
]);

function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The fraction of requests faster than `le` seconds on a route whose median is `medianS` (log-logistic). */
function below(le, medianS) {
  return 1 / (1 + (medianS / le) ** 2.5);
}

/**
 * Appends the history through `addSamples`, one scrape (every series at one time) per
 * call, ending at `endMs` (a multiple of 15 s). Returns the series counts.
 * @param {(samples: object[]) => void} addSamples
 */
export function fillDashboard(addSamples, endMs) {
  const random = prng(42);
  const firstMs = endMs - (RANGE_S + LEAD_S) * 1000;
  const counters = [];
  const histograms = [];
  for (const [r, route] of ROUTES.entries()) {
    for (let i = 0; i < COUNTER_INSTANCES; i++) {
      const base = { job: 'checkout', instance: `10.0.${Math.floor(i / 50)}.${(i % 50) + 10}:8080`, route, method: 'GET' };
      counters.push({ labels: { __name__: 'http_server_requests_total', ...base }, ratePerS: 2 + r + (i % 7), total: 0 });
      if (i < HISTOGRAM_INSTANCES) histograms.push({ base, ratePerS: 5 + r, medianS: 0.01 * (r + 1), buckets: new Array(LE.length + 1).fill(0), sum: 0 });
    }
  }
  let samples = 0;
  for (let t = firstMs; t <= endMs; t += STEP_S * 1000) {
    const batch = [];
    for (const c of counters) {
      c.total += Math.round(c.ratePerS * STEP_S * (0.5 + random()));
      batch.push({ labels: c.labels, timeMs: t, value: c.total });
    }
    for (const h of histograms) {
      const n = Math.round(h.ratePerS * STEP_S * (0.5 + random()));
      const slow = 0.7 + random() * 0.6; // latency drifts a little from scrape to scrape
      for (const [b, le] of LE.entries()) h.buckets[b] += Math.round(n * below(le, h.medianS * slow));
      h.buckets[LE.length] += n;
      h.sum += n * h.medianS * slow * 1.2;
      for (const [b, le] of LE.entries()) {
        batch.push({ labels: { __name__: 'http_server_request_duration_seconds_bucket', ...h.base, le: String(le) }, timeMs: t, value: h.buckets[b] });
      }
      batch.push({ labels: { __name__: 'http_server_request_duration_seconds_bucket', ...h.base, le: '+Inf' }, timeMs: t, value: h.buckets[LE.length] });
      batch.push({ labels: { __name__: 'http_server_request_duration_seconds_count', ...h.base }, timeMs: t, value: h.buckets[LE.length] });
      batch.push({ labels: { __name__: 'http_server_request_duration_seconds_sum', ...h.base }, timeMs: t, value: h.sum });
    }
    addSamples(batch);
    samples += batch.length;
  }
  return {
    counterSeries: counters.length,
    bucketSeries: histograms.length * (LE.length + 1),
    otherSeries: histograms.length * 2,
    samples,
    firstMs,
    endMs,
  };
}
