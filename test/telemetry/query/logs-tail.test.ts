/**
 * GET /api/logs/tail: Server-Sent Events read by a real HTTP client. The heartbeat
 * interval is injected, so the test fires it by hand; no sleeps, no real timers.
 */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import { LogStore } from '../../../src/telemetry/logs/index.js';
import { createLogsApi } from '../../../src/telemetry/query/logs-api.js';
import type { IntervalTimers } from '../../../src/telemetry/query/logs-tail.js';
import { T0_US, log } from '../logs/fixtures.js';
import { getJson, serveRoute } from './jaeger-serve.js';

const NOW_MS = T0_US / 1000 + 60_000;

/** Interval timers the test fires by hand; remembers which are still set. */
function fakeTimers(): IntervalTimers & { active: Map<number, { callback: () => void; ms: number }>; fire(): void } {
  const active = new Map<number, { callback: () => void; ms: number }>();
  let next = 1;
  return {
    active,
    setInterval(callback, ms) {
      const id = next++;
      active.set(id, { callback, ms });
      return id;
    },
    clearInterval(handle) {
      active.delete(handle as number);
    },
    fire() {
      for (const timer of active.values()) timer.callback();
    },
  };
}

/** An SSE reader over node:http: frames as they arrive (comments kept as ': ...'). */
interface SseClient {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Resolves with the next `count` frames (blank-line separated). */
  frames(count: number): Promise<string[]>;
  close(): void;
}

async function openTail(t: TestContext, url: string): Promise<SseClient> {
  const req = http.get(url);
  t.after(() => req.destroy());
  const [res] = (await once(req, 'response')) as [http.IncomingMessage];
  res.setEncoding('utf8');
  let buffered = '';
  const ready: string[] = [];
  let waiter: (() => void) | undefined;
  res.on('data', (chunk: string) => {
    buffered += chunk;
    let end: number;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      ready.push(buffered.slice(0, end));
      buffered = buffered.slice(end + 2);
    }
    waiter?.();
  });
  return {
    status: res.statusCode ?? 0,
    headers: res.headers,
    async frames(count) {
      while (ready.length < count) await new Promise<void>((resolve) => (waiter = resolve));
      return ready.splice(0, count);
    },
    close: () => req.destroy(),
  };
}

function dataOf(frame: string): { body: unknown; severity: string; time: string; service: string } {
  assert.ok(frame.startsWith('data: '), frame);
  return JSON.parse(frame.slice('data: '.length)) as { body: unknown; severity: string; time: string; service: string };
}

async function start(t: TestContext): Promise<{ url: string; store: LogStore; timers: ReturnType<typeof fakeTimers>; nextClose: (path: string) => Promise<void> }> {
  const store = new LogStore({ clock: () => NOW_MS });
  const timers = fakeTimers();
  const served = await serveRoute(t, createLogsApi({ logs: store, clock: () => NOW_MS, timers, heartbeatMs: 15_000 }));
  return { url: served.url, store, timers, nextClose: served.nextClose };
}

test('the tail streams each new matching record as an SSE data frame', async (t) => {
  const { url, store, timers } = await start(t);
  const tail = await openTail(t, `${url}/api/logs/tail?severity=WARN&service=cafe`);
  assert.equal(tail.status, 200);
  assert.equal(tail.headers['content-type'], 'text/event-stream');
  assert.equal(tail.headers['cache-control'], 'no-cache');
  assert.deepEqual(await tail.frames(1), [': cloudlab log tail']);
  assert.equal(store.subscriberCount, 1);
  assert.deepEqual([...timers.active.values()].map((timer) => timer.ms), [15_000]);

  store.add([
    log({ body: 'quiet', severityNumber: 9 }),
    log({ body: 'careful', severityNumber: 13, severityText: 'WARN', timeUs: T0_US + 1 }),
    log({ body: 'elsewhere', severityNumber: 17, service: 'payments' }),
    log({ body: { structured: true }, severityNumber: 17, severityText: 'ERROR' }),
  ]);
  const [first, second] = await tail.frames(2);
  assert.deepEqual(dataOf(first ?? ''), { ...dataOf(first ?? ''), body: 'careful', severity: 'WARN', time: '2024-05-01T10:40:00.000001Z', service: 'cafe' });
  assert.deepEqual(dataOf(second ?? '').body, { structured: true });
  assert.equal(dataOf(second ?? '').severity, 'ERROR');
});

test('heartbeats are comments, sent each time the injected interval fires', async (t) => {
  const { url, timers } = await start(t);
  const tail = await openTail(t, `${url}/api/logs/tail`);
  await tail.frames(1);
  timers.fire();
  timers.fire();
  assert.deepEqual(await tail.frames(2), [': heartbeat', ': heartbeat']);
});

test('since replays the recent matching records, oldest first, before the live ones', async (t) => {
  const { url, store } = await start(t);
  store.add([
    log({ body: 'too old', timeUs: NOW_MS * 1000 - 120_000_000 }),
    log({ body: 'recent 1', timeUs: NOW_MS * 1000 - 20_000_000 }),
    log({ body: 'recent debug', timeUs: NOW_MS * 1000 - 15_000_000, severityNumber: 5 }),
    log({ body: 'recent 2', timeUs: NOW_MS * 1000 - 10_000_000 }),
  ]);
  const tail = await openTail(t, `${url}/api/logs/tail?since=30s&severity=INFO`);
  const frames = await tail.frames(3);
  assert.equal(frames[0], ': cloudlab log tail');
  assert.deepEqual(frames.slice(1).map((f) => dataOf(f).body), ['recent 1', 'recent 2']);
  store.add([log({ body: 'live', timeUs: NOW_MS * 1000 })]);
  assert.deepEqual((await tail.frames(1)).map((f) => dataOf(f).body), ['live']);

  // since as a time, and a limit on the replay (the newest records of the window win).
  const limited = await openTail(t, `${url}/api/logs/tail?since=${NOW_MS * 1000 - 60_000_000}&limit=1`);
  assert.deepEqual((await limited.frames(2)).map((f) => (f.startsWith(':') ? f : dataOf(f).body)), [': cloudlab log tail', 'live']);
});

test('when the client goes, its subscription and heartbeat go too: no listener leaks', async (t) => {
  const { url, store, timers, nextClose } = await start(t);
  const tails = await Promise.all([openTail(t, `${url}/api/logs/tail`), openTail(t, `${url}/api/logs/tail?q=x`)]);
  await Promise.all(tails.map((tail) => tail.frames(1)));
  assert.equal(store.subscriberCount, 2);
  assert.equal(timers.active.size, 2);

  const closed = nextClose('/api/logs/tail');
  tails[0]?.close();
  await closed;
  assert.equal(store.subscriberCount, 1);
  assert.equal(timers.active.size, 1);

  // The other tail still streams; records added now reach nobody who left.
  store.add([log({ body: 'x marks' })]);
  assert.equal(dataOf((await tails[1]?.frames(1))?.[0] ?? '').body, 'x marks');

  const closedToo = nextClose('/api/logs/tail');
  tails[1]?.close();
  await closedToo;
  assert.equal(store.subscriberCount, 0);
  assert.equal(timers.active.size, 0);
  store.add([log({ body: 'after everyone left' })]);
  assert.equal(store.stats().logs, 2);
});

test('a bad tail parameter is refused with JSON before any stream starts', async (t) => {
  const { url, store, timers } = await start(t);
  for (const [query, message] of [
    ['severity=LOUD', 'severity must be an integer 0-24 or a name (TRACE, DEBUG, INFO, WARN, ERROR, FATAL), received "LOUD"'],
    ['since=soon', 'since must be a duration (30s, 5m) or an RFC 3339 time (2024-05-01T12:00:00.000001Z) or a Unix time in s, ms, µs or ns, received "soon"'],
    ['traceId=nothex', 'traceId must be 32 hex digits, received "nothex"'],
  ] as const) {
    const res = await getJson(`${url}/api/logs/tail?${query}`);
    assert.equal(res.status, 400, query);
    assert.deepEqual(res.body, { error: { code: 'LAB_LOGS_BAD_PARAM', message } });
  }
  assert.equal(store.subscriberCount, 0);
  assert.equal(timers.active.size, 0);
});

test('HEAD on the tail answers the headers and subscribes nobody', async (t) => {
  const { url, store, timers } = await start(t);
  const res = await fetch(`${url}/api/logs/tail`, { method: 'HEAD' });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/event-stream');
  assert.equal(store.subscriberCount, 0);
  assert.equal(timers.active.size, 0);
});

test('a client that stops reading gets records skipped, and told how many, instead of unbounded buffering', async (t) => {
  const { url, store } = await start(t);
  const req = http.get(`${url}/api/logs/tail`);
  t.after(() => req.destroy());
  const [res] = (await once(req, 'response')) as [http.IncomingMessage];
  res.pause();
  const TOTAL = 30_000; // 30 MB of frames: more than the socket buffers hold
  const padding = 'x'.repeat(1_000);
  for (let i = 0; i < TOTAL; i++) store.add([log({ body: `${i} ${padding}` })]);

  res.setEncoding('utf8');
  let buffered = '';
  let received = 0;
  let skipped = 0;
  let sentLast = false;
  res.resume();
  for await (const chunk of res as AsyncIterable<string>) {
    buffered += chunk;
    let end: number;
    let done = false;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const frame = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const note = /^: skipped (\d+) records/.exec(frame);
      if (note) {
        skipped += Number(note[1]);
        // Sent on drain: the queue is empty now, so the next record goes through.
        store.add([log({ body: 'last' })]);
        sentLast = true;
      } else if (frame.startsWith('data: ')) {
        received++;
        done = dataOf(frame).body === 'last';
      }
    }
    if (done) break;
  }
  assert.ok(sentLast && skipped > 0, 'some records were skipped, and the client was told');
  assert.equal(received + skipped, TOTAL + 1);
});
