/**
 * OpenTelemetry bootstrap. Import and call startTelemetry() before anything that
 * loads pg or pino: main.ts does, then imports the service
 * dynamically, so the instrumentations patch those modules as they load.
 *
 * Everything is chosen by the standard OTEL_* variables (exporters, endpoint,
 * protocol, service name, resource attributes). OTEL_SDK_DISABLED=true starts no
 * SDK: no instrumentation and no export; /metrics still works from a local meter
 * provider so the service can be scraped either way.
 */
import { register } from 'node:module';
import { metrics } from '@opentelemetry/api';
import type { Meter } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ConsoleMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { CollectionResult, IMetricReader, PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { defaultRootSampler, defaultSampler } from './sampler.js';
import type { RootSampler } from './sampler.js';
import { SyncContextManager } from './sync-context.js';

export interface Telemetry {
  /** False when OTEL_SDK_DISABLED=true. */
  readonly enabled: boolean;
  /** The meter the service records its own metrics with. */
  readonly meter: Meter;
  /** The reader GET /metrics collects from (cumulative): the OTLP reader when it can serve both. */
  readonly metricsReader: { collect(): Promise<CollectionResult> };
  /** The default root sampler, which decides before any span exists; undefined when OTEL_TRACES_SAMPLER chooses. */
  readonly roots: RootSampler | undefined;
  /** Flushes and stops exporters; safe to call twice. */
  shutdown(): Promise<void>;
}

/** The OTLP metric exporter for the protocol asked for; only that one is loaded (each costs start-up time). */
async function otlpMetricExporter(env: NodeJS.ProcessEnv): Promise<PushMetricExporter> {
  const protocol = (env['OTEL_EXPORTER_OTLP_METRICS_PROTOCOL'] ?? env['OTEL_EXPORTER_OTLP_PROTOCOL'] ?? '').trim() || 'http/protobuf';
  switch (protocol) {
    case 'grpc':
      return new (await import('@opentelemetry/exporter-metrics-otlp-grpc')).OTLPMetricExporter();
    case 'http/json':
      return new (await import('@opentelemetry/exporter-metrics-otlp-http')).OTLPMetricExporter();
    default:
      return new (await import('@opentelemetry/exporter-metrics-otlp-proto')).OTLPMetricExporter();
  }
}

/** OTLP metrics are cumulative unless OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE asks otherwise. */
function otlpIsCumulative(env: NodeJS.ProcessEnv): boolean {
  const preference = (env['OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE'] ?? '').trim().toLowerCase();
  return preference === '' || preference === 'cumulative';
}

interface PushReaders {
  /** The OTLP reader, when OTEL_METRICS_EXPORTER asks for otlp (the default). */
  otlp: PeriodicExportingMetricReader | undefined;
  /** Any other push reader (console). */
  others: PeriodicExportingMetricReader[];
}

/** The push readers OTEL_METRICS_EXPORTER asks for (default otlp), as the SDK would build them. */
async function pushReaders(env: NodeJS.ProcessEnv): Promise<PushReaders> {
  const names = new Set((env['OTEL_METRICS_EXPORTER'] ?? 'otlp').split(',').map((s) => s.trim()).filter(Boolean));
  if (names.has('none')) return { otlp: undefined, others: [] };
  if (names.size === 0) names.add('otlp');
  const intervalMs = Number(env['OTEL_METRIC_EXPORT_INTERVAL'] ?? 60_000) || 60_000;
  const timeoutMs = Math.min(Number(env['OTEL_METRIC_EXPORT_TIMEOUT'] ?? 30_000) || 30_000, intervalMs);
  const otlp = names.has('otlp')
    ? new PeriodicExportingMetricReader({ exporter: await otlpMetricExporter(env), exportIntervalMillis: intervalMs, exportTimeoutMillis: timeoutMs })
    : undefined;
  // 'prometheus' is always on: GET /metrics on the service's own port.
  const others = names.has('console') ? [new PeriodicExportingMetricReader({ exporter: new ConsoleMetricExporter(), exportIntervalMillis: intervalMs })] : [];
  return { otlp, others };
}

function hasServiceName(env: NodeJS.ProcessEnv): boolean {
  if ((env['OTEL_SERVICE_NAME'] ?? '').trim() !== '') return true;
  return (env['OTEL_RESOURCE_ATTRIBUTES'] ?? '').split(',').some((pair) => pair.trim().startsWith('service.name='));
}

/**
 * The metric readers, and the one GET /metrics collects from. Every reader keeps its
 * own copy of every series, so each recording is hashed and aggregated once per
 * reader: when the only push reader is a cumulative OTLP one, it serves /metrics too
 * (collecting cumulative data changes nothing for the next export). Otherwise a
 * Prometheus reader of its own keeps /metrics cumulative whatever the push readers do.
 */
function chooseMetricsReader(env: NodeJS.ProcessEnv, push: PushReaders): { readers: IMetricReader[]; metricsReader: Telemetry['metricsReader'] } {
  const { otlp, others } = push;
  if (otlp !== undefined && others.length === 0 && otlpIsCumulative(env)) return { readers: [otlp], metricsReader: otlp };
  const prometheus = new PrometheusExporter({ preventServerStart: true });
  return { readers: [prometheus, ...(otlp === undefined ? [] : [otlp]), ...others], metricsReader: prometheus };
}

export async function startTelemetry(serviceName: string, env: NodeJS.ProcessEnv = process.env): Promise<Telemetry> {
  if ((env['OTEL_SDK_DISABLED'] ?? '').trim().toLowerCase() === 'true') {
    const name = (env['OTEL_SERVICE_NAME'] ?? '').trim() || serviceName;
    const prometheus = new PrometheusExporter({ preventServerStart: true });
    const provider = new MeterProvider({ readers: [prometheus], resource: resourceFromAttributes({ 'service.name': name }) });
    return {
      enabled: false,
      meter: provider.getMeter(serviceName),
      metricsReader: prometheus,
      roots: undefined,
      shutdown: () => provider.shutdown().catch(() => undefined),
    };
  }

  // Loaded before the loader hook below, which every later import goes through.
  const { readers, metricsReader } = chooseMetricsReader(env, await pushReaders(env));

  // ESM modules (and CommonJS ones imported from ESM) are patched through
  // import-in-the-middle's loader hook; only the modules instrumentations ask for.
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

  // Spans per request are what telemetry costs on the hot path, so only the ones that
  // say something: the HTTP server span (made by Fastify hooks in server-spans.ts,
  // far cheaper than @opentelemetry/instrumentation-http), the pg spans of sampled
  // requests, their Valkey spans (made by hand in cafe/cache-span.ts: the ioredis
  // instrumentation's wrapper cost every command), and the payments call's client
  // span (payments-client.ts). No
  // @fastify/otel: its request span and one span per hook and handler repeated the
  // server span several times over for every request.
  // OTEL_TRACES_SAMPLER, when set, is read by the SDK; otherwise the reservoir (sampler.ts).
  const roots = (env['OTEL_TRACES_SAMPLER'] ?? '').trim() === '' ? defaultRootSampler() : undefined;
  const sdk = new NodeSDK({
    ...(hasServiceName(env) ? {} : { serviceName }),
    ...(roots === undefined ? {} : { sampler: defaultSampler(roots) }),
    // The request's context is carried by hand, not by AsyncLocalStorage (sync-context.ts).
    contextManager: new SyncContextManager(),
    metricReaders: readers,
    instrumentations: [
      new PgInstrumentation({ requireParentSpan: true }),
      new PinoInstrumentation(),
      // Event-loop delay sampled every 20 ms (default 10): plenty for a 15 s+ metric interval.
      new RuntimeNodeInstrumentation({ monitoringPrecision: 20 }),
    ],
  });
  sdk.start();
  await waitForAllMessagesAcknowledged();

  let stopped: Promise<void> | undefined;
  return {
    enabled: true,
    meter: metrics.getMeter(serviceName),
    metricsReader,
    roots,
    shutdown: () => (stopped ??= sdk.shutdown().catch(() => undefined)),
  };
}
