/**
 * The menu cache's Valkey spans (cache-span.ts): a sampled request's cache read makes
 * a CLIENT span per call (`GET 3`, and `MULTI 3` for the write), children of the request's
 * span, with the database semantic conventions and no cached value in them; an
 * unsampled or untraced read makes none; a call to a cache that is down ends its span
 * as an error while the read still answers from the loader. A real redis-server and
 * the real OpenTelemetry SDK (in-memory exporter, the services' context manager).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind, SpanStatusCode, TraceFlags, context, trace } from '@opentelemetry/api';
import type { Counter } from '@opentelemetry/api';
import { tracing } from '@opentelemetry/sdk-node';
import { MenuCache, createRedis } from '../src/cafe/cache.js';
import { SyncContextManager } from '../src/shared/sync-context.js';
import { createLogger } from '../src/shared/logger.js';
import { REDIS_SERVER, skipUnless } from './harness/binaries.js';
import { startRedis } from './harness/redis.js';
import type { RedisServer } from './harness/redis.js';
import { freePort } from './harness/net.js';

const exporter = new tracing.InMemorySpanExporter();
const provider = new tracing.BasicTracerProvider({ spanProcessors: [new tracing.SimpleSpanProcessor(exporter)] });
context.setGlobalContextManager(new SyncContextManager());
trace.setGlobalTracerProvider(provider);
after(async () => {
  await provider.shutdown();
  context.disable();
  trace.disable();
});

const tracer = trace.getTracer('cache-span.test');
const logger = createLogger('cache-span-test', 'silent');
const counted: string[] = [];
const requests = { add: (_n: number, attributes?: { result?: string }) => counted.push(attributes?.result ?? '') } as unknown as Counter;

/** A value a span must never carry. */
const SECRET_VALUE = 'the-value-itself';

describe('the menu cache makes a span per Valkey call of a sampled request', { skip: skipUnless(REDIS_SERVER) }, () => {
  let redisServer: RedisServer;
  before(async () => {
    redisServer = await startRedis();
  });
  after(() => redisServer?.stop());

  /** A MenuCache on logical database `db` of the test's redis-server, with no spans recorded yet. */
  async function connectedCache(db: number): Promise<MenuCache> {
    const redis = createRedis(redisServer.url(db), logger);
    await redis.connect();
    after(() => redis.quit());
    exporter.reset();
    return new MenuCache({ redis, ttlS: 60, refreshTimeoutMs: 0, requests, logger });
  }

  test('a sampled read that misses: GET and the MULTI that writes back, children of the request span; the next read: GET', async () => {
    const cache = await connectedCache(3);
    const request = tracer.startSpan('GET /menu', { kind: SpanKind.SERVER });
    const within = trace.setSpan(context.active(), request);
    const first = await context.with(within, () => cache.read('menu:spans', () => Promise.resolve({ secret: SECRET_VALUE }), false));
    const second = await context.with(within, () => cache.read('menu:spans', () => Promise.reject(new Error('not called')), false));
    request.end();
    assert.deepEqual([first.result, second.result], ['miss', 'hit']);

    const spans = exporter.getFinishedSpans().filter((s) => s.instrumentationScope.name === 'cafe-demo/valkey');
    assert.deepEqual(spans.map((s) => s.name), ['GET 3', 'MULTI 3', 'GET 3']);
    assert.deepEqual(spans.map((s) => s.attributes['db.operation.name']), ['GET', 'MULTI', 'GET']);
    for (const span of spans) {
      assert.equal(span.kind, SpanKind.CLIENT);
      assert.equal(span.spanContext().traceId, request.spanContext().traceId);
      assert.equal(span.parentSpanContext?.spanId, request.spanContext().spanId, `${span.name} is a child of the request span`);
      assert.equal(span.attributes['db.system.name'], 'redis');
      assert.equal(span.attributes['db.namespace'], '3');
      assert.equal(span.attributes['server.address'], '127.0.0.1');
      assert.equal(span.attributes['server.port'], redisServer.port);
      assert.equal(span.status.code, SpanStatusCode.UNSET);
      assert.ok(!JSON.stringify(span.attributes).includes(SECRET_VALUE), `${span.name} carries no cached value`);
    }
    assert.equal(spans[0]?.attributes['db.query.text'], 'GET menu:spans');
    assert.equal(spans[1]?.attributes['db.query.text'], 'MULTI; SET menu:spans ? EX 60; SET menu:spans:stale ? EX 86400; EXEC');
  });

  test('an unsampled request and a read outside any request make no span', async () => {
    const cache = await connectedCache(4);
    const unsampled = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.NONE });
    const read = await context.with(trace.setSpan(context.active(), unsampled), () => cache.read('menu:quiet', () => Promise.resolve([1]), false));
    const again = await cache.read('menu:quiet', () => Promise.resolve([2]), false);
    assert.deepEqual([read.result, again.result, again.value], ['miss', 'hit', [1]]);
    assert.deepEqual(exporter.getFinishedSpans(), []);
  });

  test('a cache that is down: the GET span ends as an error, and the read still answers from the loader', async () => {
    const closedPort = await freePort();
    const redis = createRedis(`redis://127.0.0.1:${closedPort}/0`, logger);
    redis.connect().catch(() => undefined); // never connects; commands fail at once (no offline queue)
    after(() => redis.disconnect());
    const cache = new MenuCache({ redis, ttlS: 60, refreshTimeoutMs: 0, requests, logger });
    exporter.reset();
    const request = tracer.startSpan('GET /menu', { kind: SpanKind.SERVER });
    const read = await context.with(trace.setSpan(context.active(), request), () => cache.read('menu:down', () => Promise.resolve('from the database'), false));
    request.end();
    assert.deepEqual([read.result, read.value], ['miss', 'from the database']);

    const get = exporter.getFinishedSpans().find((s) => s.name === 'GET 0');
    assert.ok(get, 'the failed GET has its span');
    assert.equal(get.status.code, SpanStatusCode.ERROR);
    assert.equal(get.attributes['error.type'], 'Error');
    assert.equal(get.attributes['server.port'], closedPort);
    assert.ok(get.events.some((e) => e.name === 'exception'), 'the error is recorded on the span');
  });
});
