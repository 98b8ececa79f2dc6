/** Chaos: what is active now, the named scenarios, every proxy with its toxics, and the failure flags. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { labStatus } from '../api.js';
import type { LabStatus } from '../api.js';
import { useTick } from '../time-range.js';
import { Active } from './chaos/active.js';
import { listFlags, listProxies } from './chaos/chaos-api.js';
import type { FlagValue } from './chaos/chaos-api.js';
import { listFaults, listScenarios } from './chaos/faults-api.js';
import type { ActiveFault, ChaosScenarioInfo } from './chaos/faults-api.js';
import { Flags, KNOWN_FLAGS } from './chaos/flags.js';
import { ProxyCard } from './chaos/proxy-card.js';
import { Scenarios } from './chaos/scenarios.js';
import type { Proxy } from './chaos/toxic-types.js';
import './chaos/chaos.css';

interface Loaded {
  faults: ActiveFault[] | null;
  scenarios: ChaosScenarioInfo[] | null;
  proxies: Proxy[] | null;
  flags: Record<string, FlagValue> | null;
  status: LabStatus | null;
  errors: string[];
}

const LOADS = [
  ['Active faults', listFaults],
  ['Scenarios', listScenarios],
  ['Proxies', listProxies],
  ['Flags', listFlags],
  ['Lab status', labStatus],
] as const;

export function Chaos() {
  const tick = useTick(2000);
  const [reloads, setReloads] = useState(0);
  const [data, setData] = useState<Loaded>({ faults: null, scenarios: null, proxies: null, flags: null, status: null, errors: [] });
  const reload = useCallback(() => setReloads((n) => n + 1), []);

  useEffect(() => {
    let live = true;
    void Promise.allSettled(LOADS.map(([, load]) => load())).then((results) => {
      if (!live) return;
      const errors = results.flatMap((r, i) => (r.status === 'rejected' ? [`${LOADS[i]![0]}: ${(r.reason as Error).message}`] : []));
      const value = <T,>(i: number, prev: T): T => {
        const r = results[i]!;
        return r.status === 'fulfilled' ? (r.value as T) : prev;
      };
      // Keep what was loaded last when a part does not answer (a restart): the page stays usable.
      setData((prev) => ({
        faults: value(0, prev.faults),
        scenarios: value(1, prev.scenarios),
        proxies: value(2, prev.proxies),
        flags: value(3, prev.flags),
        status: value(4, prev.status),
        errors,
      }));
    });
    return () => {
      live = false;
    };
  }, [tick, reloads]);

  const proxies = data.proxies ?? [];
  const flags = data.flags ?? {};
  const choices = {
    proxies: data.proxies?.map((p) => p.name) ?? null,
    services: (data.status?.parts ?? []).filter((p) => p.kind === 'service').map((p) => p.name),
    flags: [...new Set([...KNOWN_FLAGS.map((f) => f.key), ...Object.keys(flags)])],
  };
  return (
    <section class="chaos">
      <h1>Chaos</h1>
      <p class="muted">
        Inject faults into the lab and watch what they do on the Overview. Every fault is drawn as a marker on the charts; one with a duration is removed by the lab itself when its time is up.
      </p>
      {data.errors.map((e) => (
        <p class="error" role="alert">
          {e}
        </p>
      ))}
      <Active faults={data.faults} onChange={reload} />
      <Scenarios scenarios={data.scenarios} choices={choices} onChange={reload} />
      <section aria-labelledby="proxies-title">
        <h2 id="proxies-title">Proxies</h2>
        {data.proxies === null ? (
          <p class="muted">Loading the proxies…</p>
        ) : proxies.length === 0 ? (
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
