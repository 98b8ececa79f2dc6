/** Replicas with their health: what the lab's supervisor says (state, restarts, port) beside what the edge says (in rotation or not). */
import { useEffect, useState } from 'preact/hooks';
import { queryInstant } from '../../api.js';
import type { LabEvent, LabStatus } from '../../api.js';
import { useTick } from '../../time-range.js';
import { RangeChart } from './range-chart.js';

type Part = LabStatus['parts'][number];

/** `service/backend` → in rotation at the edge; null until the first answer. */
function useEdgeRotation(): { rotation: Map<string, boolean> | null; error: string | null } {
  const tick = useTick();
  const [state, setState] = useState<{ rotation: Map<string, boolean> | null; error: string | null }>({ rotation: null, error: null });
  useEffect(() => {
    let live = true;
    queryInstant('cloudlab_edge_backend_up').then(
      (rows) => live && setState({ rotation: new Map(rows.map((r) => [`${r.metric['service'] ?? ''}/${r.metric['backend'] ?? ''}`, r.value[1] === '1'])), error: null }),
      (e: Error) => live && setState((s) => ({ ...s, error: e.message })),
    );
    return () => {
      live = false;
    };
  }, [tick]);
  return state;
}

function rotationCell(up: boolean | undefined, known: boolean) {
  if (!known) return <span class="muted">…</span>;
  if (up === undefined) return <span class="muted">no edge</span>;
  return <span class={`badge ${up ? 'ok' : 'bad'}`}>{up ? 'in rotation' : 'out of rotation'}</span>;
}

export function Replicas({ services, events }: { services: Part[]; events: LabEvent[] }) {
  const { rotation, error } = useEdgeRotation();
  const rows = services.flatMap((s) => (s.replicas ?? []).map((r) => ({ service: s.name, ...r })));
  return (
    <div class="grid ov-replicas">
      <div class="ov-panel">
        <table>
          <caption class="sr-only">Replicas of every service</caption>
          <thead>
            <tr>
              <th scope="col">Replica</th>
              <th scope="col">State</th>
              <th scope="col">Edge</th>
              <th scope="col">Restarts</th>
              <th scope="col">Port</th>
              <th scope="col">PID</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={6} class="empty">No replicas: the lab runs no services. Add services to cloudlab.yaml and run cloudlab up.</td>
              </tr>
            ) : (
              rows.map((r) => (
                <tr>
                  <th scope="row">{r.id}</th>
                  <td>
                    <span class={`badge ${r.state === 'ready' ? 'ok' : 'bad'}`}>{r.state}</span>
                  </td>
                  <td>{rotationCell(rotation?.get(`${r.service}/${r.id}`), rotation !== null)}</td>
                  <td>{r.restarts}</td>
                  <td>{r.port}</td>
                  <td>{r.pid ?? '–'}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
        {error ? <p class="error ov-note" role="alert">Edge health: {error}</p> : null}
      </div>
      <RangeChart
        title="edge · replicas in rotation (1 in, 0 out)"
        query="max by (service, backend) (cloudlab_edge_backend_up)"
        label={(m) => `${m['service'] ?? '?'} · ${m['backend'] ?? '?'}`}
        events={events}
        empty="No edge in this lab: services with replicas get one from cloudlab up."
      />
    </div>
  );
}
