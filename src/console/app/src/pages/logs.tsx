/**
 * Logs: a live tail (the default) or a search over the time range; `#/logs?traceId=…` (and
 * `&spanId=…`) opens the search for one trace. Filters start from the route's parameters.
 */
import { useEffect, useState } from 'preact/hooks';
import { href, useRoute } from '../router.js';
import { useEdgeUrl } from './traces/edge.js';
import { Filters, filtersFromParams, hubParams } from './logs/filters.js';
import type { LogFilters } from './logs/filters.js';
import { LiveLogs } from './logs/live.js';
import { SearchLogs } from './logs/search.js';
import './logs/logs.css';

export function Logs() {
  const route = useRoute();
  const edge = useEdgeUrl();
  const routeKey = route.params.toString();
  const [filters, setFilters] = useState<LogFilters>(() => filtersFromParams(route.params));
  const [mode, setMode] = useState<'live' | 'search'>(() => (route.params.get('traceId') ? 'search' : 'live'));
  useEffect(() => {
    const next = filtersFromParams(route.params);
    setFilters(next);
    setMode(next.traceId ? 'search' : 'live');
  }, [routeKey]);
  const query = hubParams(filters).toString();
  const filtered = Boolean(filters.service || filters.severity || filters.q || filters.traceId);
  return (
    <section class="logs-page">
      <h1>Logs</h1>
      <div class="log-top">
        <div class="mode-switch" role="group" aria-label="Mode">
          <button type="button" aria-pressed={mode === 'live'} class={mode === 'live' ? 'primary' : ''} onClick={() => setMode('live')}>Live tail</button>
          <button type="button" aria-pressed={mode === 'search'} class={mode === 'search' ? 'primary' : ''} onClick={() => setMode('search')}>Search</button>
        </div>
        <Filters value={filters} onChange={setFilters} showTrace={mode === 'search' || Boolean(filters.traceId)} />
        {filtered || filters.spanId ? (
          <a href={href('logs')} onClick={() => setFilters(filtersFromParams(new URLSearchParams()))}>Clear filters</a>
        ) : null}
      </div>
      {mode === 'live' ? <LiveLogs query={query} filtered={filtered} edge={edge} /> : <SearchLogs query={query} traceId={filters.traceId} spanId={filters.spanId} edge={edge} />}
    </section>
  );
}
