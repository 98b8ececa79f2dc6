/**
 * One past drill: its verdict badge, name, when and how long, the reasons, a link to its HTML
 * report (a new tab), and a summary of its journal that loads on expand.
 */
import { useState } from 'preact/hooks';
import { ago, formatDurationMs, verdictBadge } from './drill-format.js';
import { drillJournal, reportUrl } from './drills-api.js';
import type { DrillListing, Journal } from './drills-api.js';
import { JournalSummary } from './journal-summary.js';

export function VerdictBadge({ verdict }: { verdict: string }) {
  const b = verdictBadge(verdict);
  return (
    <span class={`badge verdict ${b.tone}`} title={b.meaning} data-testid="verdict">
      <span aria-hidden="true">{b.icon}</span> {b.label}
    </span>
  );
}

export function DrillRow({ drill: d, nowMs }: { drill: DrillListing; nowMs: number }) {
  const [open, setOpen] = useState(false);
  const [journal, setJournal] = useState<Journal | null>(null);
  const [error, setError] = useState<string | null>(null);
  const summaryId = `drill-${d.id}-summary`;

  const toggle = (): void => {
    setOpen(!open);
    if (open || journal) return;
    setError(null);
    drillJournal(d.id).then(setJournal, (err: Error) => setError(err.message));
  };

  return (
    <li class="drill" data-testid="drill-row" data-drill-id={d.id}>
      <div class="drill-head">
        <VerdictBadge verdict={d.verdict} />
        <h2 class="drill-name">{d.name}</h2>
        <span class="muted">
          <time dateTime={new Date(d.startedAtMs).toISOString()} title={new Date(d.startedAtMs).toLocaleString()}>
            {new Date(d.startedAtMs).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' })}
          </time>{' '}
          ({ago(d.startedAtMs, nowMs)}) · took {formatDurationMs(d.endedAtMs - d.startedAtMs)}
        </span>
        <span class="drill-actions">
          <a href={reportUrl(d.id)} target="_blank" rel="noopener" data-testid="drill-report">
            Report<span class="sr-only"> of {d.name} (opens in a new tab)</span>
          </a>
          <button type="button" aria-expanded={open} aria-controls={summaryId} onClick={toggle}>
            {open ? 'Hide summary' : 'Summary'}
            <span class="sr-only"> of {d.name}</span>
          </button>
        </span>
      </div>
      {d.reasons.length > 0 ? (
        <ul class="reasons">
          {d.reasons.map((r) => (
            <li>{r}</li>
          ))}
        </ul>
      ) : d.verdict === 'passed' ? (
        <p class="muted reasons">Every check held.</p>
      ) : null}
      <div id={summaryId} hidden={!open}>
        {error ? (
          <p class="error" role="alert">
            Could not load the journal: {error}
          </p>
        ) : journal ? (
          <JournalSummary journal={journal} />
        ) : open ? (
          <p class="muted">Loading the journal…</p>
        ) : null}
      </div>
    </li>
  );
}
