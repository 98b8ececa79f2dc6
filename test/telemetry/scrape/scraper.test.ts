/**
 * The scraper against real node:http /metrics targets on 127.0.0.1:0: labels and
 * timestamps as Prometheus gives them, the report series, failing, slow and malformed
 * targets (up 0) that never hold up a healthy one, and the start()/stop() loop.
 */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import type { TelemetrySink } from '../../../src/telemetry/contracts.js';
import type { Sample } from '../../../src/telemetry/model.js';
import { SCRAPER_USER_AGENT, createScraper } from '../../../src/telemetry/scrape/index.js';

const NOW_MS = 1_700_000_000_000;

interface Target {
  url: string;
  requests: http.IncomingHttpHeaders[];
  /** Resolves when the target has answered `count` requests in all. */
  served(count: number): Promise<void>;
}

async function target(t: TestContext, answer: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<Target> {
  const requests: http.IncomingHttpHeaders[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.headers);
    res.on('finish', () => {
      for (const w of waiters.filter((x) => requests.length >= x.count)) w.resolve();
    });
    answer(req, res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`,
    requests,
    served: (count) => new Promise((resolve) => {
      if (requests.length >= count) resolve();
      else waiters.push({ count, resolve });
    }),
  };
}

function text(body: string): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(body);
  };
}

function recordingSink(): TelemetrySink & { samples: Sample[]; written: (pred: (s: Sample) => boolean) => Promise<void> } {
  const samples: Sample[] = [];
  const waiters: { pred: (s: Sample) => boolean; resolve: () => void }[] = [];
  return {
    samples,
    addSpans: () => undefined,
    addMetrics: () => undefined,
    addLogs: () => undefined,
    addSamples(batch) {
      samples.push(...batch);
      for (const w of [...waiters]) if (batch.some(w.pred)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    },
    written: (pred) => new Promise((resolve) => {
      if (samples.some(pred)) resolve();
      else waiters.push({ pred, resolve });
    }),
  };
}

function find(samples: Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return samples.filter((s) => s.labels['__name__'] === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

const EXPOSITION = [
  '# TYPE cafe_orders_total counter',
  'cafe_orders_total{status="ok",job="checkout",instance="pod-1"} 12',
  'cafe_orders_total{status="",route="/orders"} 3',
  '# TYPE cafe_latency_seconds histogram',
  'cafe_latency_seconds_bucket{le="0.1"} 4 1699999990000',
  'cafe_latency_seconds_bucket{le="+Inf"} 5 1699999990000',
  'cafe_latency_seconds_sum 0.7 1699999990000',
  'cafe_latency_seconds_count 5 1699999990000',
  '',
].join('\n');

test('a scrape writes the exposed samples with job and instance, honours timestamps, and adds the report series', async (t) => {
  const metrics = await target(t, text(EXPOSITION));
  const sink = recordingSink();
  const scraper = createScraper({ targets: [{ url: metrics.url, job: 'cafe', intervalMs: 15_000 }], sink, clock: () => NOW_MS });
  const instance = new URL(metrics.url).host;
  const result = await scraper.scrapeOnce(scraper.targets[0]!);
  assert.equal(result.ok, true);
  assert.equal(result.ok && result.samples, 6);

  const [ok] = find(sink.samples, 'cafe_orders_total', { status: 'ok' });
  assert.deepEqual(ok, {
    labels: { status: 'ok', exported_job: 'checkout', exported_instance: 'pod-1', __name__: 'cafe_orders_total', job: 'cafe', instance },
    timeMs: NOW_MS,
    value: 12,
  });
  const [empty] = find(sink.samples, 'cafe_orders_total', { route: '/orders' });
  assert.equal(empty?.labels['status'], undefined, 'an empty label is no label');
  assert.deepEqual(find(sink.samples, 'cafe_latency_seconds_bucket').map((s) => [s.labels['le'], s.value, s.timeMs]), [
    ['0.1', 4, 1_699_999_990_000],
    ['+Inf', 5, 1_699_999_990_000],
  ]);
  const report = (name: string) => find(sink.samples, name, { job: 'cafe', instance });
  assert.deepEqual(report('up').map((s) => [s.value, s.timeMs]), [[1, NOW_MS]]);
  assert.deepEqual(report('scrape_samples_scraped').map((s) => s.value), [6]);
  assert.deepEqual(report('scrape_samples_post_metric_relabeling').map((s) => s.value), [6]);
  assert.deepEqual(report('scrape_series_added').map((s) => s.value), [6]);
  const [duration] = report('scrape_duration_seconds');
  assert.ok(duration && duration.value > 0 && duration.value < 5, `scrape_duration_seconds ${duration?.value}`);
  assert.deepEqual(Object.keys(duration.labels).sort(), ['__name__', 'instance', 'job']);

  // The request looks like Prometheus's.
  assert.equal(metrics.requests[0]?.['user-agent'], SCRAPER_USER_AGENT);
  assert.match(metrics.requests[0]?.accept ?? '', /^text\/plain;version=0\.0\.4/);
  assert.equal(metrics.requests[0]?.['x-prometheus-scrape-timeout-seconds'], '10');

  // A second scrape of the same series adds none.
  await scraper.scrapeOnce(scraper.targets[0]!);
  assert.deepEqual(report('scrape_series_added').map((s) => s.value), [6, 0]);
  assert.deepEqual(scraper.metadata().get('cafe_latency_seconds'), [{ type: 'histogram', help: '', unit: '' }]);
  const [health] = scraper.health();
  assert.equal(health?.health, 'up');
  assert.equal(health?.lastSamples, 6);
  assert.equal(health?.lastScrapeMs, NOW_MS);
});

test('the job defaults to "scrape", a bare host:port means /metrics, and credentials become basic auth', async (t) => {
  const metrics = await target(t, text('x 1\n'));
  const sink = recordingSink();
  const hostPort = new URL(metrics.url).host;
  const scraper = createScraper({ targets: [{ url: `http://lab:s%40cret@${hostPort}`, intervalMs: 1000 }], sink, clock: () => NOW_MS });
  const [only] = scraper.targets;
  assert.equal(only?.url, `http://${hostPort}/metrics`);
  assert.equal(only?.job, 'scrape');
  assert.equal(only?.timeoutMs, 1000, 'the timeout is capped at the interval');
  assert.ok(only);
  assert.equal((await scraper.scrapeOnce(only)).ok, true);
  assert.equal(metrics.requests[0]?.authorization, `Basic ${Buffer.from('lab:s@cret').toString('base64')}`);
  assert.deepEqual(find(sink.samples, 'x')[0]?.labels, { __name__: 'x', job: 'scrape', instance: hostPort });
  assert.equal(createScraper({ targets: [{ url: hostPort, intervalMs: 1 }], sink }).targets[0]?.url, `http://${hostPort}/metrics`);
});

test('failures write up 0 and no samples, and say why: refused, HTTP 500, malformed, timeout', async (t) => {
  const broken = await target(t, (_req, res) => res.writeHead(500).end('boom'));
  const malformed = await target(t, text('x{a="1" 1\n'));
  const slow = await target(t, () => undefined); // never answers
  // A port that refuses: listen, note it, close.
  const gone = http.createServer();
  gone.listen(0, '127.0.0.1');
  await once(gone, 'listening');
  const gonePort = (gone.address() as AddressInfo).port;
  await new Promise<void>((resolve) => gone.close(() => resolve()));

  const sink = recordingSink();
  const scraper = createScraper({
    targets: [
      { url: `http://127.0.0.1:${gonePort}/metrics`, job: 'gone', intervalMs: 60_000 },
      { url: broken.url, job: 'broken', intervalMs: 60_000 },
      { url: malformed.url, job: 'malformed', intervalMs: 60_000 },
      { url: slow.url, job: 'slow', intervalMs: 60_000 },
    ],
    sink,
    clock: () => NOW_MS,
    timeoutMs: 200,
  });
  const results = await Promise.all(scraper.targets.map((tg) => scraper.scrapeOnce(tg)));
  const errors = results.map((r) => (r.ok ? 'ok' : r.error));
  assert.match(errors[0]!, new RegExp(`^Get "http://127.0.0.1:${gonePort}/metrics": .*ECONNREFUSED|connect`));
  assert.equal(errors[1], 'server returned HTTP status 500 Internal Server Error');
  assert.match(errors[2]!, /^invalid exposition: Encountered invalid line/);
  assert.equal(errors[3], 'scrape timed out after 200ms');
  for (const job of ['gone', 'broken', 'malformed', 'slow']) {
    assert.deepEqual(find(sink.samples, 'up', { job }).map((s) => s.value), [0], job);
    assert.deepEqual(find(sink.samples, 'scrape_samples_scraped', { job }).map((s) => s.value), [0], job);
  }
  assert.equal(sink.samples.filter((s) => !s.labels['__name__']!.startsWith('scrape_') && s.labels['__name__'] !== 'up').length, 0);
  assert.deepEqual(scraper.health().map((h) => [h.job, h.health]), [['gone', 'down'], ['broken', 'down'], ['malformed', 'down'], ['slow', 'down']]);
  assert.equal(scraper.health()[1]?.lastError, 'server returned HTTP status 500 Internal Server Error');
});

test('start() scrapes every target on its own loop: a hung target does not delay a healthy one; stop() aborts it', async (t) => {
  const healthy = await target(t, text('alive 1\n'));
  const hung = await target(t, () => undefined);
  const sink = recordingSink();
  const scraper = createScraper({
    targets: [
      { url: hung.url, job: 'hung', intervalMs: 60_000 },
      { url: healthy.url, job: 'healthy', intervalMs: 250 }, // the timeout is capped at the interval
    ],
    sink,
    timeoutMs: 60_000,
  });
  t.after(() => scraper.stop());
  scraper.start();
  scraper.start(); // twice: still one loop per target
  // The healthy target is scraped again and again while the hung one has not answered once.
  await healthy.served(3);
  await sink.written((s) => s.labels['__name__'] === 'up' && s.labels['job'] === 'healthy');
  assert.equal(hung.requests.length, 1);
  assert.equal(find(sink.samples, 'up', { job: 'hung' }).length, 0, 'the hung scrape is still in flight');
  await scraper.stop();
  assert.equal(find(sink.samples, 'up', { job: 'hung' }).length, 0, 'an aborted scrape writes nothing');
  const count = healthy.requests.length;
  assert.ok(find(sink.samples, 'alive', { job: 'healthy' }).length >= 2);
  // After stop() no timer is left: a new scrape happens only when asked.
  const result = await scraper.scrapeOnce(scraper.targets[1]!);
  assert.equal(result.ok, true);
  assert.equal(healthy.requests.length, count + 1);
});

test('gzip bodies are read, redirects followed; protobuf and oversized bodies fail the scrape', async (t) => {
  const gzipped = await target(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4', 'content-encoding': 'gzip' }).end(gzipSync('zipped 42\n'));
  });
  const moved = await target(t, (_req, res) => res.writeHead(302, { location: gzipped.url }).end());
  const proto = await target(t, (_req, res) => res.writeHead(200, { 'content-type': 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily' }).end('x'));
  const huge = await target(t, text(`big 1\n${'# padding\n'.repeat(200)}`));
  const badGzip = await target(t, (_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end('not gzip'));
  const sink = recordingSink();
  const scraper = createScraper({
    targets: [
      { url: moved.url, job: 'moved', intervalMs: 1000 },
      { url: proto.url, job: 'proto', intervalMs: 1000 },
      { url: huge.url, job: 'huge', intervalMs: 1000 },
      { url: badGzip.url, job: 'badgzip', intervalMs: 1000 },
    ],
    sink,
    clock: () => NOW_MS,
    maxBodyBytes: 1000,
  });
  const [r1, r2, r3, r4] = await Promise.all(scraper.targets.map((tg) => scraper.scrapeOnce(tg)));
  assert.equal(r1?.ok, true, JSON.stringify(r1));
  assert.equal(gzipped.requests[0]?.['accept-encoding'], 'gzip');
  assert.deepEqual(find(sink.samples, 'zipped').map((s) => [s.value, s.labels['job'], s.labels['instance']]), [[42, 'moved', new URL(moved.url).host]]);
  assert.equal(r2?.ok === false && r2.error, 'unsupported Content-Type "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily"; expected the text format (text/plain; version=0.0.4)');
  assert.equal(r3?.ok === false && r3.error, 'body exceeded the 1000-byte limit');
  assert.match(r4?.ok === false ? r4.error : '', /^Get ".*": incorrect header check$/);
});
