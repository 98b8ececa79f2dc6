import { createHub, DEFAULT_LIMITS } from '../telemetry/index.js';
import { countFlag, durationFlag, parseFlags, portFlag } from './args.js';
import { VERSION } from './version.js';
import { untilStopSignal } from './signals.js';

export const COLLECTOR_HELP = `Usage: cloudlab collector [flags]

Runs the OpenTelemetry hub alone: OTLP in (gRPC and HTTP), Prometheus scraping, and
the Prometheus, Jaeger and log query APIs. Point any OpenTelemetry SDK at it with its
default settings, and Grafana's Prometheus and Jaeger data sources at the query port.

  --host                address of every port (default 127.0.0.1)
  --otlp-grpc-port      OTLP/gRPC (default 4317; 0 picks a free one)
  --otlp-http-port      OTLP/HTTP (default 4318; 0 picks a free one)
  --query-port          Prometheus, Jaeger and log APIs (default 9090; 0 picks a free one)
  --scrape URL          a Prometheus target to scrape; repeat for more (host:port means
                        http://host:port/metrics)
  --scrape-interval     how often each target is scraped (default 15s)
  --max-series          series kept (default ${DEFAULT_LIMITS.maxSeries})
  --max-spans           spans kept (default ${DEFAULT_LIMITS.maxSpans})
  --max-logs            log records kept (default ${DEFAULT_LIMITS.maxLogs})
  --retention           how long data is kept (default 1h)
  --max-request-bytes   largest OTLP request accepted (default 4 MiB)
`;

/** `cloudlab collector`: runs until SIGINT or SIGTERM, then closes every port. */
export async function runCollectorCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parseFlags('collector', argv, {
    host: { type: 'string' },
    'otlp-grpc-port': { type: 'string' },
    'otlp-http-port': { type: 'string' },
    'query-port': { type: 'string' },
    scrape: { type: 'string', multiple: true },
    'scrape-interval': { type: 'string' },
    'max-series': { type: 'string' },
    'max-spans': { type: 'string' },
    'max-logs': { type: 'string' },
    retention: { type: 'string' },
    'max-request-bytes': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    out.write(COLLECTOR_HELP);
    return 0;
  }
  const intervalMs = durationFlag('collector', 'scrape-interval', values['scrape-interval'], 15_000);
  const maxRequestBytes = values['max-request-bytes'] === undefined ? undefined : countFlag('collector', 'max-request-bytes', values['max-request-bytes'], 0);
  const hub = createHub({
    host: values.host ?? '127.0.0.1',
    otlpGrpcPort: portFlag('collector', 'otlp-grpc-port', values['otlp-grpc-port'], 4317),
    otlpHttpPort: portFlag('collector', 'otlp-http-port', values['otlp-http-port'], 4318),
    queryPort: portFlag('collector', 'query-port', values['query-port'], 9090),
    scrape: (values.scrape ?? []).map((url) => ({ url, intervalMs })),
    limits: {
      maxSeries: countFlag('collector', 'max-series', values['max-series'], DEFAULT_LIMITS.maxSeries),
      maxSpans: countFlag('collector', 'max-spans', values['max-spans'], DEFAULT_LIMITS.maxSpans),
      maxLogs: countFlag('collector', 'max-logs', values['max-logs'], DEFAULT_LIMITS.maxLogs),
      retentionMs: durationFlag('collector', 'retention', values.retention, DEFAULT_LIMITS.retentionMs),
    },
    ...(maxRequestBytes === undefined ? {} : { maxRequestBytes }),
  });
  const a = await hub.listen();
  out.write(
    `cloudlab collector ${VERSION}: OTLP gRPC on ${a.otlpGrpc.host}:${a.otlpGrpc.port}, OTLP HTTP on ${a.otlpHttp.url}, ` +
      `query API on ${a.query.url} (Prometheus /api/v1, Jaeger /api/traces, logs /api/logs)\n`,
  );
  for (const url of values.scrape ?? []) out.write(`scraping ${url} every ${intervalMs / 1000}s\n`);
  await untilStopSignal();
  out.write('cloudlab collector: shutting down\n');
  await hub.close();
  return 0;
}
