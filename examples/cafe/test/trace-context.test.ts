/**
 * Carrying trace context by hand: the services' context manager (active only for the
 * synchronous extent of context.with), carryContext across awaits, traced() entering a
 * request's context only when its trace is sampled, and the payments call's CLIENT
 * span and traceparent. Units against the real OpenTelemetry SDK (a tracer provider
 * with an in-memory exporter, the W3C propagator), registered globally as the services
 * register theirs; the end-to-end telemetry test covers the same through real services.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, context, createContextKey, propagation, trace } from '@opentelemetry/api';
import type { Context, Span } from '@opentelemetry/api';
import { core, tracing } from '@opentelemetry/sdk-node';
import type { FastifyRequest } from 'fastify';
import { SyncContextManager } from '../src/shared/sync-context.js';
import { carryContext, traced } from '../src/shared/trace-context.js';
import { endClientSpan, recordStatus, startClientSpan } from '../src/cafe/client-span.js';

const exporter = new tracing.InMemorySpanExporter();
const provider = new tracing.BasicTracerProvider({ sampler: new tracing.ParentBasedSampler({ root: new tracing.AlwaysOnSampler() }), spanProcessors: [new tracing.SimpleSpanProcessor(exporter)] });
const manager = new SyncContextManager();
context.setGlobalContextManager(manager);
trace.setGlobalTracerProvider(provider);
propagation.setGlobalPropagator(new core.W3CTraceContextPropagator());
after(async () => {
  await provider.shutdown();
  context.disable();
  trace.disable();
  propagation.disable();
});

const KEY = createContextKey('test key');
const tracer = trace.getTracer('trace-context.test');

/** A span that does not record, as an unsampled request's server span is. */
function unsampledSpan(): Span {
  return trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.NONE });
}

/** The two fields traced() reads, as the server-span hook sets them. */
function requestWith(span: Span): FastifyRequest {
  return { serverSpan: span, traceContext: trace.setSpan(ROOT_CONTEXT, span) } as unknown as FastifyRequest;
}

test('the context manager: active for the synchronous extent of with, restored after, even on a throw', async () => {
  const ctx = ROOT_CONTEXT.setValue(KEY, 'request 1');
  const inner = ctx.setValue(KEY, 'nested');
  let seenAfterAwait: unknown = 'not run';
  const pending = context.with(ctx, async () => {
    assert.equal(context.active().getValue(KEY), 'request 1');
    context.with(inner, () => assert.equal(context.active().getValue(KEY), 'nested'));
    assert.equal(context.active().getValue(KEY), 'request 1', 'the outer context is back after the nested with');
    await Promise.resolve();
    seenAfterAwait = context.active().getValue(KEY);
  });
  assert.equal(context.active(), ROOT_CONTEXT, 'with returned: the root again');
  await pending;
  assert.equal(seenAfterAwait, undefined, 'it does not follow an await: that is carried by hand');

  assert.throws(() => context.with(ctx, () => {
    throw new Error('boom');
  }), /boom/);
  assert.equal(context.active(), ROOT_CONTEXT, 'restored after a throw');
});

test('bind: a bound function runs in its context whenever it is called; anything else is returned as it is', async () => {
  const ctx = ROOT_CONTEXT.setValue(KEY, 'bound');
  const seen: unknown[] = [];
  const bound = context.bind(ctx, function (this: { tag: string }, a: number, b: number) {
    seen.push(context.active().getValue(KEY), this.tag, a + b);
    return 'result';
  });
  await new Promise<void>((resolve) => setImmediate(resolve));
  assert.equal(bound.call({ tag: 'this' }, 2, 3), 'result');
  assert.deepEqual(seen, ['bound', 'this', 5]);
  const plain = { not: 'a function' };
  assert.equal(manager.bind(ctx, plain), plain);
});

test('carryContext: calls made after an await run in the context active when it was taken', async () => {
  const ctx = ROOT_CONTEXT.setValue(KEY, 'carried');
  const seen = await context.with(ctx, async () => {
    const resume = carryContext();
    await new Promise<void>((resolve) => setImmediate(resolve));
    return [context.active().getValue(KEY), resume(() => context.active().getValue(KEY))];
  });
  assert.deepEqual(seen, [undefined, 'carried']);
});

test('traced: a sampled request\'s calls become children of its server span; an unsampled request\'s make no span', () => {
  exporter.reset();
  const server = tracer.startSpan('GET /menu', { kind: SpanKind.SERVER });
  traced(requestWith(server), () => tracer.startSpan('GET', { kind: SpanKind.CLIENT }).end());
  server.end();
  const [client, serverSpan] = exporter.getFinishedSpans();
  assert.equal(client?.parentSpanContext?.spanId, server.spanContext().spanId);
  assert.equal(serverSpan?.name, 'GET /menu');

  // Unsampled: fn runs outside any context, so instrumentations with requireParentSpan skip.
  const active = traced(requestWith(unsampledSpan()), () => trace.getSpan(context.active()));
  assert.equal(active, undefined);
  // Quiet paths and telemetry off: no span on the request at all.
  assert.equal(traced({ serverSpan: undefined, traceContext: undefined } as unknown as FastifyRequest, () => 42), 42);
});

test('the payments call: a CLIENT span with the HTTP client attributes, and a traceparent that carries its sampling decision', () => {
  exporter.reset();
  const server = tracer.startSpan('POST /orders', { kind: SpanKind.SERVER });
  const parent: Context = trace.setSpan(ROOT_CONTEXT, server);
  const url = new URL('http://127.0.0.1:4567/charges');

  const first = startClientSpan('POST', url, parent, 0);
  recordStatus(first.span, 503);
  endClientSpan(first.span);
  const retry = startClientSpan('POST', url, parent, 1);
  endClientSpan(retry.span, new TypeError('fetch failed'));
  server.end();

  const [a, b] = exporter.getFinishedSpans();
  assert.ok(a && b);
  assert.equal(a.name, 'POST');
  assert.equal(a.kind, SpanKind.CLIENT);
  assert.equal(a.parentSpanContext?.spanId, server.spanContext().spanId);
  assert.deepEqual(a.attributes, {
    'http.request.method': 'POST',
    'url.full': 'http://127.0.0.1:4567/charges',
    'server.address': '127.0.0.1',
    'server.port': 4567,
    'http.response.status_code': 503,
    'error.type': '503',
  });
  assert.equal(a.status.code, SpanStatusCode.ERROR);
  assert.equal(b.attributes['http.request.resend_count'], 1);
  assert.equal(b.attributes['error.type'], 'TypeError');
  assert.equal(b.events[0]?.name, 'exception');
  const { traceId } = server.spanContext();
  assert.equal(first.headers['traceparent'], `00-${traceId}-${a.spanContext().spanId}-01`);

  // An unsampled request: no span is recorded, and the call still says "not sampled"
  // in the caller's trace, so payments does not start a trace of its own.
  exporter.reset();
  const dropped = startClientSpan('POST', url, trace.setSpan(ROOT_CONTEXT, unsampledSpan()), 0);
  endClientSpan(dropped.span);
  assert.equal(exporter.getFinishedSpans().length, 0);
  assert.match(dropped.headers['traceparent'] ?? '', /^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-00$/);
});
