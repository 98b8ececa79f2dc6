/** A short summary of one drill's journal: its phases, faults, load, invariants and rollbacks. */
import { formatDurationMs } from './drill-format.js';
import type { FaultRecord, Journal } from './drills-api.js';

const mark = (ok: boolean) => <span aria-label={ok ? 'held' : 'did not hold'}>{ok ? '✔' : '✖'}</span>;

function faultLine(f: FaultRecord, methodStartMs: number | null): string {
  const what = `${f.scenario}${f.target ? ` on ${f.target}` : ''}${f.value === null ? '' : ` (${f.value})`}`;
  if (f.error) return `${what}: not injected, ${f.error}`;
  const at = f.injectedAtMs !== null && methodStartMs !== null ? ` at +${formatDurationMs(f.injectedAtMs - methodStartMs)}` : '';
  const removed =
    f.removedBy === 'instant' ? 'at once, nothing to remove' : f.removedAtMs !== null && f.injectedAtMs !== null ? `removed by the ${f.removedBy ?? 'drill'} after ${formatDurationMs(f.removedAtMs - f.injectedAtMs)}` : 'not removed';
  return `${what}${at}: ${f.detail ?? ''}${f.detail ? '; ' : ''}${removed}`;
}

export function JournalSummary({ journal: j }: { journal: Journal }) {
  const method = j.phases.find((p) => p.name === 'method');
  const samples = j.results.filter((r) => r.phase === 'method');
  const failedSamples = samples.filter((r) => !r.ok).length;
  const load = j.load?.summary;
  return (
    <div class="journal-summary" data-testid="drill-summary">
      {j.drill.description ? <p>{j.drill.description}</p> : null}
      <p class="muted">
        File <code>{j.drill.file}</code>
      </p>
      <h4>Phases</h4>
      <ol class="phases">
        {j.phases.map((p) => (
          <li>
            <strong>{p.name}</strong>: {p.status} ({formatDurationMs(p.endedAtMs - p.startedAtMs)}){p.note ? `, ${p.note}` : ''}
          </li>
        ))}
      </ol>
      {j.faults.length > 0 ? (
        <>
          <h4>Faults</h4>
          <ul>
            {j.faults.map((f) => (
              <li>{faultLine(f, method?.startedAtMs ?? null)}</li>
            ))}
          </ul>
        </>
      ) : null}
      {samples.length > 0 ? (
        <p>
          Probes during the method: {samples.length} sample{samples.length === 1 ? "" : "s"}, {failedSamples} failed.
        </p>
      ) : null}
      {load ? (
        <p>
          Load <code>{load.scenario}</code>: {load.requests} requests, {load.requestsPerSecond.toFixed(1)} req/s, {(load.errorRatio * 100).toFixed(2)} % errors, p95 {load.responseTime.p95.toFixed(1)} ms.
        </p>
      ) : j.load?.error ? (
        <p class="error">Load: {j.load.error}</p>
      ) : null}
      {j.capacity ? (
        <p>
          {mark(j.capacity.ok)} Capacity at p95 ≤ {j.capacity.objectiveP95Ms} ms: {j.capacity.capacityRps === null ? 'no data' : `${j.capacity.capacityRps.toFixed(1)} req/s`}
          {j.capacity.crossed ? ' (the objective was crossed; the load stopped there)' : ' (never crossed)'}
        </p>
      ) : null}
      {j.invariants.length > 0 ? (
        <>
          <h4>Invariants</h4>
          <ul class="checks">
            {j.invariants.map((i) => (
              <li>
                {mark(i.ok)} {i.name}: {i.detail}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {j.rollbacks.length > 0 ? (
        <>
          <h4>Rollbacks</h4>
          <ul class="checks">
            {j.rollbacks.map((r) => (
              <li>
                {mark(r.ok)} {r.action}: {r.detail}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
