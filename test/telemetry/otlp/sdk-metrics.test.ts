/**
 * The real OpenTelemetry JS metric exporters (http/protobuf, http/json, grpc) send a
 * counter, an up-down counter, a gauge, a histogram and an exponential histogram, and
 * the points arrive exactly in the model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValueType } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, AggregationType, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPMetricExporter as JsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as GrpcExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import type { MetricData } from '../../../src/telemetry/model.js';
import { expectedMetrics, grpcReceiver, httpReceiver } from './helpers.js';
import type { RecordingSink } from './helpers.js';

function recording(exporter: PushMetricExporter): { exporter: PushMetricExporter; sent: ResourceMetrics[]; results: number[] } {
  const sent: ResourceMetrics[] = [];
  const results: number[] = [];
  const wrapped: PushMetricExporter = {
    export(metrics, done) {
      sent.push(metrics);
      exporter.export(metrics, (result) => {
        results.push(result.code);
        done(result);
      });
    },
    forceFlush: () => exporter.forceFlush(),
    shutdown: () => exporter.shutdown(),
  };
  if (exporter.selectAggregationTemporality !== undefined) wrapped.selectAggregationTemporality = exporter.selectAggregationTemporality.bind(exporter);
  return { exporter: wrapped, sent, results };
}

async function exportMetrics(exporter: PushMetricExporter): Promise<{ sent: ResourceMetrics[]; results: number[] }> {
  const rec = recording(exporter);
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'cafe' }),
    readers: [new PeriodicExportingMetricReader({ exporter: rec.exporter, exportIntervalMillis: 3_600_000 })],
    views: [{ instrumentName: 'cafe.latency.exp', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  const meter = provider.getMeter('cafe-metrics', '1.0.0');
  const orders = meter.createCounter('cafe.orders', { description: 'orders taken', unit: '{order}', valueType: ValueType.INT });
  orders.add(3, { route: '/orders' });
  orders.add(2, { route: '/menu' });
  const inflight = meter.createUpDownCounter('cafe.inflight', { valueType: ValueType.INT });
  inflight.add(5);
  inflight.add(-7);
  const temperature = meter.createGauge('cafe.temperature', { unit: 'Cel' });
  temperature.record(21.5, { room: 'kitchen' });
  const latency = meter.createHistogram('cafe.latency', { unit: 'ms', advice: { explicitBucketBoundaries: [10, 50, 100] } });
  for (const v of [5, 20, 70, 500, 0.5]) latency.record(v, { route: '/orders' });
  const exp = meter.createHistogram('cafe.latency.exp', { unit: 's' });
  for (const v of [1.5, 3, 100, 0, 0.001]) exp.record(v);
  await provider.forceFlush();
  await provider.shutdown(); // exports once more, with later times
  return rec;
}

function checkArrived(sink: RecordingSink, sent: ResourceMetrics[], results: number[]): void {
  assert.ok(sent.length >= 1);
  assert.deepEqual(results, results.map(() => 0), 'every export succeeded');
  const expected = sent.flatMap(expectedMetrics);
  assert.deepEqual(sink.metrics, expected);

  // Hand-checked values, so the oracle itself is checked.
  const first = (name: string): MetricData => sink.metrics.find((m) => m.name === name)!;
  const orders = first('cafe.orders');
  assert.equal(orders.type, 'sum');
  assert.ok(orders.type === 'sum' && orders.monotonic && orders.temporality === 'cumulative');
  assert.deepEqual(
    orders.points.map((p) => [p.attributes, p.value]),
    [
      [{ route: '/orders' }, 3],
      [{ route: '/menu' }, 2],
    ],
  );
  assert.equal(orders.unit, '{order}');
  assert.equal(orders.description, 'orders taken');
  const inflight = first('cafe.inflight');
  assert.ok(inflight.type === 'sum' && !inflight.monotonic);
  assert.equal(inflight.points[0]!.value, -2);
  const temperature = first('cafe.temperature');
  assert.ok(temperature.type === 'gauge');
  assert.equal(temperature.points[0]!.value, 21.5);
  const latency = first('cafe.latency');
  assert.ok(latency.type === 'histogram');
  assert.deepEqual(latency.points[0]!.bounds, [10, 50, 100]);
  assert.deepEqual(latency.points[0]!.bucketCounts, [2, 1, 1, 1]);
  assert.equal(latency.points[0]!.count, 5);
  assert.equal(latency.points[0]!.sum, 595.5);
  const exp = first('cafe.latency.exp');
  assert.ok(exp.type === 'exponential_histogram');
  const point = exp.points[0]!;
  assert.equal(point.count, 5);
  assert.equal(point.zeroCount, 1);
  assert.equal(point.sum, 104.501);
  assert.equal(
    point.positive.bucketCounts.reduce((a, b) => a + b, 0),
    4,
  );
  assert.equal(first('cafe.orders').resource.attributes['service.name'], 'cafe');
  assert.deepEqual(first('cafe.orders').scope, { name: 'cafe-metrics', version: '1.0.0' });
  assert.ok(orders.points[0]!.timeUs >= orders.points[0]!.startUs && orders.points[0]!.startUs > 0);
}

test('http/protobuf metric exporter: all five kinds arrive exactly', async (t) => {
  const { url, sink } = await httpReceiver(t);
  const { sent, results } = await exportMetrics(new ProtoExporter({ url: `${url}/v1/metrics` }));
  checkArrived(sink, sent, results);
});

test('http/json metric exporter: all five kinds arrive exactly', async (t) => {
  const { url, sink } = await httpReceiver(t);
  const { sent, results } = await exportMetrics(new JsonExporter({ url: `${url}/v1/metrics` }));
  checkArrived(sink, sent, results);
});

test('grpc metric exporter: all five kinds arrive exactly', async (t) => {
  const { url, sink } = await grpcReceiver(t);
  const { sent, results } = await exportMetrics(new GrpcExporter({ url }));
  checkArrived(sink, sent, results);
});

test('delta temporality arrives as delta', async (t) => {
  const { url, sink } = await httpReceiver(t);
  const { sent, results } = await exportMetrics(new ProtoExporter({ url: `${url}/v1/metrics`, temporalityPreference: AggregationTemporality.DELTA }));
  assert.deepEqual(sink.metrics, sent.flatMap(expectedMetrics));
  assert.deepEqual(results, results.map(() => 0));
  const orders = sink.metrics.find((m) => m.name === 'cafe.orders');
  assert.ok(orders?.type === 'sum' && orders.temporality === 'delta');
});
