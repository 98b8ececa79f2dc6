/** Scrape targets: validated once, then frozen, with the job and instance labels Prometheus would give them. */
import { LabError, describeValue } from '../../errors.js';

export interface ScrapeTargetOptions {
  /** `http(s)://host:port/path`; `host:port` alone means `http://host:port/metrics`, as Prometheus's static_configs. */
  url: string;
  /** The `job` label; default `scrape`. */
  job?: string;
  intervalMs: number;
}

export interface ScrapeTarget {
  /** The URL scraped, without credentials. */
  readonly url: string;
  readonly job: string;
  /** `host:port` of the URL, with the scheme's default port when it names none (Prometheus's `instance`). */
  readonly instance: string;
  readonly intervalMs: number;
  /** The scraper's timeout, capped at the interval as Prometheus requires. */
  readonly timeoutMs: number;
  /** `Basic ...` when the URL carried user:password (fetch refuses URLs with credentials). */
  readonly authorization: string | undefined;
}

export const DEFAULT_JOB = 'scrape';
export const DEFAULT_SCRAPE_TIMEOUT_MS = 10_000;

const HOST_PORT = /^(?:\[[0-9a-fA-F:.]+\]|[^/:@\s[\]]+):\d{1,5}$/;

function bad(message: string): LabError {
  return new LabError('LAB_SCRAPE_BAD_TARGET', message);
}

function isPositiveMs(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/** Validates the scraper's timeout and its targets; throws LAB_SCRAPE_BAD_TARGET naming the field and the value. */
export function resolveTargets(targets: readonly ScrapeTargetOptions[], timeoutMs: number = DEFAULT_SCRAPE_TIMEOUT_MS): ScrapeTarget[] {
  if (!isPositiveMs(timeoutMs)) throw bad(`timeoutMs must be a positive number of milliseconds, received ${describeValue(timeoutMs)}`);
  const list: unknown = targets;
  if (!Array.isArray(list)) throw bad(`targets must be an array of { url, job?, intervalMs }, received ${describeValue(list)}`);
  const seen = new Map<string, number>();
  return targets.map((target, i) => {
    const where = `targets[${i}]`;
    const raw: unknown = (target as Partial<ScrapeTargetOptions> | undefined)?.url;
    if (typeof raw !== 'string' || raw.trim() === '') {
      throw bad(`${where}.url must be a URL such as http://127.0.0.1:8000/metrics, received ${describeValue(raw)}`);
    }
    const text = raw.trim();
    const withScheme = HOST_PORT.test(text) ? `http://${text}/metrics` : text;
    let url: URL;
    try {
      url = new URL(withScheme);
    } catch {
      throw bad(`${where}.url must be a URL such as http://127.0.0.1:8000/metrics, received ${JSON.stringify(raw)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw bad(`${where}.url must be an http:// or https:// URL, received ${JSON.stringify(raw)} (scheme ${url.protocol.slice(0, -1)})`);
    }
    if (url.hostname === '') throw bad(`${where}.url must name a host, received ${JSON.stringify(raw)}`);
    // "http://host:8000" (no path at all) means /metrics, as a Prometheus static target does.
    if (url.pathname === '/' && !/^[a-z]+:\/\/[^/]+\//i.test(withScheme)) url.pathname = '/metrics';
    const intervalMs: unknown = target.intervalMs;
    const job: unknown = target.job ?? DEFAULT_JOB;
    if (!isPositiveMs(intervalMs)) throw bad(`${where}.intervalMs must be a positive number of milliseconds, received ${describeValue(intervalMs)} (for ${url.href})`);
    if (typeof job !== 'string' || job === '') throw bad(`${where}.job must be a non-empty string, received ${describeValue(job)} (for ${url.href})`);

    let authorization: string | undefined;
    if (url.username !== '' || url.password !== '') {
      const user = decodeURIComponent(url.username);
      const password = decodeURIComponent(url.password);
      authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      url.username = '';
      url.password = '';
    }
    const port = url.port === '' ? (url.protocol === 'https:' ? '443' : '80') : url.port;
    const instance = `${url.hostname}:${port}`;
    const key = `${job}\n${url.href}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) throw bad(`${where} repeats targets[${earlier}]: the same url ${JSON.stringify(url.href)} and job ${JSON.stringify(job)} would write the same series twice`);
    seen.set(key, i);
    return Object.freeze({ url: url.href, job, instance, intervalMs, timeoutMs: Math.min(timeoutMs, intervalMs), authorization });
  });
}
