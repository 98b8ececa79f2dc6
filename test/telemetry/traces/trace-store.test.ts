import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TraceStore } from '../../../src/telemetry/traces/index.js';
import type { TraceQuery } from '../../../src/telemetry/traces/index.js';
import type { SpanData } from '../../../src/telemetry/model.js';
import { T0_US, manualClock, resourceOf, span, traceId } from './fixtures.js';

function ids(store: TraceStore, query: TraceQuery): string[] {
  return store.search(query).map((t) => t.traceId);
}

/** Three traces: a menu read (server + db client), a failed order, and a payment. */
function seeded(): TraceStore {
  const clock = manualClock();
  const store = new TraceStore({ clock: clock.now });
  const root = span({ traceId: traceId(1), name: 'GET /menu', startUs: T0_US, durationUs: 5_000, attributes: { 'http.route': '/menu', 'http.status_code': 200 } });
  store.add([
    root,
    span({ traceId: traceId(1), parentSpanId: root.spanId, name: 'SELECT menu', kind: 'client', startUs: T0_US + 100, durationUs: 2_000, attributes: { 'db.system': 'postgresql' } }),
    span({
      traceId: traceId(2),
      name: 'POST /orders',
      startUs: T0_US + 10_000,
      durationUs: 250_000,
      attributes: { 'http.status_code': 503, 'retry.count': 2, flaky: true },
      status: { code: 'error', message: 'payments timed out' },
      events: [{ timeUs: T0_US + 20_000, name: 'retry', attributes: { attempt: 1 } }],
      resource: resourceOf('cafe', { 'deployment.environment': 'lab' }),
    }),
    span({ traceId: traceId(3), service: 'payments', name: 'POST /charge', startUs: T0_US + 20_000, durationUs: 40_000, status: { code: 'ok', message: '' }, kind: 'server' }),
  ]);
  return store;
}

test('spans are grouped by trace, in arrival order, and fetched by id', () => {
  const store = new TraceStore({ clock: manualClock().now });
  const a = span({ traceId: traceId(7), name: 'a', startUs: T0_US + 50, durationUs: 10 });
  const b = span({ traceId: traceId(8), name: 'b' });
  const c = span({ traceId: traceId(7), name: 'c', startUs: T0_US, durationUs: 100 });
  store.add([a, b]);
  store.add([c]);
  const trace = store.get(traceId(7));
  assert.ok(trace);
  assert.equal(trace.traceId, traceId(7));
  assert.deepEqual(trace.spans.map((s) => s.name), ['a', 'c']);
  assert.equal(trace.startUs, T0_US);
  assert.equal(trace.endUs, T0_US + 100);
  assert.equal(store.get(traceId(9)), undefined);
  assert.deepEqual(store.stats(), { traces: 2, spans: 3, droppedSpans: 0 });
});

test('a stored span keeps every field it arrived with', () => {
  const store = new TraceStore({ clock: manualClock().now });
  const original: SpanData = span({
    traceState: 'vendor=1',
    attributes: { s: 'x', n: 1.5, b: false, arr: [1, 'two'], map: { k: 'v' }, nil: null },
    events: [{ timeUs: T0_US + 1, name: 'e', attributes: { a: 1 } }],
    links: [{ traceId: traceId(99), spanId: 'ffffffffffffffff', attributes: { why: 'batch' } }],
    status: { code: 'error', message: 'boom' },
    resource: resourceOf('cafe', { 'host.name': 'h' }),
  });
  const copy = structuredClone(original);
  store.add([original]);
  assert.deepEqual(store.get(original.traceId)?.spans[0], copy);
});

test('equal resources and scopes from different batches are stored once', () => {
  const store = new TraceStore({ clock: manualClock().now });
  store.add([span({ traceId: traceId(1), resource: resourceOf('cafe', { pid: 1 }) })]);
  store.add([span({ traceId: traceId(2), resource: resourceOf('cafe', { pid: 1 }) })]);
  const [one, two] = [store.get(traceId(1))?.spans[0], store.get(traceId(2))?.spans[0]];
  assert.ok(one && two);
  assert.equal(one.resource, two.resource);
  assert.equal(one.scope, two.scope);
});

test('search by service, operation, status and duration', () => {
  const store = seeded();
  assert.deepEqual(ids(store, { service: 'cafe' }), [traceId(2), traceId(1)]);
  assert.deepEqual(ids(store, { service: 'payments' }), [traceId(3)]);
  assert.deepEqual(ids(store, { service: 'nope' }), []);
  assert.deepEqual(ids(store, { operation: 'SELECT menu' }), [traceId(1)]);
  assert.deepEqual(ids(store, { service: 'cafe', operation: 'POST /charge' }), [], 'service and operation must hold for one span');
  assert.deepEqual(ids(store, { status: 'error' }), [traceId(2)]);
  assert.deepEqual(ids(store, { status: 'ok' }), [traceId(3)]);
  assert.deepEqual(ids(store, { status: 'unset' }), [traceId(1)]);
  assert.deepEqual(ids(store, { minDurationUs: 40_000 }), [traceId(3), traceId(2)]);
  assert.deepEqual(ids(store, { maxDurationUs: 2_000 }), [traceId(1)]);
  assert.deepEqual(ids(store, { minDurationUs: 3_000, maxDurationUs: 40_000 }), [traceId(3), traceId(1)]);
  assert.deepEqual(ids(store, { operation: 'SELECT menu', minDurationUs: 3_000 }), [], 'the child is 2 ms; the 5 ms root is another span');
});

test('search by time range reads span start times, inclusive', () => {
  const store = seeded();
  assert.deepEqual(ids(store, { startUs: T0_US + 10_000 }), [traceId(3), traceId(2)]);
  assert.deepEqual(ids(store, { endUs: T0_US + 100 }), [traceId(1)]);
  assert.deepEqual(ids(store, { startUs: T0_US + 100, endUs: T0_US + 100 }), [traceId(1)]);
  assert.deepEqual(ids(store, { startUs: T0_US + 30_000 }), []);
});

test('search by tags: attributes, resource, and the tags Jaeger derives', () => {
  const store = seeded();
  const cases: [Record<string, string>, string[]][] = [
    [{ 'http.route': '/menu' }, [traceId(1)]],
    [{ 'http.status_code': '503' }, [traceId(2)]],
    [{ flaky: 'true' }, [traceId(2)]],
    [{ 'deployment.environment': 'lab' }, [traceId(2)]],
    [{ 'service.name': 'payments' }, [traceId(3)]],
    [{ 'span.kind': 'client' }, [traceId(1)]],
    [{ 'span.kind': 'server' }, [traceId(3), traceId(2), traceId(1)]],
    [{ error: 'true' }, [traceId(2)]],
    [{ 'otel.status_code': 'ERROR' }, [traceId(2)]],
    [{ 'otel.status_code': 'OK' }, [traceId(3)]],
    [{ 'otel.status_description': 'payments timed out' }, [traceId(2)]],
    [{ 'otel.scope.name': '@opentelemetry/instrumentation-http' }, [traceId(3), traceId(2), traceId(1)]],
    [{ 'otel.scope.version': '0.200.0' }, [traceId(3), traceId(2), traceId(1)]],
    [{ event: 'retry' }, [traceId(2)]],
    [{ attempt: '1' }, [traceId(2)]],
    [{ 'db.system': 'postgresql', 'span.kind': 'client' }, [traceId(1)]],
    [{ 'db.system': 'postgresql', 'http.route': '/menu' }, []],
    [{ 'http.status_code': '200 ' }, []],
    [{ error: 'false' }, []],
  ];
  for (const [tags, want] of cases) assert.deepEqual(ids(store, { tags }), want, JSON.stringify(tags));
});

test('search answers the most recent traces first, up to the limit (default 100)', () => {
  const store = new TraceStore({ clock: manualClock().now });
  // Arrival order differs from start order on purpose.
  for (const n of [3, 1, 5, 2, 4]) store.add([span({ traceId: traceId(n), startUs: T0_US + n * 1000 })]);
  assert.deepEqual(ids(store, {}), [5, 4, 3, 2, 1].map(traceId));
  assert.deepEqual(ids(store, { limit: 2 }), [traceId(5), traceId(4)]);
  for (let n = 10; n < 130; n++) store.add([span({ traceId: traceId(n), startUs: T0_US + n * 1000 })]);
  assert.equal(store.search({}).length, 100);
});

test('services and operations, with span kinds, sorted', () => {
  const store = seeded();
  store.add([span({ traceId: traceId(4), name: 'GET /menu', kind: 'unspecified' }), span({ traceId: traceId(4), name: 'cache get', kind: 'internal' })]);
  assert.deepEqual(store.services(), ['cafe', 'payments']);
  assert.deepEqual(store.operations('cafe'), [
    { name: 'GET /menu', spanKind: '' },
    { name: 'GET /menu', spanKind: 'server' },
    { name: 'POST /orders', spanKind: 'server' },
    { name: 'SELECT menu', spanKind: 'client' },
    { name: 'cache get', spanKind: 'internal' },
  ]);
  assert.deepEqual(store.operations('cafe', 'client'), [{ name: 'SELECT menu', spanKind: 'client' }]);
  assert.deepEqual(store.operations('cafe', ''), store.operations('cafe'));
  assert.deepEqual(store.operations('nope'), []);
});

test('a resource without service.name is filed under Jaeger\'s OTLPResourceNoServiceName', () => {
  const store = new TraceStore({ clock: manualClock().now });
  store.add([span({ resource: { attributes: {} } })]);
  assert.deepEqual(store.services(), ['OTLPResourceNoServiceName']);
});
