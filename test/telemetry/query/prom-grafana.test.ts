/**
 * The requests Grafana's Prometheus data source makes, in the form it makes them
 * (form POSTs, float seconds), against the real pieces: the scraper fills the metric
 * store from a real /metrics target, and the API answers through the PromQL engine.
 */
/* eslint-disable @typescript-eslint/no-unsafe-member-access -- reply bodies are parsed JSON, walked by the assertions */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createMetricStore } from '../../../src/telemetry/metrics/index.js';
import { instantQuery, parseSeriesSelector, rangeQuery } from '../../../src/telemetry/promql/index.js';
import { createPromApi } from '../../../src/telemetry/query/prom-api.js';
import { createScraper } from '../../../src/telemetry/scrape/index.js';
import { call, postForm, servePromRoute } from './prom-serve.js';

const T0 = 1_700_000_000_000;

test('Grafana: Save & test, the metric browser, and a time series panel over scraped data', async (t) => {
  let tick = 0;
  const target = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(
      [
        '# HELP cafe_http_requests_total Requests by route.',
        '# TYPE cafe_http_requests_total counter',
        `cafe_http_requests_total{route="/menu"} ${tick * 30}`,
        `cafe_http_requests_total{route="/orders"} ${tick * 6}`,
        '',
      ].join('\n'),
    );
  });
  target.listen(0, '127.0.0.1');
  await once(target, 'listening');
  t.after(async () => {
    target.closeAllConnections();
    await new Promise<void>((resolve) => target.close(() => resolve()));
  });
  const instance = `127.0.0.1:${(target.address() as AddressInfo).port}`;

  let now = T0;
  const clock = (): number => now;
  const store = createMetricStore({ clock });
  const scraper = createScraper({
    targets: [{ url: `http://${instance}/metrics`, job: 'cafe', intervalMs: 15_000 }],
    sink: { addSamples: (s) => void store.append(s), addSpans: () => undefined, addMetrics: () => undefined, addLogs: () => undefined },
    clock,
  });
  for (tick = 0; tick <= 8; tick++) {
    now = T0 + tick * 15_000;
    assert.equal((await scraper.scrapeOnce(scraper.targets[0]!)).ok, true);
  }
  const url = await servePromRoute(
    t,
    createPromApi({ source: store, engine: { instantQuery, rangeQuery, parseSeriesSelector }, clock, metadata: () => scraper.metadata(), targets: () => scraper.health() }),
  );

  // Save & test: `1+1` at time 4, then buildinfo.
  assert.deepEqual((await postForm(`${url}/api/v1/query`, { query: '1+1', time: '4' })).json, { status: 'success', data: { resultType: 'scalar', result: [4, '2'] } });
  assert.equal((await call(`${url}/api/v1/status/buildinfo`)).json.status, 'success');

  // The metric browser.
  const window = { start: String(T0 / 1000), end: String(now / 1000) };
  assert.deepEqual((await call(`${url}/api/v1/label/__name__/values?start=${window.start}&end=${window.end}`)).json.data, [
    'cafe_http_requests_total',
    'scrape_duration_seconds',
    'scrape_samples_post_metric_relabeling',
    'scrape_samples_scraped',
    'scrape_series_added',
    'up',
  ]);
  assert.deepEqual((await postForm(`${url}/api/v1/labels`, { 'match[]': 'cafe_http_requests_total', ...window })).json.data, ['__name__', 'instance', 'job', 'route']);
  assert.deepEqual((await postForm(`${url}/api/v1/series`, { 'match[]': 'up', ...window })).json.data, [{ __name__: 'up', instance, job: 'cafe' }]);
  assert.deepEqual((await call(`${url}/api/v1/metadata`)).json.data, {
    cafe_http_requests_total: [{ type: 'counter', help: 'Requests by route.', unit: '' }],
  });
  assert.equal((await call(`${url}/api/v1/targets`)).json.data.activeTargets[0].health, 'up');

  // A time series panel: rate by route over the last minute, one point per 15 s.
  const panel = await postForm(`${url}/api/v1/query_range`, {
    query: 'sum by (route) (rate(cafe_http_requests_total[1m]))',
    start: String((T0 + 60_000) / 1000),
    end: String(now / 1000),
    step: '15',
  });
  assert.equal(panel.json.data.resultType, 'matrix');
  const series = panel.json.data.result as { metric: Record<string, string>; values: [number, string][] }[];
  assert.deepEqual(
    series.map((s) => [s.metric['route'], s.values.length, new Set(s.values.map((v) => v[1])).size]),
    [['/menu', 5, 1], ['/orders', 5, 1]],
    'a steady counter has one rate at every step',
  );
  const [menu, orders] = series.map((s) => Number(s.values[0]![1]));
  assert.ok(Math.abs(menu! - 2) < 1e-12 && Math.abs(orders! - 0.4) < 1e-12, `30 and 6 requests per 15 s: ${menu}, ${orders}`);
  assert.deepEqual((await call(`${url}/api/v1/query?query=up`)).json.data.result, [{ metric: { __name__: 'up', instance, job: 'cafe' }, value: [now / 1000, '1'] }]);
});
