/**
 * A real hub for drill tests (createHub on free ports) and a way to push a gauge into
 * it over OTLP/HTTP JSON, as a service's exporter would; probes then read it back
 * through the Prometheus query API.
 */
import type { TestContext } from 'node:test';
import { createHub } from '../../../src/telemetry/index.js';

export interface TestHub {
  queryUrl: string;
  otlpUrl: string;
  /** Pushes `name{labels} = value` with the current time; resolves once the hub accepted it. */
  push(name: string, value: number, labels?: Record<string, string>): Promise<void>;
}

export async function startHub(t: TestContext): Promise<TestHub> {
  const hub = createHub({ otlpHttpPort: 0, otlpGrpcPort: 0, queryPort: 0 });
  const addresses = await hub.listen();
  t.after(() => hub.close());
  let lastNs = 0n;
  return {
    queryUrl: addresses.query.url,
    otlpUrl: addresses.otlpHttp.url,
    async push(name, value, labels = {}) {
      // Strictly increasing times, so a second push in the same millisecond is the newer sample.
      let ns = BigInt(Date.now()) * 1_000_000n;
      if (ns <= lastNs) ns = lastNs + 1_000_000n;
      lastNs = ns;
      const attributes = Object.entries(labels).map(([key, v]) => ({ key, value: { stringValue: v } }));
      const body = {
        resourceMetrics: [{
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'drill-test' } }] },
          scopeMetrics: [{ scope: { name: 'drill-test' }, metrics: [{ name, gauge: { dataPoints: [{ asDouble: value, timeUnixNano: ns.toString(), attributes }] } }] }],
        }],
      };
      const res = await fetch(`${addresses.otlpHttp.url}/v1/metrics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const text = await res.text();
      if (!res.ok || text.includes('rejected')) throw new Error(`the hub refused the push: ${res.status} ${text}`);
    },
  };
}
