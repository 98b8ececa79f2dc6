/** Live mode: the tail with pause/resume and a bounded list, newest first. */
import { useState } from 'preact/hooks';
import { useTimeRange } from '../../time-range.js';
import { LogLine } from './log-line.js';
import { useTail } from './use-tail.js';

const MAX_LINES = 500;

export function LiveLogs({ query, filtered, edge }: { query: string; filtered: boolean; edge: string }) {
  const { minutes } = useTimeRange();
  const [paused, setPaused] = useState(false);
  const tail = useTail(query, minutes, paused, MAX_LINES);
  const stateText = {
    connecting: 'Connecting…',
    live: paused ? 'Paused' : 'Live',
    reconnecting: 'Connection lost: reconnecting…',
    unauthorized: 'The control API answered 401: open the console link that `cloudlab up` printed (it carries ?token=…).',
  }[tail.state];
  return (
    <>
      <div class="log-controls">
        <button type="button" class={paused ? 'primary' : ''} aria-pressed={paused} onClick={() => setPaused(!paused)}>
          {paused ? `Resume${tail.pending ? ` (${tail.pending} new)` : ''}` : 'Pause'}
        </button>
        <button type="button" onClick={tail.clear}>Clear</button>
        <span class={`tail-state ${tail.state}`} role="status">
          <span class="tail-dot" aria-hidden="true" /> {stateText}
        </span>
        <span class="muted">
          {tail.lines.length} line{tail.lines.length === 1 ? '' : 's'} (the last {MAX_LINES} are kept; starts with the last {minutes} min)
        </span>
      </div>
      {tail.lines.length === 0 ? (
        <p class="empty">
          {tail.state === 'live'
            ? filtered
              ? 'No lines match these filters yet: loosen them, or wait for new lines.'
              : <>No log lines yet: send a request to <a href={`${edge}/menu`} target="_blank" rel="noreferrer">{edge}/menu</a>; lines appear here as the services write them.</>
            : stateText}
        </p>
      ) : (
        <ol class="log-list" aria-label="Log lines, newest first">
          {tail.lines.map((r) => <LogLine record={r} />)}
        </ol>
      )}
    </>
  );
}
