/** The status endpoints of the Prometheus API: /-/ready, /-/healthy and /api/v1/targets. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LabError } from '../../errors.js';
import type { ScrapeTargetHealth } from '../scrape/index.js';
import { sendError } from './prom-http.js';

export function probe(req: IncomingMessage, res: ServerResponse, path: string): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendError(res, new LabError('LAB_QUERY_METHOD_NOT_ALLOWED', `method ${req.method ?? ''} not allowed on ${path}; use GET, HEAD`), { allow: 'GET, HEAD' });
    return true;
  }
  // Prometheus's exact bodies, which some readiness checks compare.
  const text = path === '/-/ready' ? 'Prometheus Server is Ready.\n' : 'Prometheus Server is Healthy.\n';
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(req.method === 'HEAD' ? undefined : text);
  return true;
}

/** A duration as Prometheus prints one (model.Duration): `15s`, `1m30s`, `500ms`. */
function promDuration(ms: number): string {
  if (ms <= 0) return '0s';
  const units: [string, number][] = [['y', 31_536_000_000], ['w', 604_800_000], ['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];
  let rest = Math.round(ms);
  let out = '';
  for (const [unit, size] of units) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out;
}

export function targetJson(t: ScrapeTargetHealth): Record<string, unknown> {
  return {
    discoveredLabels: { __address__: t.instance, __metrics_path__: new URL(t.url).pathname, __scheme__: new URL(t.url).protocol.slice(0, -1), job: t.job },
    labels: { instance: t.instance, job: t.job },
    scrapePool: t.job,
    scrapeUrl: t.url,
    globalUrl: t.url,
    lastError: t.lastError,
    lastScrape: t.lastScrapeMs === undefined ? '0001-01-01T00:00:00Z' : new Date(t.lastScrapeMs).toISOString(),
    lastScrapeDuration: t.lastDurationSeconds,
    health: t.health,
    scrapeInterval: promDuration(t.intervalMs),
    scrapeTimeout: promDuration(t.timeoutMs),
  };
}
