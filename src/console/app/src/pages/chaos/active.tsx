/** Everything injected right now (toxics, disabled proxies, flags), and one "Reset all". */
import { useState } from 'preact/hooks';
import { clearFlags, resetProxies } from './chaos-api.js';
import type { FlagValue } from './chaos-api.js';
import { describeToxic } from './toxic-types.js';
import type { Proxy } from './toxic-types.js';

export interface ActiveProps {
  proxies: Proxy[];
  flags: Record<string, FlagValue>;
  onChange: () => void;
}

export function Active({ proxies, flags, onChange }: ActiveProps) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const items = [
    ...proxies.filter((p) => !p.enabled).map((p) => ({ key: `proxy:${p.name}`, text: `${p.name} proxy disabled (outage)` })),
    ...proxies.flatMap((p) => p.toxics.map((t) => ({ key: `toxic:${p.name}:${t.name}`, text: `${p.name}: ${t.name}, ${describeToxic(t)}` }))),
    ...Object.entries(flags).map(([k, v]) => ({ key: `flag:${k}`, text: `flag ${k} = ${JSON.stringify(v)}` })),
  ];

  const resetAll = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    // Both, even when one fails: the other half of the lab still gets cleaned.
    const results = await Promise.allSettled([resetProxies(), clearFlags()]);
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
    if (failed.length) setError(`Reset all did not finish: ${failed.join('; ')}`);
    setBusy(false);
    onChange();
  };

  return (
    <section aria-labelledby="active-title" class="active-faults">
      <div class="section-head">
        <h2 id="active-title">Active faults ({items.length})</h2>
        <button type="button" class="danger" disabled={busy} onClick={() => void resetAll()}>
          Reset all
        </button>
      </div>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {items.length === 0 ? (
        <p class="muted" data-testid="no-active-faults">
          Nothing injected: the lab runs clean. Pick a scenario below, or add a toxic to a proxy.
        </p>
      ) : (
        <ul>
          {items.map((i) => (
            <li key={i.key} data-testid="active-fault">
              {i.text}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
