/** OTLP/gRPC with a bare grpc-js client: INVALID_ARGUMENT with reasons, partial success, limits. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, credentials, status } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import type { TestContext } from 'node:test';
import { LabError } from '../../../src/errors.js';
import { OTLP_GRPC_PATHS, OTLP_TYPES, createOtlpGrpcReceiver } from '../../../src/telemetry/otlp/index.js';
import { grpcReceiver, recordingSink } from './helpers.js';

const TRACE = Buffer.from('5b8efff798038103d269b633813fc60c', 'hex');
const SPAN = { traceId: TRACE, spanId: Buffer.from('eee19b7ec3c1b174', 'hex'), name: 'op', startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000001000000' };

function traces(spans: object[]): Buffer {
  return Buffer.from(OTLP_TYPES.traceRequest.encode(OTLP_TYPES.traceRequest.fromObject({ resourceSpans: [{ scopeSpans: [{ spans }] }] })).finish());
}

function client(t: TestContext, port: number, options: Record<string, number> = {}): (path: string, body: Buffer) => Promise<Buffer> {
  const c = new Client(`127.0.0.1:${port}`, credentials.createInsecure(), options);
  t.after(() => c.close());
  return (path, body) =>
    new Promise((resolve, reject) => {
      c.makeUnaryRequest(
        path,
        (b: Buffer) => b,
        (b: Buffer) => b,
        body,
        (err: ServiceError | null, value?: Buffer) => (err === null ? resolve(value ?? Buffer.alloc(0)) : reject(err)),
      );
    });
}

function grpcError(code: status, pattern: RegExp): (err: unknown) => boolean {
  return (err) => {
    const e = err as ServiceError;
    assert.equal(e.code, code, e.details);
    assert.match(e.details, pattern);
    return true;
  };
}

test('accepted: an empty response; partial success: rejected count and message', async (t) => {
  const { port, sink } = await grpcReceiver(t);
  const call = client(t, port);
  const ok = await call(OTLP_GRPC_PATHS.traces, traces([SPAN]));
  assert.equal(ok.length, 0);
  const partial = await call(OTLP_GRPC_PATHS.traces, traces([SPAN, { ...SPAN, traceId: Buffer.alloc(16) }]));
  const response = OTLP_TYPES.traceResponse.toObject(OTLP_TYPES.traceResponse.decode(partial), { longs: Number }) as { partialSuccess: { rejectedSpans: number; errorMessage: string } };
  assert.deepEqual(response, { partialSuccess: { rejectedSpans: 1, errorMessage: 'rejected 1 of 2 spans: resourceSpans[0].scopeSpans[0].spans[1]: traceId must be 16 bytes, not all zero, received none' } });
  assert.equal(sink.spans.length, 2);
});

test('malformed messages answer INVALID_ARGUMENT with the reason; the metrics and logs services answer too', async (t) => {
  const { port, sink } = await grpcReceiver(t);
  const call = client(t, port);
  await assert.rejects(call(OTLP_GRPC_PATHS.traces, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f])), grpcError(status.INVALID_ARGUMENT, /^protobuf body is not a valid ExportTraceServiceRequest: index out of range/));
  await assert.rejects(call(OTLP_GRPC_PATHS.metrics, Buffer.from([0x0f])), grpcError(status.INVALID_ARGUMENT, /^protobuf body is not a valid ExportMetricsServiceRequest: invalid wire type/));
  const logs = OTLP_TYPES.logsRequest.encode(OTLP_TYPES.logsRequest.fromObject({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ severityNumber: 9, body: { stringValue: 'hi' } }] }] }] })).finish();
  assert.equal((await call(OTLP_GRPC_PATHS.logs, Buffer.from(logs))).length, 0);
  assert.equal(sink.logs[0]?.body, 'hi');
  await assert.rejects(call('/opentelemetry.proto.collector.trace.v1.TraceService/Nope', traces([SPAN])), grpcError(status.UNIMPLEMENTED, /./));
});

test('a message over maxMessageBytes is refused, compressed or not', async (t) => {
  const { port, sink } = await grpcReceiver(t, { maxMessageBytes: 2048 });
  const many = traces(Array.from({ length: 100 }, () => SPAN));
  assert.ok(many.length > 2048);
  await assert.rejects(client(t, port)(OTLP_GRPC_PATHS.traces, many), grpcError(status.RESOURCE_EXHAUSTED, /larger than max \(\d+ vs 2048\)/));
  // gzip shrinks 100 identical spans far below the limit; decompressed they are still over it.
  const gzipped = client(t, port, { 'grpc.default_compression_algorithm': 2 });
  await assert.rejects(gzipped(OTLP_GRPC_PATHS.traces, many), grpcError(status.RESOURCE_EXHAUSTED, /larger than 2048/));
  assert.equal(sink.spans.length, 0);
  assert.equal((await gzipped(OTLP_GRPC_PATHS.traces, traces([SPAN]))).length, 0, 'a small gzip message passes');
  assert.equal(sink.spans.length, 1);
});

test('a sink that throws answers INTERNAL', async (t) => {
  const sink = { ...recordingSink(), addSpans: (): void => { throw new Error('store is broken'); } };
  const receiver = createOtlpGrpcReceiver({ port: 0, sink });
  t.after(() => receiver.close());
  const { port } = await receiver.listen();
  await assert.rejects(client(t, port)(OTLP_GRPC_PATHS.traces, traces([SPAN])), grpcError(status.INTERNAL, /^storing traces failed: store is broken$/));
});

test('a taken port is a LabError naming the address; close is idempotent', async (t) => {
  const first = createOtlpGrpcReceiver({ port: 0, sink: recordingSink() });
  t.after(() => first.close());
  const { port, url } = await first.listen();
  assert.equal(url, `http://127.0.0.1:${port}`);
  const second = createOtlpGrpcReceiver({ port, sink: recordingSink() });
  await assert.rejects(second.listen(), (err: unknown) => err instanceof LabError && err.code === 'LAB_OTLP_LISTEN_FAILED' && err.message.startsWith(`OTLP/gRPC receiver cannot listen on 127.0.0.1:${port}:`));
  await second.close();
  await first.close();
  await first.close();
});
