/**
 * The real OpenTelemetry JS log exporters (http/protobuf, http/json, grpc) send log
 * records, and they arrive exactly in the model: severity, body, attributes, times,
 * trace and span ids.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { context, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { OTLPLogExporter as ProtoExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPLogExporter as JsonExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as GrpcExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { expectedLog, grpcReceiver, httpReceiver } from './helpers.js';
import type { RecordingSink } from './helpers.js';

const SPAN = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1 };

async function exportLogs(exporter: LogRecordExporter): Promise<{ sent: ReadableLogRecord[]; results: number[] }> {
  const sent: ReadableLogRecord[] = [];
  const results: number[] = [];
  const wrapped: LogRecordExporter = {
    export(records, done) {
      sent.push(...records);
      exporter.export(records, (result) => {
        results.push(result.code);
        done(result);
      });
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush(),
  };
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'cafe' }),
    processors: [new BatchLogRecordProcessor({ exporter: wrapped })],
  });
  const logger = provider.getLogger('cafe-logs', '2.0.0');
  logger.emit({
    severityNumber: SeverityNumber.ERROR,
    severityText: 'ERROR',
    body: 'payment failed',
    attributes: { 'order.id': 42, retry: true },
    timestamp: [1_700_000_000, 999_999_999],
    context: trace.setSpanContext(context.active(), SPAN),
  });
  logger.emit({
    severityNumber: SeverityNumber.INFO2,
    body: { msg: 'menu served', n: 1, nested: { list: [1, 'b', false] } },
  });
  logger.emit({ attributes: { note: 'no body, no severity' } });
  await provider.forceFlush();
  await provider.shutdown();
  return { sent, results };
}

function checkArrived(sink: RecordingSink, sent: ReadableLogRecord[], results: number[]): void {
  assert.ok(results.length > 0);
  assert.deepEqual(results, results.map(() => 0), 'every export succeeded');
  assert.equal(sent.length, 3);
  assert.deepEqual(sink.logs, sent.map(expectedLog));

  const [error, info, bare] = sink.logs;
  assert.equal(error?.timeUs, 1_700_000_000_999_999);
  assert.equal(error?.severityNumber, 17);
  assert.equal(error?.severityText, 'ERROR');
  assert.equal(error?.body, 'payment failed');
  assert.deepEqual(error?.attributes, { 'order.id': 42, retry: true });
  assert.equal(error?.traceId, SPAN.traceId);
  assert.equal(error?.spanId, SPAN.spanId);
  assert.deepEqual(info?.body, { msg: 'menu served', n: 1, nested: { list: [1, 'b', false] } });
  assert.equal(info?.severityNumber, 10);
  assert.equal(info?.traceId, '');
  assert.equal(bare?.body, null);
  assert.equal(bare?.severityNumber, 0);
  assert.ok((bare?.observedUs ?? 0) > 1_700_000_000_000_000);
  assert.equal(error?.resource.attributes['service.name'], 'cafe');
  assert.deepEqual(error?.scope, { name: 'cafe-logs', version: '2.0.0' });
}

test('http/protobuf log exporter: records arrive exactly', async (t) => {
  const { url, sink } = await httpReceiver(t);
  const { sent, results } = await exportLogs(new ProtoExporter({ url: `${url}/v1/logs` }));
  checkArrived(sink, sent, results);
});

test('http/json log exporter: records arrive exactly', async (t) => {
  const { url, sink } = await httpReceiver(t);
  const { sent, results } = await exportLogs(new JsonExporter({ url: `${url}/v1/logs` }));
  checkArrived(sink, sent, results);
});

test('grpc log exporter: records arrive exactly', async (t) => {
  const { url, sink } = await grpcReceiver(t);
  const { sent, results } = await exportLogs(new GrpcExporter({ url }));
  checkArrived(sink, sent, results);
});
