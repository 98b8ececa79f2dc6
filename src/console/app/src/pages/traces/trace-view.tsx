/** One trace at #/traces/<traceId>: its summary, links to its logs and the waterfall. */
import { useEffect, useState } from 'preact/hooks';
import { href } from '../../router.js';
import { useTick } from '../../time-range.js';
import { formatTime, formatUs, jaeger, serviceColor, summarize } from './jaeger.js';
import type { JaegerTrace } from './jaeger.js';
import { Waterfall } from './waterfall.js';

export function TraceView({ traceId }: { traceId: string }) {
  const [trace, setTrace] = useState<JaegerTrace | null>(null);
  const [error, setError] = useState<{ message: string; notFound: boolean } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const tick = useTick();
  // Spans of a recent trace may still be on their way (services export every few seconds): reload it meanwhile.
  const recent = trace ? Date.now() - Math.min(...trace.spans.map((s) => s.startTime)) / 1000 < 30_000 : error?.notFound === true && tick < 10;

  useEffect(() => {
    setTrace(null);
    setError(null);
  }, [traceId]);
  useEffect(() => {
    let live = true;
    jaeger<JaegerTrace[]>(`/api/traces/${encodeURIComponent(traceId)}`).then(
      (data) => {
        if (!live) return;
        setTrace(data?.[0] ?? null);
        setError(data?.[0] ? null : { message: 'The hub returned no spans for this trace.', notFound: true });
      },
      (e: Error & { status?: number }) => live && setError({ message: e.message, notFound: e.status === 404 }),
    );
    return () => {
      live = false;
    };
  }, [traceId, attempt, recent ? tick : -1]);

  const back = <a href={href('traces')}>← Back to the search</a>;
  const logs = <a href={href('logs', [], { traceId })}>All logs of this trace</a>;
  if (error && !trace) {
    return (
      <section>
        <p>{back}</p>
        <h1>Trace <code>{traceId}</code></h1>
        <p class="error" role="alert">
          {error.notFound ? 'The hub does not hold this trace: its spans may not have arrived yet (services export every few seconds) or it is older than the hub keeps.' : `Could not load the trace: ${error.message}`}
        </p>
        <p>
          <button type="button" onClick={() => setAttempt(attempt + 1)}>Try again</button> {logs}
        </p>
      </section>
    );
  }
  if (!trace) {
    return (
      <section>
        <p>{back}</p>
        <h1>Trace <code>{traceId}</code></h1>
        <p class="empty">Loading…</p>
      </section>
    );
  }
  const sum = summarize(trace);
  return (
    <section class="trace-view">
      <p>{back}</p>
      <h1>
        {sum.rootService}: {sum.rootName} <span class="muted">{formatUs(sum.durationUs)}</span>
      </h1>
      <p class="trace-meta">
        <code>{trace.traceID}</code> · started {formatTime(sum.startUs)} · {sum.spanCount} spans ·{' '}
        {sum.services.map((s) => (
          <span class="svc" style={{ '--svc': serviceColor(s) }}>{s}</span>
        ))}
        {sum.errorCount ? <span class="badge bad">{sum.errorCount} error span{sum.errorCount > 1 ? 's' : ''}</span> : <span class="badge ok">no errors</span>} · {logs} ·{' '}
        <button type="button" onClick={() => setAttempt(attempt + 1)}>Reload</button>
      </p>
      <p class="muted">Select a span (click, or Tab to it and press Enter) to see its attributes, events and errors.</p>
      <Waterfall trace={trace} startUs={sum.startUs} durationUs={sum.durationUs} />
    </section>
  );
}
