/**
 * Everything that makes the lab misbehave now (`GET /api/chaos`: chaos faults, toxics, disabled
 * proxies, flags), a countdown for the ones the lab removes by itself, Remove per fault, and
 * "Reset all". Changes to the list are read out through a polite live region.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { useTick } from '../../time-range.js';
import { removeFault, resetChaos } from './faults-api.js';
import type { ActiveFault } from './faults-api.js';
import { formatCountdown } from './scenario-checks.js';

export interface ActiveProps {
  /** null until loaded. */
  faults: ActiveFault[] | null;
  onChange: () => void;
}

const ORIGIN: Record<ActiveFault['origin'], string> = { chaos: 'chaos', proxy: 'proxy API', flag: 'flag' };

const describe = (f: ActiveFault): string => `${f.scenario}: ${f.detail}`;

/** "latency 300 ms on postgres added; flag cpuHog removed" between two loads of the list. */
function changes(before: ActiveFault[], after: ActiveFault[]): string {
  const was = new Map(before.map((f) => [f.id, f]));
  const now = new Map(after.map((f) => [f.id, f]));
  const added = after.filter((f) => !was.has(f.id)).map((f) => `${describe(f)} added`);
  const gone = before.filter((f) => !now.has(f.id)).map((f) => `${describe(f)} removed`);
  return [...added, ...gone].join('; ');
}

function Countdown({ fault, nowMs }: { fault: ActiveFault; nowMs: number }) {
  if (fault.expiresAtMs === null) return <span class="muted">until removed</span>;
  const left = fault.expiresAtMs - nowMs;
  return (
    <span class="countdown" data-testid="fault-countdown">
      {left > 0 ? `removed by the lab in ${formatCountdown(left)}` : 'being removed by the lab…'}
    </span>
  );
}

export function Active({ faults, onChange }: ActiveProps) {
  useTick(1000); // the countdowns
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const previous = useRef<ActiveFault[] | null>(null);
  /** Set after Remove or Reset all: their own message is read out, not the list's change. */
  const acted = useRef(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const list = faults ?? [];

  useEffect(() => {
    if (faults === null) return;
    if (previous.current !== null) {
      const said = changes(previous.current, faults);
      if (said && !acted.current) setAnnouncement(`Active faults: ${said}.`);
      if (said) acted.current = false;
    }
    previous.current = faults;
  }, [faults]);

  const act = async (key: string, what: () => Promise<ActiveFault[]>, done: (removed: ActiveFault[]) => string): Promise<void> => {
    setBusy(key);
    setError(null);
    try {
      const removed = await what();
      setAnnouncement(done(removed));
      acted.current = removed.length > 0;
      // The button that was pressed is gone: keep the focus in the section.
      heading.current?.focus();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(null);
      onChange();
    }
  };

  const resetAll = (): Promise<void> => act('reset', resetChaos, (removed) => `Reset all removed ${removed.length} fault${removed.length === 1 ? '' : 's'}${removed.length ? `: ${removed.map(describe).join('; ')}` : ''}.`);

  return (
    <section aria-labelledby="active-title" class="active-faults">
      <div class="section-head">
        <h2 id="active-title" ref={heading} tabIndex={-1}>
          Active faults ({list.length})
        </h2>
        <button type="button" class="danger" disabled={busy !== null} aria-describedby="reset-all-what" onClick={() => void resetAll()}>
          Reset all
        </button>
        <span id="reset-all-what" class="muted small">
          removes every fault, toxic and flag
        </span>
      </div>
      <p class="sr-only" role="status" aria-live="polite" data-testid="active-announcement">
        {announcement}
      </p>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {faults === null ? (
        <p class="muted">Loading the active faults…</p>
      ) : list.length === 0 ? (
        <p class="muted" data-testid="no-active-faults">
          Nothing injected: the lab runs clean. Pick a scenario below, or add a toxic to a proxy.
        </p>
      ) : (
        <ul class="fault-list">
          {list.map((f) => (
            <li key={f.id} data-testid="active-fault" data-fault-id={f.id}>
              <span class="fault-what">
                <strong>{f.scenario}</strong> <span>{f.detail}</span>
              </span>
              <span class="badge" title="how it was injected">
                {ORIGIN[f.origin]} · <code>{f.id}</code>
              </span>
              <Countdown fault={f} nowMs={Date.now()} />
              <button type="button" disabled={busy !== null} aria-label={`Remove ${f.scenario}: ${f.detail}`} onClick={() => void act(f.id, () => removeFault(f.id), (removed) => `Removed ${removed.map(describe).join('; ')}.`)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
