/** One-click named scenarios, and killing a replica picked from the lab's status. */
import { useState } from 'preact/hooks';
import type { LabStatus } from '../../api.js';
import { href } from '../../router.js';
import { killReplica, putToxic, setFlag, setProxyEnabled } from './chaos-api.js';
import type { Proxy } from './toxic-types.js';

interface Scenario {
  id: string;
  title: string;
  what: string;
  /** The proxy it needs, if any. */
  proxy?: string;
  run: () => Promise<unknown>;
}

export const DB_LATENCY_TOXIC = 'scenario_db_latency';

const SCENARIOS: Scenario[] = [
  {
    id: 'db-latency',
    title: 'Database latency',
    what: 'adds 300 ms to every reply from postgres (a latency toxic)',
    proxy: 'postgres',
    run: () => putToxic('postgres', { name: DB_LATENCY_TOXIC, type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 300, jitter: 0 } }),
  },
  { id: 'db-outage', title: 'Database outage', what: 'disables the postgres proxy: connections are refused', proxy: 'postgres', run: () => setProxyEnabled('postgres', false) },
  { id: 'cache-outage', title: 'Cache outage', what: 'disables the cache proxy: the menu falls back to postgres', proxy: 'cache', run: () => setProxyEnabled('cache', false) },
  { id: 'payment-errors', title: 'Payment errors', what: 'sets the flag paymentFailureRate to 0.5: half of the charges answer 503', run: () => setFlag('paymentFailureRate', 0.5) },
];

export interface ScenariosProps {
  /** null until loaded. */
  proxies: Proxy[] | null;
  status: LabStatus | null;
  onChange: () => void;
}

export function Scenarios({ proxies, status, onChange }: ScenariosProps) {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const replicas = (status?.parts ?? []).flatMap((p) => (p.replicas ?? []).map((r) => ({ ...r, service: p.name })));
  const [replica, setReplica] = useState('');
  const chosen = replicas.find((r) => r.id === replica) ?? replicas[0];

  const act = async (label: string, what: () => Promise<unknown>, after: string): Promise<void> => {
    setBusy(true);
    setMessage(null);
    try {
      await what();
      setMessage({ ok: true, text: `${label}: ${after}` });
      onChange();
    } catch (err) {
      setMessage({ ok: false, text: `${label} failed: ${(err as Error).message}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="scenarios-title">
      <h2 id="scenarios-title">Scenarios</h2>
      <ul class="scenarios">
        {SCENARIOS.map((s) => {
          const missing = s.proxy !== undefined && proxies !== null && !proxies.some((p) => p.name === s.proxy);
          return (
            <li>
              <button type="button" class="primary" disabled={busy || missing || (s.proxy !== undefined && proxies === null)} aria-describedby={`scenario-${s.id}`} onClick={() => void act(s.title, s.run, 'injected. Watch the Overview charts; reset it from the Active list.')}>
                {s.title}
              </button>
              <span id={`scenario-${s.id}`} class="muted">
                {missing ? `needs a proxy named "${s.proxy}", which this lab does not have` : s.what}
              </span>
            </li>
          );
        })}
        <li>
          <label for="kill-replica" class="sr-only">
            Replica to kill
          </label>
          <select id="kill-replica" value={chosen?.id ?? ''} disabled={replicas.length === 0} onChange={(e) => setReplica((e.target as HTMLSelectElement).value)}>
            {replicas.length === 0 ? <option value="">no replicas</option> : null}
            {replicas.map((r) => (
              <option value={r.id}>
                {r.id} ({r.state}, pid {r.pid ?? '–'}, {r.restarts} restarts)
              </option>
            ))}
          </select>
          <button type="button" class="danger" disabled={busy || !chosen} aria-describedby="scenario-kill" onClick={() => chosen && void act(`Kill ${chosen.id}`, () => killReplica(chosen.id), 'sent SIGKILL, as a crash would; the restart policy brings it back.')}>
            Kill replica
          </button>
          <span id="scenario-kill" class="muted">
            sends SIGKILL to one replica; the edge routes around it while it restarts
          </span>
        </li>
      </ul>
      <p role="status" class={message && !message.ok ? 'error' : 'muted'}>
        {message ? message.text : null}
        {message?.ok ? (
          <>
            {' '}
            <a href={href('overview')}>Open the Overview</a>
          </>
        ) : null}
      </p>
    </section>
  );
}
