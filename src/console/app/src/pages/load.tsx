/**
 * Load: start and stop a built-in scenario inside the lab (the same engine as
 * `cloudlab load`), and watch its users, requests/s, latency and errors live.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { Chart } from '../chart.js';
import type { ChartSeries } from '../chart.js';
import { labEvents } from '../api.js';
import type { LabEvent } from '../api.js';
import { useTick } from '../time-range.js';
import { ERROR_KINDS, loadState } from './load/load-api.js';
import type { LoadRunState } from './load/load-api.js';
import { LoadForm } from './load/load-form.js';
import './load/load.css';

function series(state: LoadRunState, label: string, value: (i: LoadRunState['intervals'][number]) => number): ChartSeries {
  const t0 = (state.startedAtMs ?? 0) / 1000;
  return { label, points: state.intervals.map((i) => [t0 + i.second, value(i)] as [number, number]) };
}

export function Load() {
  const [reloads, setReloads] = useState(0);
  const [state, setState] = useState<LoadRunState | null>(null);
  const [events, setEvents] = useState<LabEvent[]>([]);
  const [error, setError] = useState<string | null>(null);
  const running = state?.state === 'running' || state?.state === 'stopping';
  const tick = useTick(running ? 1000 : 3000);
  const reload = useCallback(() => setReloads((n) => n + 1), []);

  useEffect(() => {
    let live = true;
    void Promise.all([loadState(), labEvents((state?.startedAtMs ?? Date.now()) - 60_000)]).then(
      ([s, e]) => {
        if (!live) return;
        setState(s);
        setEvents(e.events.filter((ev) => ev.kind !== 'lab'));
        setError(null);
      },
      (err: unknown) => live && setError((err as Error).message),
    );
    return () => {
      live = false;
    };
  }, [tick, reloads]);

  const last = state?.intervals[state.intervals.length - 1];
  const kinds = state ? ERROR_KINDS.filter((k) => state.intervals.some((i) => (i.errors[k] ?? 0) > 0)) : [];
  const empty = state?.startedAtMs ? 'Waiting for the first second…' : 'No load run yet: start one above.';
  return (
    <section class="load">
      <h1>Load</h1>
      <p class="muted">
        Runs a built-in scenario against the lab's edge, with the same engine as <code>cloudlab load</code>. Its metrics go to the hub (the Overview charts the active users), and a marker is drawn on every chart when load starts or stops.
      </p>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      <LoadForm running={running} onChange={reload} />
      {state?.state === 'idle' ? (
        <p class="muted" data-testid="load-empty">
          No load run yet in this lab. Pick a scenario and start it; from a terminal, <code>cloudlab load morning-rush</code> does the same with live progress and an HTML report.
        </p>
      ) : null}
      {state && state.state !== 'idle' ? (
        <p data-testid="load-state">
          <strong>{state.scenario}</strong> against {state.target} ({state.model} model): <span class={`badge ${state.state === 'failed' ? 'bad' : 'ok'}`}>{state.state}</span>
          {running && last && state.totalMs ? ` · ${Math.max(0, Math.ceil(state.totalMs / 1000 - last.second))} s left` : ''}
          {state.reportFile ? <span class="muted"> · report {state.reportFile}</span> : null}
        </p>
      ) : null}
      {state?.error ? (
        <p class="error" role="alert">
          {state.error.message} [{state.error.code}]
        </p>
      ) : null}
      {last ? (
        <div class="kpis" data-testid="load-kpis">
          <div>{last.users}<span>users</span></div>
          <div>{last.requests}<span>requests/s</span></div>
          <div>{last.p50.toFixed(1)} ms<span>p50</span></div>
          <div>{last.p95.toFixed(1)} ms<span>p95</span></div>
          <div>{last.p99.toFixed(1)} ms<span>p99</span></div>
          {state?.summary ? <div>{(state.summary.errorRatio * 100).toFixed(2)}%<span>errors (whole run)</span></div> : null}
        </div>
      ) : null}
      {state?.summary && state.summary.thresholds.length > 0 ? (
        <ul>
          {state.summary.thresholds.map((t) => (
            <li class={t.passed ? '' : 'error'}>
              {t.passed ? '✔' : '✖'} {t.metric} {t.threshold} (actual {Number(t.actual.toFixed(3))})
            </li>
          ))}
        </ul>
      ) : null}
      <div class="grid">
        <Chart window="data" title="users" unit="" series={state ? [series(state, 'users', (i) => i.users)] : []} events={events} empty={state?.intervals.length ? undefined : empty} />
        <Chart window="data" title="requests per second" unit="req/s" series={state ? [series(state, 'req/s', (i) => i.requests)] : []} events={events} empty={state?.intervals.length ? undefined : empty} />
        <Chart
          window="data"
          title="response time"
          unit="ms"
          series={state ? [series(state, 'p50', (i) => i.p50), series(state, 'p95', (i) => i.p95), series(state, 'p99', (i) => i.p99)] : []}
          events={events}
          empty={state?.intervals.length ? undefined : empty}
        />
        <Chart window="data" title="errors by kind" unit="" series={state ? kinds.map((k) => series(state, k, (i) => i.errors[k] ?? 0)) : []} events={events} empty={kinds.length > 0 ? undefined : 'No errors.'} />
      </div>
    </section>
  );
}
