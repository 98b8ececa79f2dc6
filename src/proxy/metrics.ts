import type { Proxy } from './proxy.js';

/** Escapes a label value for the Prometheus text format. */
function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  samples: string[];
}

/**
 * Per-proxy stats in the Prometheus text exposition format (0.0.4). Byte counters
 * use Toxiproxy's metric names so its dashboards keep working; the rest are ours.
 */
export function renderMetrics(proxies: readonly Proxy[]): string {
  const families: Family[] = [
    { name: 'toxiproxy_proxy_received_bytes_total', help: 'Bytes read from the source side, by direction.', type: 'counter', samples: [] },
    { name: 'toxiproxy_proxy_sent_bytes_total', help: 'Bytes written to the destination side, by direction.', type: 'counter', samples: [] },
    { name: 'cloudlab_proxy_connections_open', help: 'Connections open through the proxy now.', type: 'gauge', samples: [] },
    { name: 'cloudlab_proxy_connections_total', help: 'Connections accepted by the proxy.', type: 'counter', samples: [] },
    { name: 'cloudlab_proxy_enabled', help: '1 when the proxy listens, 0 when disabled.', type: 'gauge', samples: [] },
    { name: 'cloudlab_proxy_toxic_activations_total', help: 'Times a toxic acted on a connection (or an HTTP request, for http_* toxics).', type: 'counter', samples: [] },
  ];
  const [received, sent, open, total, enabled, activations] = families as [Family, Family, Family, Family, Family, Family];
  for (const p of proxies) {
    const base = `proxy="${label(p.name)}",listener="${label(p.listen)}",upstream="${label(p.upstream)}"`;
    for (const direction of ['upstream', 'downstream'] as const) {
      received.samples.push(`{direction="${direction}",${base}} ${p.stats.bytes[direction].received}`);
      sent.samples.push(`{direction="${direction}",${base}} ${p.stats.bytes[direction].sent}`);
    }
    open.samples.push(`{${base}} ${p.stats.connectionsOpen}`);
    total.samples.push(`{${base}} ${p.stats.connectionsTotal}`);
    enabled.samples.push(`{${base}} ${p.enabled ? 1 : 0}`);
    for (const a of p.stats.activations.values()) {
      activations.samples.push(`{proxy="${label(p.name)}",toxic="${label(a.name)}",type="${a.type}",stream="${a.stream}"} ${a.count}`);
    }
  }
  return families
    .map((f) => [`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`, ...f.samples.map((s) => f.name + s)].join('\n'))
    .join('\n')
    .concat('\n');
}
