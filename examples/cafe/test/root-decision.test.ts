/**
 * A request with no trace context is decided before its span exists (server-spans.ts
 * with the default root sampler): a kept one gets its SERVER span, a dropped one gets
 * none, and the payments call it makes still says "not sampled", so payments drops it
 * too. A request carrying a traceparent follows its caller, and a kept request whose
 * client goes away ends its span as an error. Fastify's inject (and one real socket)
 * against the real OpenTelemetry SDK (in-memory exporter), with the reservoir sampler
 * on an injected clock.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { ROOT_CONTEXT, SpanStatusCode, propagation, trace } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { core, tracing } from '@opentelemetry/sdk-node';
import { fastify } from 'fastify';
import { ReservoirSampler, defaultSampler } from '../src/shared/sampler.js';
import { traceRequests } from '../src/shared/server-spans.js';
import { endClientSpan, startClientSpan } from '../src/cafe/client-span.js';

let now = 50_000;
const roots = new ReservoirSampler({ perSecond: 1, ratio: 0, now: () => now });
const exporter = new tracing.InMemorySpanExporter();
/** Called with each span as it ends. */
let onEnd: (span: tracing.ReadableSpan) => void = () => undefined;
const watcher: tracing.SpanProcessor = {
  onStart: (_span: tracing.Span, _parent: Context) => undefined,
  onEnd: (span) => onEnd(span),
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};
const provider = new tracing.BasicTracerProvider({ sampler: defaultSampler(roots), spanProcessors: [new tracing.SimpleSpanProcessor(exporter), watcher] });
trace.setGlobalTracerProvider(provider);
propagation.setGlobalPropagator(new core.W3CTraceContextPropagator());

const app = fastify();
const endServerSpan = traceRequests(app, roots);
app.addHook('onResponse', (request, reply, done) => {
  endServerSpan(request, reply);
  done();
});
app.post('/orders', (request, reply) => {
  // The next second begins while the request runs: the reservoir has a place again.
  if (request.headers['x-next-second'] !== undefined) now += 1000;
  // What the payments call does with the request's context (orders.ts).
  const call = startClientSpan('POST', new URL('http://127.0.0.1:4567/charges'), request.traceContext ?? ROOT_CONTEXT, 0);
  endClientSpan(call.span);
  return reply.send({ serverSpan: request.serverSpan?.spanContext().traceId ?? null, traceparent: call.headers['traceparent'] });
});
/** Answers only once the test lets it; tells the test when a request is in. */
let arrived: () => void = () => undefined;
let release: () => void = () => undefined;
app.get('/slow', async () => {
  const released = new Promise<void>((resolve) => (release = resolve));
  arrived();
  await released;
  return { late: true };
});
const base = await app.listen({ host: '127.0.0.1', port: 0 });
after(async () => {
  await app.close();
  await provider.shutdown();
  trace.disable();
  propagation.disable();
});

async function order(headers: Record<string, string> = {}): Promise<{ serverSpan: string | null; traceparent: string }> {
  const response = await app.inject({ method: 'POST', url: '/orders', headers });
  assert.equal(response.statusCode, 200);
  return response.json();
}

test('a kept root: a SERVER span, and the payments call carries its trace, sampled', async () => {
  exporter.reset();
  const kept = await order();
  assert.ok(kept.serverSpan, 'the reservoir had a place: the request has a server span');
  assert.match(kept.traceparent, new RegExp(`^00-${kept.serverSpan}-[0-9a-f]{16}-01$`));
  const names = exporter.getFinishedSpans().map((s) => `${s.name} ${s.spanContext().traceId === kept.serverSpan ? 'same trace' : 'other'}`).sort();
  assert.deepEqual(names, ['POST /orders same trace', 'POST same trace']);
});

test('a dropped root: no span at all, and the payments call still says "not sampled", whatever the reservoir says by then', async () => {
  exporter.reset();
  const dropped = await order({ 'x-next-second': '1' });
  assert.equal(dropped.serverSpan, null, 'no server span was made');
  assert.match(dropped.traceparent, /^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/, 'the call follows the request, though the reservoir had a place by then');
  assert.equal(exporter.getFinishedSpans().length, 0);

  // The call did not take that place: the next new request does.
  const keptAgain = await order();
  assert.ok(keptAgain.serverSpan);
  assert.equal(exporter.getFinishedSpans().length, 2);
});

test('a request carrying a traceparent follows its caller, reservoir or not', async () => {
  exporter.reset();
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const followed = await order({ traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
  assert.equal(followed.serverSpan, traceId, 'the reservoir is empty this second, yet the caller sampled it');
  const notSampled = await order({ traceparent: `00-${traceId}-00f067aa0ba902b7-00` });
  assert.equal(notSampled.serverSpan, traceId, 'an unsampled caller: a span that does not record, in its trace');
  assert.match(notSampled.traceparent, new RegExp(`^00-${traceId}-[0-9a-f]{16}-00$`));
  assert.equal(exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId).length, 2, 'the sampled call: server and client spans; the unsampled one: none');
});

test('a kept request whose client goes away before the answer: its span ends as an error', { timeout: 10_000 }, async () => {
  now += 1000; // a new second: the reservoir has its place
  const ended = new Promise<tracing.ReadableSpan>((resolve) => (onEnd = resolve));
  const inside = new Promise<void>((resolve) => (arrived = resolve));
  const client = httpRequest(`${base}/slow`);
  client.on('error', () => undefined); // ECONNRESET: the destroy below
  client.end();
  await inside;
  const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
  client.destroy();
  const span = await ended.finally(() => release());
  assert.equal(span.name, 'GET /slow');
  assert.equal(span.status.code, SpanStatusCode.ERROR);
  assert.equal(span.status.message, 'the client closed the connection before the response');
  assert.equal(span.attributes['http.response.status_code'], undefined, 'no response was sent');
  await closed;
});
