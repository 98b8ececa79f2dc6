/** A service's RED metrics per route: request rate, 5xx error ratio, and p50/p95/p99 latency. */
import type { LabEvent, PromSeries } from '../../api.js';
import { href } from '../../router.js';
import { useTimeRange } from '../../time-range.js';
import { RangeChart } from './range-chart.js';
import { rateWindow } from './use-range.js';

/** Probe and scrape paths: every replica answers them every few seconds, so they would drown the real routes. */
const PROBE_ROUTES = '/health|/ready|/live|/metrics';
const ALL = 'all routes';

const routeLabel = (m: Record<string, string>): string => m['http_route'] || '(no route)';
const allFirst = (series: PromSeries[]): PromSeries[] => [...series].sort((a, b) => Number(b.metric['http_route'] === ALL) - Number(a.metric['http_route'] === ALL) || routeLabel(a.metric).localeCompare(routeLabel(b.metric)));

/** The "all routes" quantile at (or just before) `timeS`, in ms; null when there is none. */
function allRoutesMsAt(series: PromSeries[], timeS?: number): number | null {
  const values = series.find((s) => s.metric['http_route'] === ALL)?.values ?? [];
  let found: number | null = null;
  for (const [t, v] of values) {
    if (timeS !== undefined && t > timeS) break;
    const n = Number(v) * 1000;
    if (Number.isFinite(n)) found = n;
  }
  return found;
}

export interface RedChartsProps {
  service: string;
  events: LabEvent[];
  /** What to do when there are no requests yet. */
  hint: string;
}

export function RedCharts({ service, events, hint }: RedChartsProps) {
  const { minutes } = useTimeRange();
  const w = rateWindow(minutes);
  const sel = `job="${service}",http_route!~"${PROBE_ROUTES}"`;
  const count = `rate(http_server_request_duration_seconds_count{${sel}}[${w}])`;
  const errors = `rate(http_server_request_duration_seconds_count{${sel},http_response_status_code=~"5.."}[${w}])`;
  const bucket = `rate(http_server_request_duration_seconds_bucket{${sel}}[${w}])`;
  const quantile = (q: number): string =>
    `histogram_quantile(${q}, sum by (le, http_route) (${bucket})) or label_replace(histogram_quantile(${q}, sum by (le) (${bucket})), "http_route", "${ALL}", "", "")`;
  const noRequests = `No requests in this time range: ${hint}`;

  const latency = (name: string, q: number) => (
    <RangeChart
      title={`${service} · ${name} latency by route`}
      query={quantile(q)}
      label={routeLabel}
      order={allFirst}
      unit="ms"
      scale={1000}
      events={events}
      empty={noRequests}
      onPick={(timeS, series) => {
        const ms = allRoutesMsAt(series, timeS);
        const windowS = Number.parseInt(w, 10);
        const params: Record<string, string> = { service, start: String(Math.round((timeS - windowS) * 1000)), end: String(Math.round((timeS + 5) * 1000)) };
        if (ms !== null) params['minDuration'] = `${Math.floor(ms)}ms`;
        location.hash = href('traces', [], params);
      }}
      footer={(series) => {
        const ms = allRoutesMsAt(series);
        const params: Record<string, string> = { service, ...(ms !== null ? { minDuration: `${Math.floor(ms)}ms` } : {}) };
        return (
          <>
            Click the plot for the traces slower than {name} at that time, or{' '}
            <a href={href('traces', [], params)}>see the traces over {ms !== null ? `${Math.floor(ms)} ms (${name} now)` : name}</a>.
          </>
        );
      }}
    />
  );

  return (
    <div class="grid">
      <RangeChart title={`${service} · requests/s by route`} query={`sum by (http_route) (${count})`} label={routeLabel} events={events} empty={noRequests} />
      <RangeChart
        title={`${service} · error ratio (5xx) by route`}
        query={`(sum by (http_route) (${errors}) or sum by (http_route) (${count}) * 0) / sum by (http_route) (${count})`}
        label={routeLabel}
        unit="%"
        scale={100}
        events={events}
        empty={noRequests}
      />
      {latency('p50', 0.5)}
      {latency('p95', 0.95)}
      {latency('p99', 0.99)}
    </div>
  );
}
