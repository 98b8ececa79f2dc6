import { LabError } from '../errors.js';
import { DEFAULT_LIMITS } from './contracts.js';
import type { Clock, StoreLimits, TelemetrySink } from './contracts.js';
import { createMetricStore, createOtlpTranslator } from './metrics/index.js';
import type { MetricStore } from './metrics/index.js';
import { instantQuery, rangeQuery, parseSeriesSelector } from './promql/index.js';
import { TraceStore, RecordInterner } from './traces/index.js';
import { LogStore } from './logs/index.js';
import { createOtlpHttpReceiver, createOtlpGrpcReceiver } from './otlp/index.js';
import { createScraper } from './scrape/index.js';
import type { ScrapeTargetOptions } from './scrape/index.js';
import { createPromApi } from './query/prom-api.js';
import { createJaegerApi } from './query/jaeger-api.js';
import { createLogsApi } from './query/logs-api.js';
import { createQueryServer } from './query-server.js';
import type { ListeningAddress } from './query-server.js';
import { createSelfMetricsRoute } from './self-metrics.js';

export interface HubOptions {
  /** Address of every port; 127.0.0.1 by default. */
  host?: string;
  /** OTLP/HTTP; 4318 by default, 0 for a free port. */
  otlpHttpPort?: number;
  /** OTLP/gRPC; 4317 by default, 0 for a free port. */
  otlpGrpcPort?: number;
  /** Prometheus, Jaeger and log APIs; 9090 by default, 0 for a free port. */
  queryPort?: number;
  /** Largest OTLP request accepted (HTTP body or gRPC message, after decompression). */
  maxRequestBytes?: number;
  limits?: Partial<StoreLimits>;
  /** Prometheus targets scraped into the metric store. */
  scrape?: readonly ScrapeTargetOptions[];
  clock?: Clock;
}

export interface HubAddresses {
  otlpHttp: ListeningAddress;
  otlpGrpc: ListeningAddress;
  query: ListeningAddress;
}

export interface Hub {
  readonly metrics: MetricStore;
  readonly traces: TraceStore;
  readonly logs: LogStore;
  /** Where receivers write; usable directly by code in the same process. */
  readonly sink: TelemetrySink;
  /** Listens on every port and starts scraping; resolves with the real addresses. */
  listen(): Promise<HubAddresses>;
  /** Stops scraping, closes every port and connection. */
  close(): Promise<void>;
}

const PORT_FLAGS = { otlpHttp: '--otlp-http-port', otlpGrpc: '--otlp-grpc-port', query: '--query-port' } as const;

/**
 * The OpenTelemetry hub: OTLP receivers and a scraper write into bounded in-memory
 * stores, read back through the Prometheus, Jaeger and log query APIs.
 */
export function createHub(options: HubOptions = {}): Hub {
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? Date.now;
  const limits: StoreLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const metrics = createMetricStore({ limits, clock });
  const translator = createOtlpTranslator({ maxSeries: limits.maxSeries });
  const interner = new RecordInterner();
  const traces = new TraceStore({ limits, clock, interner });
  const logs = new LogStore({ limits, clock, interner });
  const sink: TelemetrySink = {
    addSpans: (spans) => traces.add(spans),
    addLogs: (records) => logs.add(records),
    addMetrics: (data) => void metrics.append(translator.translate(data)),
    addSamples: (samples) => void metrics.append(samples),
  };
  const scraper = createScraper({ targets: options.scrape ?? [], sink, clock });
  const maxBytes = options.maxRequestBytes === undefined ? {} : { maxBodyBytes: options.maxRequestBytes, maxMessageBytes: options.maxRequestBytes };
  const otlpHttp = createOtlpHttpReceiver({ host, port: options.otlpHttpPort ?? 4318, sink, clock, ...maxBytes });
  const otlpGrpc = createOtlpGrpcReceiver({ host, port: options.otlpGrpcPort ?? 4317, sink, clock, ...maxBytes });
  const query = createQueryServer({
    host,
    port: options.queryPort ?? 9090,
    routes: [
      createPromApi({
        source: metrics,
        engine: { instantQuery, rangeQuery, parseSeriesSelector },
        clock,
        metadata: () => scraper.metadata(),
        targets: () => scraper.health(),
      }),
      createJaegerApi({ traces, clock }),
      createLogsApi({ logs, clock }),
      createSelfMetricsRoute({ metrics, translator, traces, logs }),
    ],
  });

  const started: (() => Promise<void>)[] = [];
  async function open<T>(name: keyof typeof PORT_FLAGS, port: number | undefined, start: () => Promise<T>, stop: () => Promise<void>): Promise<T> {
    try {
      const address = await start();
      started.push(stop);
      return address;
    } catch (err) {
      const inUse = (err as NodeJS.ErrnoException).code === 'EADDRINUSE' || /EADDRINUSE|address already in use/i.test(String((err as Error).message));
      const reason = inUse ? 'address already in use' : (err as Error).message;
      throw new LabError(
        'LAB_COLLECTOR_LISTEN_FAILED',
        `cannot listen on ${host}:${port ?? '?'} for ${name}: ${reason}; pass ${PORT_FLAGS[name]} with another port (0 picks a free one)`,
        { cause: err },
      );
    }
  }

  async function close(): Promise<void> {
    await scraper.stop();
    const stops = started.splice(0).reverse();
    await Promise.all(stops.map((stop) => stop().catch(() => undefined)));
  }

  return {
    metrics,
    traces,
    logs,
    sink,
    async listen() {
      try {
        const addresses: HubAddresses = {
          otlpHttp: await open('otlpHttp', options.otlpHttpPort ?? 4318, () => otlpHttp.listen(), () => otlpHttp.close()),
          otlpGrpc: await open('otlpGrpc', options.otlpGrpcPort ?? 4317, () => otlpGrpc.listen(), () => otlpGrpc.close()),
          query: await open('query', options.queryPort ?? 9090, () => query.listen(), () => query.close()),
        };
        scraper.start();
        return addresses;
      } catch (err) {
        await close();
        throw err;
      }
    },
    close,
  };
}
