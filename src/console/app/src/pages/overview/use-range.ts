/** Live data for the overview: range queries that follow the time range picker and refresh on every tick. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { labEvents, queryInstant, queryRange } from '../../api.js';
import type { LabEvent, PromSeries } from '../../api.js';
import { stepFor, useTick, useTimeRange } from '../../time-range.js';

export interface RangeResult {
  /** null until the first answer. */
  series: PromSeries[] | null;
  error: string | null;
  stepS: number;
}

/** Rate window for a range: at least a minute and four steps, so sparse scrapes still give a line. */
export function rateWindow(minutes: number): string {
  return `${Math.max(60, stepFor(minutes) * 4)}s`;
}

/**
 * Runs `query` over the picked range on every tick. A refresh is skipped while the last one is
 * still running (the hub answers slowly under load; requests must not pile up), and the last good
 * answer stays on screen when a refresh fails, with the error beside it.
 */
export function useRange(query: string | null): RangeResult {
  const { minutes } = useTimeRange();
  const tick = useTick();
  const [state, setState] = useState<{ key: string; series: PromSeries[] | null; error: string | null }>({ key: '', series: null, error: null });
  const busy = useRef(false);
  const key = `${query ?? ''}|${minutes}`;
  const current = useRef(key);
  current.current = key;

  useEffect(() => {
    if (query === null || (busy.current && state.key === key)) return;
    busy.current = true;
    const endS = Date.now() / 1000;
    queryRange(query, endS - minutes * 60, endS, stepFor(minutes))
      .then(
        (series) => current.current === key && setState({ key, series, error: null }),
        (e: Error) => current.current === key && setState((s) => ({ key, series: s.key === key ? s.series : null, error: e.message })),
      )
      .finally(() => (busy.current = false));
  }, [key, tick]);

  return { series: state.key === key ? state.series : null, error: state.key === key ? state.error : null, stepS: stepFor(minutes) };
}

/** Which metric names each job (service) exports now: decides which panels a service gets. */
export function useInventory(): { byJob: Map<string, Set<string>>; names: Set<string>; error: string | null } {
  const tick = useTick(5000);
  const [state, setState] = useState<{ byJob: Map<string, Set<string>>; names: Set<string>; error: string | null }>({ byJob: new Map(), names: new Set(), error: null });
  useEffect(() => {
    let live = true;
    queryInstant('count by (job, __name__) ({__name__=~"http_server_request_duration_seconds_count|db_client_operation_duration_seconds_count|.+_cache_requests_total|.+_circuit_breaker_state|.+_db_pool_connections|cloudlab_load_.+"})').then(
      (rows) => {
        if (!live) return;
        const byJob = new Map<string, Set<string>>();
        const names = new Set<string>();
        for (const row of rows) {
          const job = row.metric['job'] ?? '';
          const name = row.metric['__name__'] ?? '';
          names.add(name);
          byJob.set(job, (byJob.get(job) ?? new Set()).add(name));
        }
        setState({ byJob, names, error: null });
      },
      (e: Error) => live && setState((s) => ({ ...s, error: e.message })),
    );
    return () => {
      live = false;
    };
  }, [tick]);
  return state;
}

/** Fault and load events in the picked range, for the markers on every chart. */
export function useLabEvents(): LabEvent[] {
  const { minutes } = useTimeRange();
  const tick = useTick();
  const [events, setEvents] = useState<LabEvent[]>([]);
  useEffect(() => {
    let live = true;
    labEvents(Date.now() - minutes * 60_000).then(
      (answer) => live && setEvents(answer.events),
      () => undefined, // markers are an extra: a failed refresh keeps the last ones
    );
    return () => {
      live = false;
    };
  }, [minutes, tick]);
  return events;
}
