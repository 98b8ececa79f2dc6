import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LogStore } from '../../../src/telemetry/logs/index.js';
import type { LogQuery } from '../../../src/telemetry/logs/index.js';
import type { LogData } from '../../../src/telemetry/model.js';
import { LabError } from '../../../src/errors.js';
import { T0_US, log } from './fixtures.js';

const TRACE = '5b8efff798038103d269b633813fc60c';

function clockAt(ms: number): { now: () => number; advance: (by: number) => void } {
  return { now: () => ms, advance: (by) => void (ms += by) };
}

function bodies(store: LogStore, query: LogQuery): unknown[] {
  return store.search(query).records.map((r) => r.body);
}

function seeded(): LogStore {
  const store = new LogStore({ clock: clockAt(T0_US / 1000).now });
  store.add([
    log({ body: 'menu served', timeUs: T0_US + 1, attributes: { route: '/menu' } }),
    log({ body: 'cache miss', timeUs: T0_US + 2, severityNumber: 5, severityText: 'DEBUG', attributes: { key: 'menu:7' } }),
    log({ body: 'payment slow', timeUs: T0_US + 3, severityNumber: 13, severityText: 'WARN', service: 'payments', traceId: TRACE, spanId: '051581bf3cb55c13' }),
    log({ body: 'Order FAILED', timeUs: T0_US + 4, severityNumber: 17, severityText: 'ERROR', traceId: TRACE, attributes: { 'error.type': 'Timeout', code: 503 } }),
    log({ body: { msg: 'structured', nested: { deep: 'Needle' } }, timeUs: T0_US + 5, severityNumber: 0, severityText: 'fatal' }),
  ]);
  return store;
}

test('search returns the newest records first, with how many matched', () => {
  const store = seeded();
  assert.deepEqual(bodies(store, {}), [{ msg: 'structured', nested: { deep: 'Needle' } }, 'Order FAILED', 'payment slow', 'cache miss', 'menu served']);
  const limited = store.search({ limit: 2 });
  assert.equal(limited.records.length, 2);
  assert.equal(limited.matched, 5);
});

test('order is by record time, not arrival', () => {
  const store = new LogStore({ clock: clockAt(0).now });
  store.add([log({ body: 'late', timeUs: 30 }), log({ body: 'early', timeUs: 10 })]);
  store.add([log({ body: 'middle', timeUs: 20 })]);
  assert.deepEqual(bodies(store, {}), ['late', 'middle', 'early']);
});

test('search by service, severity (number or name), trace id and time range', () => {
  const store = seeded();
  assert.deepEqual(bodies(store, { service: 'payments' }), ['payment slow']);
  assert.deepEqual(bodies(store, { minSeverity: 13 }).length, 3);
  assert.deepEqual(bodies(store, { minSeverity: 'ERROR' }), [{ msg: 'structured', nested: { deep: 'Needle' } }, 'Order FAILED']);
  assert.deepEqual(bodies(store, { minSeverity: 'warn' }).length, 3);
  assert.deepEqual(bodies(store, { minSeverity: '17' }).length, 2);
  assert.deepEqual(bodies(store, { minSeverity: 'FATAL' }), [{ msg: 'structured', nested: { deep: 'Needle' } }], 'severity 0 with text "fatal" counts as FATAL');
  assert.deepEqual(bodies(store, { traceId: TRACE.toUpperCase() }), ['Order FAILED', 'payment slow']);
  assert.deepEqual(bodies(store, { startUs: T0_US + 2, endUs: T0_US + 3 }), ['payment slow', 'cache miss']);
  assert.deepEqual(bodies(store, { service: 'cafe', minSeverity: 'WARN' }).length, 2);
});

test('text search is case-insensitive over the body, attribute keys and attribute values', () => {
  const store = seeded();
  assert.deepEqual(bodies(store, { text: 'failed' }), ['Order FAILED']);
  assert.deepEqual(bodies(store, { text: 'MENU' }), ['cache miss', 'menu served']);
  assert.deepEqual(bodies(store, { text: 'timeout' }), ['Order FAILED']);
  assert.deepEqual(bodies(store, { text: 'error.type' }), ['Order FAILED']);
  assert.deepEqual(bodies(store, { text: '503' }), ['Order FAILED']);
  assert.deepEqual(bodies(store, { text: 'needle' }), [{ msg: 'structured', nested: { deep: 'Needle' } }]);
  assert.deepEqual(bodies(store, { text: 'absent' }), []);
});

test('a severity that names nothing is LAB_LOGS_BAD_PARAM, naming what arrived', () => {
  const store = seeded();
  for (const minSeverity of ['LOUD', 25, -1, 2.5, '99']) {
    assert.throws(
      () => store.search({ minSeverity }),
      (err: unknown) => err instanceof LabError && err.code === 'LAB_LOGS_BAD_PARAM' && err.message.startsWith('severity must be') && err.message.includes(JSON.stringify(minSeverity)),
    );
  }
  assert.throws(() => store.subscribe({ minSeverity: 'LOUD' }, () => undefined), LabError);
  assert.equal(store.subscriberCount, 0);
});

test('over maxLogs the oldest records go first, and are counted', () => {
  const store = new LogStore({ limits: { maxLogs: 3, retentionMs: 60_000 }, clock: clockAt(0).now });
  store.add([1, 2, 3, 4].map((n) => log({ body: `r${n}`, timeUs: n })));
  assert.deepEqual(bodies(store, {}), ['r4', 'r3', 'r2']);
  store.add([log({ body: 'r5', timeUs: 5 })]);
  assert.deepEqual(bodies(store, {}), ['r5', 'r4', 'r3']);
  assert.deepEqual(store.stats(), { logs: 3, droppedLogs: 2, subscribers: 0 });
});

test('records expire retentionMs after they arrived, read from the injected clock', () => {
  const clock = clockAt(1_000);
  const store = new LogStore({ limits: { maxLogs: 10, retentionMs: 5_000 }, clock: clock.now });
  store.add([log({ body: 'old' })]);
  clock.advance(3_000);
  store.add([log({ body: 'new' })]);
  clock.advance(2_000);
  assert.equal(store.search({}).records.length, 2);
  clock.advance(1);
  assert.deepEqual(bodies(store, {}), ['new']);
  clock.advance(3_000);
  assert.deepEqual(bodies(store, {}), []);
  assert.deepEqual(store.stats(), { logs: 0, droppedLogs: 2, subscribers: 0 });
  // The ring keeps working after it emptied out.
  store.add([log({ body: 'again' })]);
  assert.deepEqual(bodies(store, {}), ['again']);
});

test('subscribers hear each new matching record until they unsubscribe', () => {
  const store = seeded();
  const heard: string[] = [];
  const everything: unknown[] = [];
  const stopErrors = store.subscribe({ minSeverity: 'ERROR', service: 'cafe' }, (r) => heard.push(r.body as string));
  const stopAll = store.subscribe({}, (r) => everything.push(r.body));
  assert.equal(store.subscriberCount, 2);
  store.add([log({ body: 'fine' }), log({ body: 'bad', severityNumber: 17 }), log({ body: 'elsewhere', severityNumber: 17, service: 'payments' })]);
  assert.deepEqual(heard, ['bad']);
  assert.deepEqual(everything, ['fine', 'bad', 'elsewhere']);
  stopErrors();
  store.add([log({ body: 'worse', severityNumber: 21 })]);
  assert.deepEqual(heard, ['bad']);
  stopAll();
  stopAll();
  assert.equal(store.subscriberCount, 0);
});

test('a throwing subscriber neither stops ingest nor the other subscribers', () => {
  const store = new LogStore({ clock: clockAt(0).now });
  const heard: unknown[] = [];
  store.subscribe({}, () => {
    throw new Error('listener bug');
  });
  store.subscribe({}, (r) => heard.push(r.body));
  store.add([log({ body: 'a' }), log({ body: 'b' })]);
  assert.deepEqual(heard, ['a', 'b']);
  assert.equal(store.stats().logs, 2);
});

test('a stored record keeps every field it arrived with', () => {
  const store = new LogStore({ clock: clockAt(0).now });
  const original: LogData = log({ body: { a: [1, 'x'] }, attributes: { n: 1, s: 'v', b: true }, traceId: TRACE, spanId: '051581bf3cb55c13', observedUs: 7 });
  const copy = structuredClone(original);
  store.add([original]);
  assert.deepEqual(store.search({}).records[0], copy);
});

test('property: the ring never holds more than maxLogs and stored + dropped = added', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 8 }), fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constant(-1)), { maxLength: 40 }), (maxLogs, steps) => {
      const clock = clockAt(0);
      const store = new LogStore({ limits: { maxLogs, retentionMs: 3 }, clock: clock.now });
      let added = 0;
      for (const n of steps) {
        if (n < 0) clock.advance(2);
        else {
          store.add(Array.from({ length: n }, (_, i) => log({ timeUs: added + i, body: added + i })));
          added += n;
        }
        const stats = store.stats();
        assert.ok(stats.logs <= maxLogs);
        assert.equal(stats.logs + stats.droppedLogs, added);
        const kept = store.search({ limit: 1_000 }).records.map((r) => r.body as number);
        assert.equal(kept.length, stats.logs);
        // What is kept is always the newest records, newest first.
        assert.deepEqual(kept, Array.from({ length: kept.length }, (_, i) => added - 1 - i));
      }
    }),
    { numRuns: 300 },
  );
});
