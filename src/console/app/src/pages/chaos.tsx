/** Chaos: every proxy with its toxics, named scenarios, failure flags, and what is active. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { labStatus } from '../api.js';
import type { LabStatus } from '../api.js';
import { useTick } from '../time-range.js';
import { Active } from './chaos/active.js';
import { listFlags, listProxies } from './chaos/chaos-api.js';
import type { FlagValue } from './chaos/chaos-api.js';
import { Flags } from './chaos/flags.js';
import { ProxyCard } from './chaos/proxy-card.js';
import { Scenarios } from './chaos/scenarios.js';
import type { Proxy } from './chaos/toxic-types.js';
import './chaos/chaos.css';

interface Loaded {
  proxies: Proxy[] | null;
  flags: Record<string, FlagValue> | null;
  status: LabStatus | null;
  errors: string[];
}

export function Chaos() {
  const tick = useTick(2000);
  const [reloads, setReloads] = useState(0);
  const [data, setData] = useState<Loaded>({ proxies: null, flags: null, status: null, errors: [] });
  const reload = useCallback(() => setReloads((n) => n + 1), []);

  useEffect(() => {
    let live = true;
    void Promise.allSettled([listProxies(), listFlags(), labStatus()]).then(([proxies, flags, status]) => {
      if (!live) return;
      const errors: string[] = [];
      if (proxies.status === 'rejected') errors.push(`Proxies: ${(proxies.reason as Error).message}`);
      if (flags.status === 'rejected') errors.push(`Flags: ${(flags.reason as Error).message}`);
      if (status.status === 'rejected') errors.push(`Lab status: ${(status.reason as Error).message}`);
      // Keep what was loaded last when a part does not answer (a restart): the page stays usable.
      setData((prev) => ({
        proxies: proxies.status === 'fulfilled' ? proxies.value : prev.proxies,
        flags: flags.status === 'fulfilled' ? flags.value : prev.flags,
        status: status.status === 'fulfilled' ? status.value : prev.status,
        errors,
      }));
    });
    return () => {
      live = false;
    };
  }, [tick, reloads]);

  const proxies = data.proxies ?? [];
  const flags = data.flags ?? {};
  return (
    <section class="chaos">
      <h1>Chaos</h1>
      <p class="muted">
        Inject faults into the lab and watch what they do on the Overview. Every fault is drawn as a marker on the charts.
      </p>
      {data.errors.map((e) => (
        <p class="error" role="alert">
          {e}
        </p>
      ))}
      {data.proxies === null && data.errors.length === 0 ? <p class="muted">Loading the proxies and flags…</p> : null}
      <Active proxies={proxies} flags={flags} onChange={reload} />
      <Scenarios proxies={data.proxies} status={data.status} onChange={reload} />
      <section aria-labelledby="proxies-title">
        <h2 id="proxies-title">Proxies</h2>
        {data.proxies !== null && proxies.length === 0 ? (
          <p class="muted">This lab has no proxies. Put a dependency behind one with <code>proxy:</code> in cloudlab.yaml (postgres and the cache always have one).</p>
        ) : (
          <div class="proxies">
            {proxies.map((p) => (
              <ProxyCard key={p.name} proxy={p} onChange={reload} />
            ))}
          </div>
        )}
      </section>
      <Flags flags={flags} onChange={reload} />
    </section>
  );
}
