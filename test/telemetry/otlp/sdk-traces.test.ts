/**
 * The real OpenTelemetry JS trace exporters (http/protobuf, http/json, grpc; with and
 * without gzip) send to the receivers, and the spans arrive exactly in the model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind, SpanStatusCode, context, createTraceState, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { byKey, expectedSpan, grpcReceiver, httpReceiver } from './helpers.js';
import type { RecordingSink } from './helpers.js';

type Compression = NonNullable<NonNullable<ConstructorParameters<typeof ProtoExporter>[0]>['compression']>;
const GZIP = 'gzip' as Compression;

/** Wraps an exporter to keep what it was given and the result codes it reported. */
function recording(exporter: SpanExporter): { exporter: SpanExporter; sent: ReadableSpan[]; results: number[] } {
  const sent: ReadableSpan[] = [];
  const results: number[] = [];
  return {
    sent,
    results,
    exporter: {
      export(spans, done) {
        sent.push(...spans);
        exporter.export(spans, (result) => {
          results.push(result.code);
          done(result);
        });
      },
      shutdown: () => exporter.shutdown(),
      forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
    },
  };
}

const REMOTE_PARENT = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: 1,
  isRemote: true,
  traceState: createTraceState('vendor=abc,other=1'),
};

/** Spans with every feature the model carries, at nanosecond times chosen to test rounding. */
async function exportSpans(exporter: SpanExporter): Promise<{ sent: ReadableSpan[]; results: number[] }> {
  const rec = recording(exporter);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'cafe', 'service.version': '1.2.3', 'host.cores': 8 }),
    spanProcessors: [new BatchSpanProcessor(rec.exporter)],
  });
  const tracer = provider.getTracer('cafe-orders', '0.4.0');
  const root = tracer.startSpan('POST /orders', {
    kind: SpanKind.SERVER,
    startTime: [1_700_000_000, 123_456_789],
    attributes: { 'http.route': '/orders', 'http.response.status_code': 201, big: 2 ** 40, ratio: 0.25, cached: false, tags: ['a', 'b'], nums: [1, 2.5], empty: '' },
  });
  root.addEvent('order.validated', { items: 3 }, [1_700_000_000, 200_000_999]);
  root.addEvent('no attributes', [1_700_000_000, 300_000_000]);
  const child = tracer.startSpan(
    'charge',
    { kind: SpanKind.CLIENT, startTime: [1_700_000_000, 500_000_001], links: [{ context: REMOTE_PARENT, attributes: { why: 'retry' } }] },
    trace.setSpan(context.active(), root),
  );
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
  child.end([1_700_000_000, 500_000_999]); // 998 ns: 0 us
  root.setStatus({ code: SpanStatusCode.OK });
  root.end([1_700_000_001, 5_000_999]);
  const remoteChild = tracer.startSpan('consume', { kind: SpanKind.CONSUMER }, trace.setSpanContext(context.active(), REMOTE_PARENT));
  remoteChild.end();
  for (const kind of [SpanKind.INTERNAL, SpanKind.PRODUCER]) tracer.startSpan(`kind ${kind}`, { kind }).end();
  await provider.forceFlush();
  await provider.shutdown();
  return rec;
}

function checkArrived(sink: RecordingSink, sent: ReadableSpan[], results: number[]): void {
  assert.ok(results.length > 0, 'the exporter exported');
  assert.deepEqual(results, results.map(() => 0), 'every export succeeded');
  assert.equal(sent.length, 5);
  const key = (s: { spanId: string }): string => s.spanId;
  assert.deepEqual(byKey(sink.spans, key), byKey(sent.map(expectedSpan), key));

  // And against hand-worked values, so the oracle itself is checked.
  const root = sink.spans.find((s) => s.name === 'POST /orders')!;
  assert.equal(root.startUs, 1_700_000_000_123_456);
  assert.equal(root.durationUs, 881_544); // 1.005000999 s - 0.123456789 s = 881544.210 us
  assert.equal(root.kind, 'server');
  assert.equal(root.parentSpanId, '');
  assert.deepEqual(root.status, { code: 'ok', message: '' });
  assert.equal(root.attributes['big'], 2 ** 40);
  assert.deepEqual(root.attributes['nums'], [1, 2.5]);
  assert.equal(root.attributes['empty'], '');
  assert.equal(root.attributes['cached'], false);
  assert.deepEqual(root.events[0], { timeUs: 1_700_000_000_200_000, name: 'order.validated', attributes: { items: 3 } });
  assert.equal(root.resource.attributes['service.name'], 'cafe');
  assert.deepEqual(root.scope, { name: 'cafe-orders', version: '0.4.0' });
  const child = sink.spans.find((s) => s.name === 'charge')!;
  assert.equal(child.parentSpanId, root.spanId);
  assert.equal(child.traceId, root.traceId);
  assert.equal(child.kind, 'client');
  assert.equal(child.durationUs, 0);
  assert.deepEqual(child.status, { code: 'error', message: 'card declined' });
  assert.deepEqual(child.links, [{ traceId: REMOTE_PARENT.traceId, spanId: REMOTE_PARENT.spanId, attributes: { why: 'retry' } }]);
  const consumer = sink.spans.find((s) => s.name === 'consume')!;
  assert.equal(consumer.traceId, REMOTE_PARENT.traceId);
  assert.equal(consumer.parentSpanId, REMOTE_PARENT.spanId);
  assert.equal(consumer.traceState, 'vendor=abc,other=1');
  assert.deepEqual(sink.spans.map((s) => s.kind).sort(), ['client', 'consumer', 'internal', 'producer', 'server']);
}

for (const gzip of [false, true]) {
  const suffix = gzip ? ' with gzip' : '';
  const compression = gzip ? { compression: GZIP } : {};

  test(`http/protobuf trace exporter${suffix}: spans arrive exactly`, async (t) => {
    const { url, sink } = await httpReceiver(t);
    const { sent, results } = await exportSpans(new ProtoExporter({ url: `${url}/v1/traces`, ...compression }));
    checkArrived(sink, sent, results);
  });

  test(`http/json trace exporter${suffix}: spans arrive exactly`, async (t) => {
    const { url, sink } = await httpReceiver(t);
    const { sent, results } = await exportSpans(new JsonExporter({ url: `${url}/v1/traces`, ...compression }));
    checkArrived(sink, sent, results);
  });

  test(`grpc trace exporter${suffix}: spans arrive exactly`, async (t) => {
    const { url, sink } = await grpcReceiver(t);
    const { sent, results } = await exportSpans(new GrpcExporter({ url, ...compression }));
    checkArrived(sink, sent, results);
  });
}
