/** Trace search: the form, the scatter plot and the results table; the query lives in the route. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { href } from '../../router.js';
import { useTick, useTimeRange } from '../../time-range.js';
import { formatTime, formatUs, goDuration, jaeger, serviceColor, summarize } from './jaeger.js';
import type { JaegerTrace, TraceSummary } from './jaeger.js';
import { QUERY_KEYS, SearchForm, queryFromParams } from './search-form.js';
import type { TraceQuery } from './search-form.js';
import { Scatter } from './scatter.js';
import { useEdgeUrl } from './edge.js';

/** The searched window in ms: the route's start/end, else the time range picker's last minutes. */
function windowMs(q: TraceQuery, minutes: number): [number, number] {
  const end = q.end ? Number(q.end) : Date.now();
  return [q.start ? Number(q.start) : end - minutes * 60_000, end];
}

function searchPath(q: TraceQuery, minutes: number): string {
  const p = new URLSearchParams({ service: q.service, limit: q.limit || '50' });
  if (q.operation) p.set('operation', q.operation);
  if (q.status === 'error') p.set('tags', JSON.stringify({ error: 'true' }));
  if (q.minDuration) p.set('minDuration', goDuration(q.minDuration));
  if (q.maxDuration) p.set('maxDuration', goDuration(q.maxDuration));
  const [startMs, endMs] = windowMs(q, minutes);
  p.set('start', String(Math.round(startMs * 1000)));
  p.set('end', String(Math.round(endMs * 1000)));
  return `/api/traces?${p}`;
}

export function TraceSearch({ params }: { params: URLSearchParams }) {
  const { minutes } = useTimeRange();
  const tick = useTick();
  const edge = useEdgeUrl();
  const [services, setServices] = useState<string[] | null>(null);
  const [traces, setTraces] = useState<TraceSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const busy = useRef(false);
  const fromRoute = queryFromParams(params);
  const query: TraceQuery = { ...fromRoute, service: fromRoute.service || (services?.includes('cafe') ? 'cafe' : (services?.[0] ?? '')) };
  const live = !query.start && !query.end;
  const key = `${JSON.stringify(query)}|${minutes}`;

  useEffect(() => {
    let on = true;
    jaeger<string[]>('/api/services').then(
      (s) => on && setServices(s ?? []),
      (e: Error) => on && (setServices([]), setError(e.message)),
    );
    return () => {
      on = false;
    };
  }, [services === null || services.length === 0 ? tick : -1]);

  const lastKey = useRef('');
  const mounted = useRef(true);
  useEffect(() => () => void (mounted.current = false), []);
  useEffect(() => {
    if (!query.service) return;
    if (lastKey.current !== key) {
      lastKey.current = key;
      setTraces(null);
    } else if (busy.current) return; // the last refresh of this search is still running
    busy.current = true;
    const current = (): boolean => mounted.current && lastKey.current === key;
    jaeger<JaegerTrace[]>(searchPath(query, minutes))
      .then(
        (data) => {
          if (!current()) return;
          const all = (data ?? []).map(summarize);
          setTraces(query.status === 'ok' ? all.filter((t) => t.errorCount === 0) : all);
          setError(null);
        },
        (e: Error) => current() && setError(e.message),
      )
      .finally(() => {
        if (lastKey.current === key) busy.current = false;
      });
  }, [key, live ? tick : 0]);

  const search = (q: TraceQuery): void => {
    const p: Record<string, string> = {};
    for (const k of QUERY_KEYS) if (q[k] && !(k === 'limit' && q[k] === '50')) p[k] = q[k];
    location.hash = href('traces', [], p);
  };
  const open = (id: string): void => {
    location.hash = href('traces', [id]);
  };

  return (
    <section>
      <h1>Traces</h1>
      <SearchForm initial={query} services={services ?? []} onSearch={search} />
      {error ? <p class="error" role="alert">Could not search traces: {error}</p> : null}
      {services !== null && services.length === 0 && !error ? (
        <p class="empty">
          No traces yet: send a request to <a href={`${edge}/menu`} target="_blank" rel="noreferrer">{edge}/menu</a> (or POST {edge}/orders) and they appear here within a few seconds.
        </p>
      ) : traces === null ? (
        <p class="empty">{query.service ? 'Searching…' : 'Loading services…'}</p>
      ) : traces.length === 0 ? (
        <p class="empty">
          No traces match in this time range. Send a request to <a href={`${edge}/menu`} target="_blank" rel="noreferrer">{edge}/menu</a>, widen the time range, or loosen the filters.
        </p>
      ) : (
        <>
          <Scatter traces={traces} onOpen={open} windowS={windowMs(query, minutes).map((ms) => ms / 1000) as [number, number]} />
          <ResultsTable traces={traces} />
        </>
      )}
    </section>
  );
}

type SortKey = 'start' | 'duration';

/** Newest first by default; the Started and Duration headers sort, a second press flips the order. */
function ResultsTable({ traces }: { traces: TraceSummary[] }) {
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'start', descending: true });
  const value = (t: TraceSummary): number => (sort.key === 'start' ? t.startUs : t.durationUs);
  const sorted = [...traces].sort((a, b) => (sort.descending ? value(b) - value(a) : value(a) - value(b)));
  const header = (key: SortKey, label: string) => {
    const active = sort.key === key;
    return (
      <th scope="col" aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
        <button
          type="button"
          class="sort"
          data-testid={`sort-${key}`}
          onClick={() => setSort(active ? { key, descending: !sort.descending } : { key, descending: true })}
        >
          {label}
          <span aria-hidden="true">{active ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
        </button>
      </th>
    );
  };
  const order = sort.key === 'start' ? (sort.descending ? 'newest first' : 'oldest first') : sort.descending ? 'slowest first' : 'fastest first';
  return (
    <table class="trace-results">
      <caption class="sr-only">Traces found, {order}</caption>
      <thead>
        <tr>
          <th scope="col">Trace</th>
          {header('start', 'Started')}
          {header('duration', 'Duration')}
          <th scope="col">Spans</th>
          <th scope="col">Services</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((t) => (
          <tr key={t.traceID}>
            <td>
              <a data-testid="trace-link" href={href('traces', [t.traceID])}>
                {t.rootService}: {t.rootName}
              </a>{' '}
              <code class="muted">{t.traceID.slice(0, 8)}</code>
            </td>
            <td>{formatTime(t.startUs)}</td>
            <td class="num" data-us={t.durationUs}>{formatUs(t.durationUs)}</td>
            <td class="num">{t.spanCount}</td>
            <td>
              {t.services.map((s) => (
                <span class="svc" style={{ '--svc': serviceColor(s) }}>{s}</span>
              ))}
            </td>
            <td>{t.errorCount ? <span class="badge bad">{t.errorCount} error{t.errorCount > 1 ? 's' : ''}</span> : <span class="badge ok">ok</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
