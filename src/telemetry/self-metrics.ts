import type { QueryRoute } from './contracts.js';
import type { MetricStore, OtlpTranslator } from './metrics/index.js';
import type { TraceStore } from './traces/index.js';
import type { LogStore } from './logs/index.js';

export interface SelfMetricsSources {
  metrics: MetricStore;
  translator: OtlpTranslator;
  traces: TraceStore;
  logs: LogStore;
}

type Row = [name: string, type: 'gauge' | 'counter', help: string, samples: [labels: string, value: number][]];

/** The hub's own state, in the Prometheus text format: what it holds and what it dropped. */
export function renderSelfMetrics(s: SelfMetricsSources): string {
  const m = s.metrics.stats();
  const t = s.traces.stats();
  const l = s.logs.stats();
  const d = s.translator.stats();
  const rows: Row[] = [
    ['cloudlab_hub_series', 'gauge', 'Series held by the metric store.', [['', m.series]]],
    ['cloudlab_hub_samples', 'gauge', 'Samples held by the metric store.', [['', m.samples]]],
    ['cloudlab_hub_samples_appended_total', 'counter', 'Samples accepted since the start.', [['', m.appendedSamples]]],
    [
      'cloudlab_hub_samples_dropped_total',
      'counter',
      'Samples dropped, by reason (out of order, duplicate, too old, expired, overwritten, evicted, invalid).',
      Object.entries(m.droppedSamples).map(([reason, n]) => [`reason="${reason}"`, n]),
    ],
    [
      'cloudlab_hub_series_dropped_total',
      'counter',
      'Series dropped, by reason.',
      Object.entries(m.droppedSeries).map(([reason, n]) => [`reason="${reason}"`, n]),
    ],
    ['cloudlab_hub_delta_points_dropped_total', 'counter', 'OTLP delta points older than the last one of their series.', [['', d.droppedDeltaPoints]]],
    ['cloudlab_hub_traces', 'gauge', 'Traces held.', [['', t.traces]]],
    ['cloudlab_hub_spans', 'gauge', 'Spans held.', [['', t.spans]]],
    ['cloudlab_hub_spans_dropped_total', 'counter', 'Spans evicted by the span limit or the retention.', [['', t.droppedSpans]]],
    ['cloudlab_hub_logs', 'gauge', 'Log records held.', [['', l.logs]]],
    ['cloudlab_hub_logs_dropped_total', 'counter', 'Log records evicted by the record limit or the retention.', [['', l.droppedLogs]]],
    ['cloudlab_hub_log_tail_subscribers', 'gauge', 'Open live tails.', [['', l.subscribers]]],
  ];
  return (
    rows
      .map(([name, type, help, samples]) =>
        [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples.map(([labels, v]) => `${name}${labels ? `{${labels}}` : ''} ${v}`)].join('\n'),
      )
      .join('\n') + '\n'
  );
}

/** GET /metrics on the query port. */
export function createSelfMetricsRoute(sources: SelfMetricsSources): QueryRoute {
  return (req, res, url) => {
    if (url.pathname !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    const text = renderSelfMetrics(sources);
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(req.method === 'HEAD' ? undefined : text);
    return true;
  };
}
