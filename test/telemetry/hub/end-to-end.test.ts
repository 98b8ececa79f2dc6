/**
 * The whole hub, as a service sees it: real OpenTelemetry SDK exporters (one per
 * protocol) send traces, metrics and logs to createHub()'s ports, and what they sent
 * comes back exactly through the Prometheus, Jaeger and log query APIs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { SpanKind, SpanStatusCode, trace, context } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { MeterProvider, PeriodicExportingMetricReader, AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { LoggerProvider, BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { createHub } from '../../../src/telemetry/index.js';
import type { HubAddresses } from '../../../src/telemetry/index.js';

const resource = resourceFromAttributes({ 'service.name': 'cafe', 'service.instance.id': 'cafe-1', 'deployment.environment': 'lab' });

/** Starts a hub on free ports; `sdk` (the SDK provider) is shut down before the hub closes, so its last export finds the hub. */
async function startHub(t: TestContext, sdk: { provider?: { shutdown(): Promise<void> } } = {}): Promise<HubAddresses> {
  const hub = createHub({ otlpHttpPort: 0, otlpGrpcPort: 0, queryPort: 0 });
  t.after(async () => {
    await sdk.provider?.shutdown();
    await hub.close();
  });
  return hub.listen();
}

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}

test('spans from the http/protobuf exporter come back through the Jaeger API', async (t) => {
  const sdk: { provider?: BasicTracerProvider } = {};
  const hub = await startHub(t, sdk);
  const provider = (sdk.provider = new BasicTracerProvider({
    resource,
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${hub.otlpHttp.url}/v1/traces` }))],
  }));
  const tracer = provider.getTracer('cafe-http', '1.0.0');
  const root = tracer.startSpan('GET /menu', { kind: SpanKind.SERVER, startTime: [1_790_000_000, 0], attributes: { 'http.route': '/menu', 'http.response.status_code': 200 } });
  const child = tracer.startSpan(
    'SELECT menu',
    { kind: SpanKind.CLIENT, startTime: [1_790_000_000, 5_000_000], attributes: { 'db.system': 'postgresql' } },
    trace.setSpan(context.active(), root),
  );
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'statement timeout' });
  child.end([1_790_000_000, 45_000_000]);
  root.end([1_790_000_000, 50_000_000]);
  await provider.forceFlush();

  const traceId = root.spanContext().traceId;
  const { status, body } = await getJson(`${hub.query.url}/api/traces/${traceId}`);
  assert.equal(status, 200);
  const [found] = (body as { data: { traceID: string; spans: Record<string, unknown>[]; processes: Record<string, { serviceName: string }> }[] }).data;
  assert.ok(found);
  assert.equal(found.traceID, traceId);
  const spans = new Map(found.spans.map((s) => [s['operationName'] as string, s]));
  const menu = spans.get('GET /menu')!;
  const select = spans.get('SELECT menu')!;
  assert.equal(menu['startTime'], 1_790_000_000_000_000);
  assert.equal(menu['duration'], 50_000);
  assert.equal(select['startTime'], 1_790_000_000_005_000);
  assert.equal(select['duration'], 40_000);
  assert.deepEqual(select['references'], [{ refType: 'CHILD_OF', traceID: traceId, spanID: root.spanContext().spanId }]);
  const tags = new Map((select['tags'] as { key: string; value: unknown }[]).map((tag) => [tag.key, tag.value]));
  assert.equal(tags.get('error'), true);
  assert.equal(tags.get('otel.status_description'), 'statement timeout');
  assert.equal(tags.get('db.system'), 'postgresql');
  assert.equal(found.processes[menu['processID'] as string]?.serviceName, 'cafe');

  const services = await getJson(`${hub.query.url}/api/services`);
  assert.deepEqual((services.body as { data: string[] }).data, ['cafe']);
  const errors = await getJson(`${hub.query.url}/api/traces?service=cafe&tags=${encodeURIComponent('{"error":"true"}')}&start=0&end=${Date.now() * 1000}`);
  assert.deepEqual((errors.body as { data: { traceID: string }[] }).data.map((d) => d.traceID), [traceId]);
});

test('metrics from the http/json exporter come back through PromQL', async (t) => {
  const sdk: { provider?: MeterProvider } = {};
  const hub = await startHub(t, sdk);
  const reader = new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter({ url: `${hub.otlpHttp.url}/v1/metrics`, temporalityPreference: AggregationTemporality.CUMULATIVE }),
    exportIntervalMillis: 3_600_000,
  });
  const provider = (sdk.provider = new MeterProvider({ resource, readers: [reader] }));
  const meter = provider.getMeter('cafe-http');
  const requests = meter.createCounter('http.server.requests', { unit: '{request}' });
  const duration = meter.createHistogram('http.server.request.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.1, 0.5, 1] } });
  requests.add(3, { 'http.route': '/menu' });
  requests.add(2, { 'http.route': '/orders' });
  for (const seconds of [0.05, 0.2, 0.3, 0.7]) duration.record(seconds, { 'http.route': '/menu' });
  await provider.forceFlush();

  const query = async (q: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> => {
    const { status, body } = await getJson(`${hub.query.url}/api/v1/query?query=${encodeURIComponent(q)}`);
    assert.equal(status, 200, JSON.stringify(body));
    return (body as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } }).data.result;
  };
  const byRoute = await query('sum by (http_route) (http_server_requests_total)');
  assert.deepEqual(
    byRoute.map((r) => [r.metric['http_route'], r.value[1]]).sort(),
    [
      ['/menu', '3'],
      ['/orders', '2'],
    ],
  );
  const [series] = await query('http_server_requests_total{http_route="/menu"}');
  assert.equal(series?.metric['job'], 'cafe');
  assert.equal(series?.metric['instance'], 'cafe-1');
  assert.equal(series?.metric['deployment_environment'], 'lab');
  const count = await query('http_server_request_duration_seconds_count');
  assert.equal(count[0]?.value[1], '4');
  const buckets = await query('http_server_request_duration_seconds_bucket');
  assert.deepEqual(
    buckets.map((b) => [b.metric['le'], b.value[1]]).sort(),
    [
      ['+Inf', '4'],
      ['0.1', '1'],
      ['0.5', '3'],
      ['1', '4'],
    ],
  );
  // 4 observations, the median rank 2 falls in (0.1, 0.5] holding ranks 2..3: 0.1 + 0.4 * (2 - 1) / 2 = 0.3
  const [median] = await query('histogram_quantile(0.5, http_server_request_duration_seconds_bucket)');
  assert.ok(Math.abs(Number(median?.value[1]) - 0.3) < 1e-12, `median ${median?.value[1]}`);
});

test('logs from the grpc exporter come back through the log API, linked to their trace', async (t) => {
  const sdk: { provider?: LoggerProvider } = {};
  const hub = await startHub(t, sdk);
  const provider = (sdk.provider = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `http://127.0.0.1:${hub.otlpGrpc.port}` }) })] }));
  const logger = provider.getLogger('cafe-logs');
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const spanId = '00f067aa0ba902b7';
  const ctx = trace.setSpanContext(context.active(), { traceId, spanId, traceFlags: 1 });
  logger.emit({ severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', body: 'payment failed: timeout', attributes: { 'order.id': 42 }, context: ctx, timestamp: [1_790_000_001, 250_000] });
  logger.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: 'menu served', timestamp: [1_790_000_002, 0] });
  await provider.forceFlush();

  const { status, body } = await getJson(`${hub.query.url}/api/logs?traceId=${traceId}`);
  assert.equal(status, 200);
  const records = (body as { data: Record<string, unknown>[] }).data;
  assert.equal(records.length, 1);
  const [record] = records;
  assert.equal(record?.['body'], 'payment failed: timeout');
  assert.equal(record?.['traceId'], traceId);
  assert.equal(record?.['spanId'], spanId);
  assert.equal(record?.['service'], 'cafe');
  assert.equal(record?.['timeUnixUs'], 1_790_000_001_000_250);
  assert.deepEqual(record?.['attributes'], { 'order.id': 42 });

  const errorsOnly = await getJson(`${hub.query.url}/api/logs?service=cafe&severity=ERROR`);
  assert.deepEqual((errorsOnly.body as { data: { body: string }[] }).data.map((r) => r.body), ['payment failed: timeout']);
  const all = await getJson(`${hub.query.url}/api/logs?service=cafe&q=MENU`);
  assert.deepEqual((all.body as { data: { body: string }[] }).data.map((r) => r.body), ['menu served']);
});

test('the hub reports what it holds at /metrics on the query port, and unknown paths get a JSON 404', async (t) => {
  const hub = await startHub(t);
  const res = await fetch(`${hub.query.url}/metrics`);
  assert.equal(res.status, 200);
  const text = await res.text();
  assert.match(text, /^cloudlab_hub_spans 0$/m);
  assert.match(text, /^cloudlab_hub_spans_dropped_total 0$/m);
  const missing = await getJson(`${hub.query.url}/nope`);
  assert.equal(missing.status, 404);
  assert.equal((missing.body as { error: { code: string } }).error.code, 'LAB_QUERY_NOT_FOUND');
});

test('a taken port fails the start with a message naming the port and the flag that changes it', async (t) => {
  const first = await startHub(t);
  const second = createHub({ otlpHttpPort: 0, otlpGrpcPort: 0, queryPort: first.query.port });
  await assert.rejects(second.listen(), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'LAB_COLLECTOR_LISTEN_FAILED');
    assert.match(err.message, new RegExp(`127\\.0\\.0\\.1:${first.query.port}.*address already in use.*--query-port`));
    return true;
  });
  await second.close();
});
