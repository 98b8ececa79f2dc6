/** Drills: the lab's past drills (`GET /api/drills`, newest first), refreshed every few seconds. */
import { useEffect, useState } from 'preact/hooks';
import { useTick } from '../time-range.js';
import { DrillRow } from './drills/drill-row.js';
import { listDrills } from './drills/drills-api.js';
import type { DrillListing } from './drills/drills-api.js';
import './drills/drills.css';

export function Drills() {
  const tick = useTick(4000);
  const [drills, setDrills] = useState<DrillListing[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    listDrills().then(
      (list) => {
        if (!live) return;
        setDrills(list);
        setError(null);
      },
      (err: Error) => live && setError(err.message),
    );
    return () => {
      live = false;
    };
  }, [tick]);

  return (
    <section class="drills">
      <h1>Drills</h1>
      <p class="muted">
        A drill states a claim about the lab ("customers barely notice when a replica dies"), checks the steady state, injects the faults under load, and says whether the claim held. Run one from a terminal; its verdict, journal and report land here.
      </p>
      {error ? (
        <p class="error" role="alert">
          Could not list the drills: {error}
        </p>
      ) : null}
      {drills === null ? (
        error ? null : <p class="muted">Loading the drills…</p>
      ) : drills.length === 0 ? (
        <p class="empty" data-testid="drills-empty">
          No drills yet: run <code>cloudlab drill examples/drills/replica-failover.yaml</code>
        </p>
      ) : (
        <ol class="drill-list" aria-label="Past drills, newest first">
          {drills.map((d) => (
            <DrillRow key={d.id} drill={d} nowMs={Date.now()} />
          ))}
        </ol>
      )}
    </section>
  );
}
