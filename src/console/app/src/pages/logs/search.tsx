/** Search mode: GET /api/logs for the time range (or for one trace, whenever it happened). */
import { useEffect, useState } from 'preact/hooks';
import { request } from '../../api.js';
import { href } from '../../router.js';
import { useTimeRange } from '../../time-range.js';
import { LogLine } from './log-line.js';
import type { LogRecord } from './log-line.js';

interface Answer {
  data: LogRecord[];
  stats: { returned: number; matched: number; stored: number; dropped: number };
}

export function SearchLogs({ query, traceId, spanId, edge }: { query: string; traceId: string; spanId: string; edge: string }) {
  const { minutes } = useTimeRange();
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [asOf, setAsOf] = useState(0);

  useEffect(() => {
    let live = true;
    const p = new URLSearchParams(query);
    p.set('limit', '1000');
    const nowMs = Date.now();
    if (!p.has('traceId')) {
      p.set('start', String(nowMs - minutes * 60_000));
      p.set('end', String(nowMs));
    }
    request<Answer>(`/api/hub/api/logs?${p}`).then(
      (a) => live && (setAnswer(a), setError(null), setAsOf(nowMs)),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [query, minutes, attempt]);

  const all = answer?.data ?? [];
  const ordered = traceId ? [...all].sort((a, b) => a.timeUnixUs - b.timeUnixUs) : all;
  const shown = spanId ? ordered.filter((r) => r.spanId === spanId) : ordered;
  return (
    <>
      <div class="log-controls">
        <button type="button" onClick={() => setAttempt(attempt + 1)}>Refresh</button>
        <span class="muted">
          {answer
            ? `${shown.length} line${shown.length === 1 ? '' : 's'}${answer.stats.matched > answer.stats.returned ? ` (the newest ${answer.stats.returned} of ${answer.stats.matched} matches)` : ''}, ${traceId ? (traceId && spanId ? 'of one span, ' : 'of one trace, ') : `last ${minutes} min, `}${traceId ? 'oldest first' : 'newest first'}, as of ${new Date(asOf).toLocaleTimeString([], { hour12: false })}`
            : 'Searching…'}
        </span>
        {spanId ? (
          <span>
            Only span <code>{spanId}</code> ({shown.length} of {all.length} lines of the trace) · <a href={href('logs', [], { traceId })}>Show every line of the trace</a>
          </span>
        ) : null}
        {traceId ? <a href={href('traces', [traceId])}>Open the trace</a> : null}
      </div>
      {error ? <p class="error" role="alert">Could not search the logs: {error}</p> : null}
      {answer && shown.length === 0 ? (
        <p class="empty">
          {traceId
            ? spanId && all.length
              ? 'This span wrote no log lines; the other spans of its trace did: show every line of the trace above.'
              : 'No log lines for this trace: its services logged nothing with its trace id, or the lines have not arrived yet (press Refresh).'
            : <>No log lines in this time range: send a request to <a href={`${edge}/menu`} target="_blank" rel="noreferrer">{edge}/menu</a>, widen the time range, or loosen the filters.</>}
        </p>
      ) : null}
      {shown.length ? (
        <ol class="log-list" aria-label="Log lines">
          {shown.map((r) => <LogLine record={r} />)}
        </ol>
      ) : null}
    </>
  );
}
