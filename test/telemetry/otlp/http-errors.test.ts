/** OTLP/HTTP over real sockets: status codes, Status bodies, limits, gzip, partial success. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import { gzipSync } from 'node:zlib';
import { OTLP_TYPES, createOtlpHttpReceiver } from '../../../src/telemetry/otlp/index.js';
import { LabError } from '../../../src/errors.js';
import { JSON_TYPE, PROTOBUF, httpReceiver, post, recordingSink } from './helpers.js';
import type { Reply } from './helpers.js';

const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = { traceId: TRACE, spanId: 'eee19b7ec3c1b174', name: 'op', startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000001000000' };
const json = (spans: object[]): string => JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] });
const protobuf = (spans: Record<string, unknown>[]): Uint8Array =>
  OTLP_TYPES.traceRequest
    .encode(
      OTLP_TYPES.traceRequest.fromObject({
        resourceSpans: [{ scopeSpans: [{ spans: spans.map((s) => ({ ...s, traceId: Buffer.from(String(s['traceId']), 'hex'), spanId: Buffer.from(String(s['spanId']), 'hex') })) }] }],
      }),
    )
    .finish();

interface StatusBody {
  code: number;
  message: string;
  details: { '@type'?: string; typeUrl?: string; reason?: string }[];
}

function jsonStatus(reply: Reply): StatusBody {
  assert.equal(reply.headers.get('content-type'), 'application/json');
  return JSON.parse(reply.body.toString()) as StatusBody;
}

function protobufStatus(reply: Reply): { code: number; message: string; reason: string } {
  assert.equal(reply.headers.get('content-type'), 'application/x-protobuf');
  const status = OTLP_TYPES.status.toObject(OTLP_TYPES.status.decode(reply.body)) as { code: number; message: string; details: { typeUrl: string; value: Uint8Array }[] };
  assert.equal(status.details[0]?.typeUrl, 'type.googleapis.com/google.rpc.ErrorInfo');
  const info = OTLP_TYPES.errorInfo.toObject(OTLP_TYPES.errorInfo.decode(status.details[0].value)) as { reason: string; domain: string };
  assert.equal(info.domain, 'cloudlab');
  return { code: status.code, message: status.message, reason: info.reason };
}

test('all accepted: an empty protobuf response, or {} in JSON', async (t) => {
  const { url, sink } = await httpReceiver(t);
  const pb = await post(`${url}/v1/traces`, protobuf([SPAN]), PROTOBUF);
  assert.equal(pb.status, 200);
  assert.equal(pb.headers.get('content-type'), 'application/x-protobuf');
  assert.equal(pb.body.length, 0);
  const js = await post(`${url}/v1/traces?ignored=1`, json([SPAN]), { 'content-type': 'application/json; charset=utf-8' });
  assert.equal(js.status, 200);
  assert.equal(js.body.toString(), '{}');
  assert.equal(sink.spans.length, 2);
  const empty = await post(`${url}/v1/metrics`, new Uint8Array(0), PROTOBUF);
  assert.equal(empty.status, 200, 'an empty protobuf body is an empty request');
  assert.equal(sink.calls, 2, 'nothing is handed to the sink for an empty request');
});

test('partial success: invalid items are counted in rejected_* with an error_message, the rest stored', async (t) => {
  const { url, sink } = await httpReceiver(t);
  const spans = [SPAN, { ...SPAN, traceId: TRACE.slice(0, 30) }, { ...SPAN, spanId: '0000000000000000' }];
  const js = await post(`${url}/v1/traces`, json(spans), JSON_TYPE);
  assert.equal(js.status, 200);
  const body = JSON.parse(js.body.toString()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
  assert.equal(body.partialSuccess.rejectedSpans, '2');
  assert.match(body.partialSuccess.errorMessage, /^rejected 2 of 3 spans: resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[1\]: traceId must be 32 hex digits, received "[0-9a-f]{30}"; resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[2\]: spanId must be 8 bytes, not all zero/);

  const pb = await post(`${url}/v1/traces`, protobuf(spans), PROTOBUF);
  assert.equal(pb.status, 200);
  const response = OTLP_TYPES.traceResponse.toObject(OTLP_TYPES.traceResponse.decode(pb.body), { longs: Number }) as { partialSuccess: { rejectedSpans: number; errorMessage: string } };
  assert.equal(response.partialSuccess.rejectedSpans, 2);
  assert.match(response.partialSuccess.errorMessage, /^rejected 2 of 3 spans: .*traceId must be 16 bytes, received 15/);
  assert.equal(sink.spans.length, 2);

  const metrics = await post(`${url}/v1/metrics`, JSON.stringify({ resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'g', gauge: { dataPoints: [{ asInt: 1 }, { asInt: 2, timeUnixNano: '1' }] } }] }] }] }), JSON_TYPE);
  assert.deepEqual(JSON.parse(metrics.body.toString()), { partialSuccess: { rejectedDataPoints: '1', errorMessage: 'rejected 1 of 2 data points: resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[0]: timeUnixNano must be set, received 0' } });
  const logs = await post(`${url}/v1/logs`, JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ severityNumber: 25 }] }] }] }), JSON_TYPE);
  assert.deepEqual(JSON.parse(logs.body.toString()), { partialSuccess: { rejectedLogRecords: '1', errorMessage: 'rejected 1 of 1 log records: resourceLogs[0].scopeLogs[0].logRecords[0]: severityNumber must be 0 to 24, received 25' } });
});

test('malformed protobuf, malformed JSON, wrong JSON types and bad gzip answer 400 with the reason', async (t) => {
  const { url, sink } = await httpReceiver(t);
  const pb = await post(`${url}/v1/traces`, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f]), PROTOBUF);
  assert.equal(pb.status, 400);
  const pbStatus = protobufStatus(pb);
  assert.equal(pbStatus.code, 3);
  assert.equal(pbStatus.reason, 'LAB_OTLP_BAD_PAYLOAD');
  assert.match(pbStatus.message, /^protobuf body is not a valid ExportTraceServiceRequest: index out of range/);

  const js = await post(`${url}/v1/logs`, '{"resourceLogs":', JSON_TYPE);
  assert.equal(js.status, 400);
  const jsStatus = jsonStatus(js);
  assert.equal(jsStatus.code, 3);
  assert.match(jsStatus.message, /^JSON body is not valid JSON: /);
  assert.deepEqual(jsStatus.details, [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'LAB_OTLP_BAD_PAYLOAD', domain: 'cloudlab' }]);

  const typed = await post(`${url}/v1/traces`, json([{ ...SPAN, kind: true }]), JSON_TYPE);
  assert.equal(typed.status, 400);
  assert.equal(jsonStatus(typed).message, 'resourceSpans[0].scopeSpans[0].spans[0].kind must be an integer or an enum name, received true');

  const gz = await post(`${url}/v1/traces`, Buffer.from('not gzip at all'), { ...PROTOBUF, 'content-encoding': 'gzip' });
  assert.equal(gz.status, 400);
  assert.match(protobufStatus(gz).message, /^gzip body cannot be decompressed: /);
  const cut = gzipSync(json([SPAN])).subarray(0, 20);
  const truncated = await post(`${url}/v1/traces`, cut, { ...JSON_TYPE, 'content-encoding': 'gzip' });
  assert.equal(truncated.status, 400);
  assert.match(jsonStatus(truncated).message, /^gzip body cannot be decompressed: unexpected end of file/);

  const ok = await post(`${url}/v1/traces`, gzipSync(json([SPAN])), { ...JSON_TYPE, 'content-encoding': 'GZIP' });
  assert.equal(ok.status, 200);
  assert.equal(sink.spans.length, 1, 'only the good request stored anything');
});

test('415 names what arrived and what is accepted, for Content-Type and Content-Encoding', async (t) => {
  const { url } = await httpReceiver(t);
  const text = await post(`${url}/v1/traces`, 'hello', { 'content-type': 'text/plain' });
  assert.equal(text.status, 415);
  const status = jsonStatus(text);
  assert.equal(status.message, 'Content-Type must be application/x-protobuf or application/json, received "text/plain"');
  assert.equal(status.details[0]?.reason, 'LAB_OTLP_UNSUPPORTED_MEDIA_TYPE');
  const none = await post(`${url}/v1/traces`, new Uint8Array([1]), {});
  assert.equal(none.status, 415);
  assert.match(jsonStatus(none).message, /received nothing$/);
  const br = await post(`${url}/v1/metrics`, new Uint8Array([1]), { ...PROTOBUF, 'content-encoding': 'br' });
  assert.equal(br.status, 415);
  assert.equal(protobufStatus(br).message, 'Content-Encoding must be gzip or identity, received "br"');
});

test('404 for unknown paths, 405 with Allow for other methods', async (t) => {
  const { url } = await httpReceiver(t);
  for (const path of ['/', '/v1/trace', '/v2/traces', '/v1/traces/x']) {
    const reply = await post(`${url}${path}`, '{}', JSON_TYPE);
    assert.equal(reply.status, 404, path);
    assert.equal(jsonStatus(reply).details[0]?.reason, 'LAB_OTLP_NOT_FOUND');
  }
  const get = await post(`${url}/v1/logs`, '', {}, 'GET');
  assert.equal(get.status, 405);
  assert.equal(get.headers.get('allow'), 'POST');
  assert.equal(jsonStatus(get).message, '/v1/logs takes POST, received GET');
  const put = await post(`${url}/v1/metrics`, new Uint8Array([0]), PROTOBUF, 'PUT');
  assert.equal(put.status, 405);
  assert.equal(protobufStatus(put).reason, 'LAB_OTLP_METHOD_NOT_ALLOWED');
});

test('413 over maxBodyBytes: by Content-Length, and for a gzip bomb by its decompressed size', async (t) => {
  const { url, sink } = await httpReceiver(t, { maxBodyBytes: 1024 });
  const big = await post(`${url}/v1/traces`, Buffer.alloc(64 * 1024), PROTOBUF);
  assert.equal(big.status, 413);
  assert.equal(big.headers.get('connection'), 'close');
  const status = protobufStatus(big);
  assert.equal(status.code, 8);
  assert.equal(status.reason, 'LAB_OTLP_PAYLOAD_TOO_LARGE');
  assert.equal(status.message, 'request body (Content-Length 65536) is over the limit of 1024 bytes (maxBodyBytes)');

  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, '{'));
  assert.ok(bomb.length < 1024 * 128);
  const { url: bigUrl } = await httpReceiver(t, { maxBodyBytes: 256 * 1024 });
  const exploded = await post(`${bigUrl}/v1/logs`, bomb, { ...JSON_TYPE, 'content-encoding': 'gzip' });
  assert.equal(exploded.status, 413);
  assert.equal(jsonStatus(exploded).message, 'decompressed request body is over the limit of 262144 bytes (maxBodyBytes)');
  assert.equal(sink.calls, 0);
});

test('413 for a chunked body comes as soon as the limit is crossed, before the upload ends', async (t) => {
  const { url } = await httpReceiver(t, { maxBodyBytes: 4096 });
  const req = http.request(`${url}/v1/traces`, { method: 'POST', headers: { ...PROTOBUF, 'transfer-encoding': 'chunked' } });
  t.after(() => req.destroy());
  const responded = once(req, 'response') as Promise<[http.IncomingMessage]>;
  let sent = 0;
  let answered = false;
  void responded.then(() => (answered = true));
  // Keep uploading, never ending the request; the answer must come anyway.
  while (!answered && sent < 64 * 1024 * 1024) {
    const chunk = Buffer.alloc(1024);
    sent += chunk.length;
    if (!req.write(chunk)) await Promise.race([once(req, 'drain'), responded]);
  }
  const [res] = await responded;
  assert.equal(res.statusCode, 413);
  assert.ok(sent < 64 * 1024 * 1024, `answered after ${sent} bytes`);
  res.resume();
});

test('listen errors are LabErrors naming the address; close is idempotent', async (t) => {
  const sink = recordingSink();
  const first = createOtlpHttpReceiver({ port: 0, sink });
  t.after(() => first.close());
  const { port } = await first.listen();
  await assert.rejects(first.listen(), /already listening/);
  const second = createOtlpHttpReceiver({ port, sink });
  await assert.rejects(second.listen(), (err: unknown) => err instanceof LabError && err.code === 'LAB_OTLP_LISTEN_FAILED' && err.message === `OTLP/HTTP receiver cannot listen on 127.0.0.1:${port}: EADDRINUSE`);
  await second.close();
  await first.close();
  await first.close();
});

test('a sink that throws answers 500 with LAB_OTLP_SINK_FAILED', async (t) => {
  const sink = { ...recordingSink(), addSpans: (): void => { throw new Error('store is broken'); } };
  const receiver = createOtlpHttpReceiver({ port: 0, sink });
  t.after(() => receiver.close());
  const { url } = await receiver.listen();
  const reply = await post(`${url}/v1/traces`, json([SPAN]), JSON_TYPE);
  assert.equal(reply.status, 500);
  const status = jsonStatus(reply);
  assert.equal(status.code, 13);
  assert.equal(status.message, 'storing traces failed: store is broken');
  assert.equal(status.details[0]?.reason, 'LAB_OTLP_SINK_FAILED');
});
