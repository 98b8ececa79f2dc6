/**
 * The dashboard benchmark's data: 1,000 counter series and 1,000 histogram bucket
 * series scraped every 15 s for 1 h 10 min, and the two panel queries of issue 3
 * (a rate summed by route, and a histogram_quantile), run over the last hour at a
 * 15 s step. Used by dashboard-timing.test.ts; benchmarks can import it from dist.
 */
import { createMetricStore } from '../../../src/telemetry/metrics/index.js';
import type { MetricStore } from '../../../src/telemetry/metrics/index.js';
import type { Sample } from '../../../src/telemetry/model.js';

export const DASHBOARD_END_MS = 1_700_000_000_000;
export const DASHBOARD_START_MS = DASHBOARD_END_MS - 3600_000;
export const DASHBOARD_STEP_MS = 15_000;
export const DASHBOARD_QUERIES = [
  'sum by (route) (rate(http_server_requests_total[5m]))',
  'histogram_quantile(0.95, sum by (le, route) (rate(http_server_duration_seconds_bucket[5m])))',
] as const;

const LE = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '+Inf'];

/** A store holding 2,000 series x 281 samples, its clock at DASHBOARD_END_MS. */
export function buildDashboardStore(): MetricStore {
  const store = createMetricStore({ clock: () => DASHBOARD_END_MS, limits: { retentionMs: 2 * 3600_000 } });
  const first = DASHBOARD_START_MS - 10 * 60_000;
  for (let t = first, n = 0; t <= DASHBOARD_END_MS; t += 15_000, n++) {
    const batch: Sample[] = [];
    for (let route = 0; route < 10; route++) {
      for (let instance = 0; instance < 100; instance++) {
        const base = { job: 'cafe', route: `/r${route}`, instance: `i${instance}` };
        batch.push({ labels: { __name__: 'http_server_requests_total', ...base }, timeMs: t, value: n * (route + 1) + (instance % 7) * n });
        if (instance < 10) {
          LE.forEach((le, i) => {
            batch.push({ labels: { __name__: 'http_server_duration_seconds_bucket', ...base, le }, timeMs: t, value: n * (i + 1) * (route + 1) });
          });
        }
      }
    }
    store.append(batch);
  }
  return store;
}
