/**
 * Real OTLP request bodies, as the OpenTelemetry JS exporters send them (http/protobuf
 * and http/json, all three signals), captured by a bare HTTP server: seeds for fuzzing
 * and benchmarks.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { AggregationType, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import { OTLPTraceExporter as ProtoTraces } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonTraces } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPMetricExporter as ProtoMetrics } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPMetricExporter as JsonMetrics } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPLogExporter as ProtoLogs } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPLogExporter as JsonLogs } from '@opentelemetry/exporter-logs-otlp-http';
import type { OtlpEncoding, OtlpSignal } from '../../../src/telemetry/otlp/index.js';

export type Payloads = Record<OtlpSignal, Record<OtlpEncoding, Buffer>>;

const resource = resourceFromAttributes({ 'service.name': 'cafe', 'service.instance.id': 'i-1' });

/** Starts a server that keeps the last body per path and content type. */
async function captureServer(): Promise<{ url: string; bodies: Map<string, Buffer>; close: () => Promise<void> }> {
  const bodies = new Map<string, Buffer>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const json = (req.headers['content-type'] ?? '').includes('json');
      bodies.set(`${req.url ?? ''} ${json ? 'json' : 'protobuf'}`, Buffer.concat(chunks));
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
      res.end(json ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bodies,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** `count` server spans with typical HTTP attributes, some with events, errors and links. */
export async function sendSpans(exporter: SpanExporter, count: number): Promise<void> {
  const provider = new BasicTracerProvider({ resource, spanProcessors: [] });
  const tracer = provider.getTracer('@opentelemetry/instrumentation-http', '0.50.0');
  const spans: ReadableSpan[] = [];
  let previous: SpanContext | undefined;
  for (let i = 0; i < count; i++) {
    const span = tracer.startSpan('GET /menu/:id', {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'GET',
        'url.path': `/menu/${i}`,
        'http.route': '/menu/:id',
        'http.response.status_code': i % 10 === 0 ? 500 : 200,
        'server.address': '127.0.0.1',
        'server.port': 8000,
        'network.protocol.version': '1.1',
        'user_agent.original': 'k6/0.50 (https://k6.io/)',
        'client.address': '127.0.0.1',
        'cache.hit': i % 2 === 0,
      },
      links: i % 7 === 0 && previous !== undefined ? [{ context: previous, attributes: { 'link.kind': 'retry' } }] : [],
    });
    if (i % 4 === 0) span.addEvent('cache miss', { 'cache.key': `menu:${i}` });
    if (i % 10 === 0) span.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
    const child = tracer.startSpan('SELECT menu', { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql' } }, trace.setSpan(context.active(), span));
    child.end();
    span.end();
    previous = span.spanContext();
    spans.push(span as unknown as ReadableSpan, child as unknown as ReadableSpan);
    if (spans.length >= count) break;
  }
  await provider.shutdown();
  // The spans were ended on a provider with no processor: export them as one batch.
  await new Promise<void>((resolve, reject) =>
    exporter.export(spans, (result) => (Number(result.code) === 0 ? resolve() : reject(result.error ?? new Error('export failed')))),
  );
  await exporter.shutdown();
}

async function sendMetrics(exporter: ConstructorParameters<typeof PeriodicExportingMetricReader>[0]['exporter']): Promise<void> {
  const provider = new MeterProvider({
    resource,
    readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 })],
    views: [{ instrumentName: 'exp', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  const meter = provider.getMeter('cafe', '1.0.0');
  meter.createCounter('orders', { unit: '{order}' }).add(3, { route: '/orders' });
  meter.createUpDownCounter('inflight').add(-2);
  meter.createGauge('temperature').record(21.5);
  const h = meter.createHistogram('latency', { unit: 'ms' });
  const e = meter.createHistogram('exp', { unit: 's' });
  for (const v of [1, 5, 20, 300, 0]) {
    h.record(v, { route: '/menu' });
    e.record(v / 100);
  }
  await provider.forceFlush();
  await provider.shutdown();
}

async function sendLogs(exporter: LogRecordExporter): Promise<void> {
  const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter })] });
  const logger = provider.getLogger('cafe', '1.0.0');
  const ctx = trace.setSpanContext(context.active(), { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1 });
  logger.emit({ severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', body: 'payment failed', attributes: { 'order.id': 42 }, context: ctx });
  logger.emit({ severityNumber: SeverityNumber.INFO, body: { msg: 'served', list: [1, 'a', true] } });
  await provider.forceFlush();
  await provider.shutdown();
}

/** One export request of `count` spans, as the SDK's exporter for `encoding` sends it. */
export async function captureSpanBatch(count: number, encoding: OtlpEncoding): Promise<Buffer> {
  const server = await captureServer();
  try {
    const url = `${server.url}/v1/traces`;
    await sendSpans(encoding === 'protobuf' ? new ProtoTraces({ url }) : new JsonTraces({ url }), count);
    const body = server.bodies.get(`/v1/traces ${encoding}`);
    if (body === undefined) throw new Error('no span batch was captured');
    return body;
  } finally {
    await server.close();
  }
}

export async function capturePayloads(): Promise<Payloads> {
  const server = await captureServer();
  try {
    const u = (path: string): { url: string } => ({ url: `${server.url}${path}` });
    await sendSpans(new ProtoTraces(u('/v1/traces')), 20);
    await sendSpans(new JsonTraces(u('/v1/traces')), 20);
    await sendMetrics(new ProtoMetrics(u('/v1/metrics')));
    await sendMetrics(new JsonMetrics(u('/v1/metrics')));
    await sendLogs(new ProtoLogs(u('/v1/logs')));
    await sendLogs(new JsonLogs(u('/v1/logs')));
    const get = (key: string): Buffer => {
      const body = server.bodies.get(key);
      if (body === undefined) throw new Error(`no ${key} payload was captured`);
      return body;
    };
    return {
      traces: { protobuf: get('/v1/traces protobuf'), json: get('/v1/traces json') },
      metrics: { protobuf: get('/v1/metrics protobuf'), json: get('/v1/metrics json') },
      logs: { protobuf: get('/v1/logs protobuf'), json: get('/v1/logs json') },
    };
  } finally {
    await server.close();
  }
}
