/** A service's dependencies: cache hit ratio and stale serves, database latency and pool use, circuit breakers. */
import type { LabEvent, PromSeries } from '../../api.js';
import { useTimeRange } from '../../time-range.js';
import { RangeChart } from './range-chart.js';
import { rateWindow } from './use-range.js';

export interface DependencyChartsProps {
  service: string;
  /** Metric names this service exports now (from the inventory). */
  names: Set<string>;
  events: LabEvent[];
}

const BREAKER_STATES = ['closed', 'half-open', 'open'];

/** The latest state of each breaker, as "dependency on instance: open". */
function breakerNow(series: PromSeries[]) {
  return (
    <ul class="ov-breakers" aria-label="Circuit breakers now">
      {series.map((s) => {
        const last = s.values[s.values.length - 1];
        const state = last ? (BREAKER_STATES[Number(last[1])] ?? last[1]) : 'unknown';
        return (
          <li>
            {s.metric['dependency'] ?? 'breaker'} on {s.metric['instance'] ?? '?'}: <span class={`badge ${state === 'closed' ? 'ok' : 'bad'}`}>{state}</span>
          </li>
        );
      })}
    </ul>
  );
}

/**
 * Pool use summed over replicas. `max by (instance)` first: a restarted replica's old series
 * (another pid) lingers for the lookback window and would otherwise count twice.
 */
function poolQuery(pool: string, base: string, job: string): string {
  const sum = (metric: string, by: string): string => `sum by (${by}) (max by (instance, ${by}) (${metric}{${job}}))`;
  return [
    `label_replace(${sum(pool, 'state')}, "state", "connections $1", "state", "(.*)")`,
    `label_replace(sum(max by (instance) (${base}_waiting{${job}})), "state", "waiting queries", "", "")`,
    `label_replace(sum(max by (instance) (${base}_max{${job}})), "state", "pool size", "", "")`,
  ].join(' or ');
}

export function DependencyCharts({ service, names, events }: DependencyChartsProps) {
  const { minutes } = useTimeRange();
  const w = rateWindow(minutes);
  const job = `job="${service}"`;
  const find = (suffix: string): string | undefined => [...names].find((n) => n === `${service}${suffix}`) ?? [...names].find((n) => n.endsWith(suffix));
  const cache = find('_cache_requests_total');
  const breaker = find('_circuit_breaker_state');
  const pool = find('_db_pool_connections');
  const dbLatency = names.has('db_client_operation_duration_seconds_count');
  if (!cache && !breaker && !pool && !dbLatency) return null;
  const poolBase = pool?.replace(/_connections$/, '');
  const nothing = 'No data in this time range yet: it appears once the service handles requests.';

  return (
    <div class="grid">
      {cache ? (
        <>
          <RangeChart
            title={`${service} · cache hit ratio`}
            query={`sum(rate(${cache}{${job},result="hit"}[${w}])) / sum(rate(${cache}{${job}}[${w}]))`}
            label={() => 'hit ratio'}
            unit="%"
            scale={100}
            events={events}
            empty={`No cache lookups in this time range: ${service === 'cafe' ? 'GET /menu reads the cache.' : 'send requests that read the cache.'}`}
          />
          <RangeChart
            title={`${service} · cache lookups/s by result (stale = served stale)`}
            query={`sum by (result) (rate(${cache}{${job}}[${w}]))`}
            label={(m) => m['result'] ?? '?'}
            events={events}
            empty="No cache lookups in this time range."
          />
        </>
      ) : null}
      {dbLatency ? (
        <RangeChart
          title={`${service} · database p95 latency by operation`}
          query={`histogram_quantile(0.95, sum by (le, db_operation_name) (rate(db_client_operation_duration_seconds_bucket{${job}}[${w}])))`}
          label={(m) => m['db_operation_name'] || 'query'}
          unit="ms"
          scale={1000}
          events={events}
          empty={`No database queries in this time range. ${nothing}`}
        />
      ) : null}
      {pool && poolBase ? (
        <RangeChart
          title={`${service} · database pool use (all replicas)`}
          query={poolQuery(pool, poolBase, job)}
          label={(m) => m['state'] ?? '?'}
          events={events}
          empty={nothing}
        />
      ) : null}
      {breaker ? (
        <RangeChart
          title={`${service} · circuit breaker state (0 closed, 1 half-open, 2 open)`}
          query={`max by (dependency, instance) (${breaker}{${job}})`}
          label={(m) => `${m['dependency'] ?? 'breaker'} · ${m['instance'] ?? '?'}`}
          events={events}
          empty={nothing}
          footer={breakerNow}
        />
      ) : null}
    </div>
  );
}
