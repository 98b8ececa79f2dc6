/**
 * Test helpers for the Prometheus API: a real HTTP server on 127.0.0.1:0 hosting one
 * route (closed after the test; paths the route lets through get 404 "not mine"), a
 * fetch that returns status, headers and parsed JSON, and small fakes of the engine
 * and the series source.
 */
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import type { Matcher, QueryRoute, SeriesData, SeriesSource } from '../../../src/telemetry/contracts.js';
import type { Labels } from '../../../src/telemetry/model.js';
import { compileMatcher } from '../../../src/telemetry/promql/index.js';

export async function servePromRoute(t: TestContext, route: QueryRoute): Promise<string> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!route(req, res, url)) res.writeHead(404, { 'content-type': 'text/plain' }).end('not mine');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test assertions walk the body freely
}

export async function call(url: string, init: RequestInit = {}): Promise<Reply> {
  const res = await fetch(url, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** A form-encoded POST, as Grafana sends queries. */
export function postForm(url: string, form: Record<string, string | string[]>): Promise<Reply> {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) for (const v of [value].flat()) body.append(key, v);
  return call(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
}

/** A SeriesSource over fixed series, with Prometheus matcher semantics. */
export function fixedSource(series: { labels: Labels; samples: [number, number][] }[]): SeriesSource {
  const matches = (labels: Labels, matchers: readonly Matcher[]): boolean => matchers.every((m) => compileMatcher(m)(labels[m.name] ?? ''));
  const within = (startMs: number, endMs: number) => (s: { samples: [number, number][] }) => s.samples.some(([t]) => t >= startMs && t <= endMs);
  const chosen = (selectors: readonly (readonly Matcher[])[], startMs: number, endMs: number) =>
    series.filter((s) => (selectors.length === 0 || selectors.some((m) => matches(s.labels, m))) && within(startMs, endMs)(s));
  return {
    select(matchers, startMs, endMs): SeriesData[] {
      return series
        .filter((s) => matches(s.labels, matchers))
        .map((s) => {
          const kept = s.samples.filter(([t]) => t >= startMs && t <= endMs);
          return { labels: s.labels, timestamps: kept.map(([t]) => t), values: kept.map(([, v]) => v) };
        });
    },
    labelNames(selectors, startMs, endMs) {
      return [...new Set(chosen(selectors, startMs, endMs).flatMap((s) => Object.keys(s.labels)))];
    },
    labelValues(name, selectors, startMs, endMs) {
      return [...new Set(chosen(selectors, startMs, endMs).flatMap((s) => (s.labels[name] === undefined ? [] : [s.labels[name]])))];
    },
  };
}
