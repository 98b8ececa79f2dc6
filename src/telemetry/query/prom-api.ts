/**
 * The Prometheus HTTP API (https://prometheus.io/docs/prometheus/latest/querying/api/)
 * over a SeriesSource and the PromQL engine: the endpoints Grafana's Prometheus data
 * source and Prometheus clients call, with Prometheus's parameters, JSON envelope,
 * error types and statuses. GET and form-encoded POST, as Grafana sends either.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LabError, isLabError } from '../../errors.js';
import type { Clock, Matcher, QueryRoute, SeriesSource } from '../contracts.js';
import type { Labels } from '../model.js';
import { MAX_POINTS_PER_SERIES } from '../promql/index.js';
import type { QueryOptions, QueryResult } from '../promql/index.js';
import type { MetricMetadata, ScrapeTargetHealth } from '../scrape/index.js';
import { readForm, sendError, sendSuccess } from './prom-http.js';
import { probe, targetJson } from './prom-status.js';
import { MAX_TIME_MS, MIN_TIME_MS, PromParams, badParam, parseDurationMs } from './prom-params.js';

/** Prometheus's default `--query.timeout`. */
export const DEFAULT_QUERY_TIMEOUT_MS = 2 * 60 * 1000;
/** The Prometheus version /api/v1/status/buildinfo reports: the API surface the hub offers. */
export const PROMETHEUS_COMPAT_VERSION = '2.53.0';

/** The PromQL engine functions the API calls (src/telemetry/promql). */
export interface PromEngine {
  instantQuery(source: SeriesSource, query: string, timeMs: number, options?: QueryOptions): QueryResult;
  rangeQuery(source: SeriesSource, query: string, startMs: number, endMs: number, stepMs: number, options?: QueryOptions): QueryResult;
  /** Parses a `match[]` selector; throws LabError when it is not one. */
  parseSeriesSelector(text: string): Matcher[];
}

export interface PromApiOptions {
  source: SeriesSource;
  engine: PromEngine;
  /** "Now" for a query without `time`; also times the query against its timeout. */
  clock?: Clock;
  /** Passed to every query (lookback delta, Prometheus 2.x closed windows). */
  queryOptions?: QueryOptions;
  /** The longest a query may take (its `timeout` can only shorten it); Prometheus's default is 2 minutes. */
  defaultTimeoutMs?: number;
  /** Metric metadata for /api/v1/metadata (the scraper's `metadata()`); none: an empty object. */
  metadata?: () => ReadonlyMap<string, readonly MetricMetadata[]>;
  /** Scrape targets for /api/v1/targets (the scraper's `health()`); none: no targets. */
  targets?: () => readonly ScrapeTargetHealth[];
}

type Handler = (params: PromParams) => { data: unknown; warnings?: string[] };
interface Endpoint {
  methods: readonly string[];
  handle: Handler;
}

const GET = ['GET', 'HEAD'] as const;
const GET_POST = ['GET', 'HEAD', 'POST'] as const;

/** Prometheus's label order: by name, then value, label by label. */
function compareLabels(a: Labels, b: Labels): number {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
    const na = ka[i]!;
    const nb = kb[i]!;
    if (na !== nb) return na < nb ? -1 : 1;
    const va = a[na]!;
    const vb = b[nb]!;
    if (va !== vb) return va < vb ? -1 : 1;
  }
  return ka.length - kb.length;
}

function sortedLabels(labels: Readonly<Record<string, string>>): Labels {
  const out: Labels = {};
  for (const name of Object.keys(labels).sort()) out[name] = labels[name]!;
  return out;
}

function limited<T>(items: T[], limit: number): { data: T[]; warnings?: string[] } {
  if (limit > 0 && items.length > limit) return { data: items.slice(0, limit), warnings: ['results truncated due to limit'] };
  return { data: items };
}

function seconds(ms: number): string {
  return `${ms / 1000}s`;
}

/** Builds the Prometheus API route for the hub's query port. */
export function createPromApi(options: PromApiOptions): QueryRoute {
  const { source, engine } = options;
  const clock = options.clock ?? Date.now;
  const queryOptions = options.queryOptions ?? {};
  const defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;

  function requiredQuery(params: PromParams): string {
    const query = params.get('query');
    if (query === undefined) throw badParam('query', 'expected a PromQL expression such as rate(http_requests_total[5m]), received nothing');
    return query;
  }

  function selectors(params: PromParams, required: boolean): Matcher[][] {
    const texts = params.getAll('match[]');
    if (texts.length === 0 && required) throw badParam('match[]', 'no match[] parameter provided; expected at least one series selector such as up{job="api"}');
    return texts.map((text) => {
      try {
        return engine.parseSeriesSelector(text);
      } catch (err) {
        if (!isLabError(err) || err.statusCode !== 400) throw err;
        throw badParam('match[]', err.message);
      }
    });
  }

  function runQuery(params: PromParams, run: (opts: QueryOptions) => QueryResult): QueryResult {
    const timeoutText = params.get('timeout');
    const askedMs = timeoutText === undefined ? defaultTimeoutMs : parseDurationMs('timeout', timeoutText);
    if (askedMs <= 0) throw badParam('timeout', `expected a positive duration, received ${JSON.stringify(timeoutText)}`);
    // As in Prometheus, `timeout` can shorten the server's limit but not extend it.
    const timeoutMs = Math.min(askedMs, defaultTimeoutMs);
    const opts: QueryOptions = { ...queryOptions };
    const lookback = params.get('lookback_delta');
    if (lookback !== undefined) {
      const ms = parseDurationMs('lookback_delta', lookback);
      if (ms <= 0) throw badParam('lookback_delta', `expected a positive duration, received ${JSON.stringify(lookback)}`);
      opts.lookbackDeltaMs = ms;
    }
    const started = clock();
    let result: QueryResult;
    try {
      result = run(opts);
    } catch (err) {
      // Prometheus prefixes parse errors with the parameter; execution errors stand alone.
      if (isLabError(err) && err.statusCode === 400) throw new LabError(err.code, `invalid parameter "query": ${err.message}`, { cause: err });
      throw err;
    }
    // Evaluation is synchronous and cannot be interrupted; a late answer is still refused, as Prometheus would.
    const elapsedMs = clock() - started;
    if (elapsedMs > timeoutMs) throw new LabError('LAB_QUERY_PROM_TIMEOUT', `query timed out in expression evaluation: took ${elapsedMs}ms, timeout ${timeoutMs}ms`);
    return result;
  }

  const query: Handler = (params) => {
    const text = requiredQuery(params);
    const timeMs = params.time('time', clock());
    return { data: runQuery(params, (opts) => engine.instantQuery(source, text, timeMs, opts)) };
  };

  const queryRange: Handler = (params) => {
    const text = requiredQuery(params);
    const startMs = params.requiredTime('start');
    const endMs = params.requiredTime('end');
    if (endMs < startMs) throw badParam('end', `end timestamp must not be before start time; expected at or after ${seconds(startMs)}, received ${seconds(endMs)}`);
    const stepText = params.get('step');
    if (stepText === undefined) throw badParam('step', 'expected a duration as seconds (15, 0.5) or with units (15s, 1m), received nothing');
    const stepMs = Math.trunc(parseDurationMs('step', stepText));
    if (stepMs <= 0) {
      throw badParam('step', `zero or negative query resolution step widths are not accepted. Try a positive integer; expected at least 1ms, received ${JSON.stringify(stepText)}`);
    }
    const points = Math.floor((endMs - startMs) / stepMs);
    if (points > MAX_POINTS_PER_SERIES) {
      throw badParam(
        'step',
        `exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX); received step ${JSON.stringify(stepText)} over ${seconds(endMs - startMs)}, ${points + 1} points`,
      );
    }
    return { data: runQuery(params, (opts) => engine.rangeQuery(source, text, startMs, endMs, stepMs, opts)) };
  };

  const series: Handler = (params) => {
    const sets = selectors(params, true);
    const startMs = params.time('start', MIN_TIME_MS);
    const endMs = params.time('end', MAX_TIME_MS);
    const limit = params.limit();
    const found = new Map<string, Labels>();
    for (const matchers of sets) {
      for (const s of source.select(matchers, startMs, endMs)) {
        if (s.timestamps.length === 0) continue;
        const labels = sortedLabels(s.labels);
        found.set(JSON.stringify(labels), labels);
      }
    }
    return limited([...found.values()].sort(compareLabels), limit);
  };

  const labels: Handler = (params) => {
    const sets = selectors(params, false);
    const names = source.labelNames(sets, params.time('start', MIN_TIME_MS), params.time('end', MAX_TIME_MS));
    return limited([...new Set(names)].sort(), params.limit());
  };

  function labelValues(name: string): Handler {
    return (params) => {
      const sets = selectors(params, false);
      const values = source.labelValues(name, sets, params.time('start', MIN_TIME_MS), params.time('end', MAX_TIME_MS));
      return limited([...new Set(values)].sort(), params.limit());
    };
  }

  const metadata: Handler = (params) => {
    const all = options.metadata?.() ?? new Map<string, readonly MetricMetadata[]>();
    const metric = params.get('metric');
    const limit = params.limit();
    const perMetric = params.limit('limit_per_metric');
    const data: Record<string, MetricMetadata[]> = {};
    for (const name of [...all.keys()].sort()) {
      if (metric !== undefined && name !== metric) continue;
      if (limit > 0 && Object.keys(data).length >= limit) break;
      const entries = [...(all.get(name) ?? [])];
      data[name] = perMetric > 0 ? entries.slice(0, perMetric) : entries;
    }
    return { data };
  };

  const buildInfo: Handler = () => ({
    // No `features`: Grafana reads an empty set as "Prometheus" (not Mimir, no ruler API).
    data: { version: PROMETHEUS_COMPAT_VERSION, revision: 'cloudlab', branch: 'cloudlab', buildUser: 'cloudlab', buildDate: '', goVersion: `node ${process.version}` },
  });

  const exemplars: Handler = (params) => {
    requiredQuery(params);
    params.time('start', MIN_TIME_MS);
    params.time('end', MAX_TIME_MS);
    return { data: [] };
  };

  const targets: Handler = (params) => {
    const state = params.get('state') ?? 'any';
    if (!['active', 'dropped', 'any'].includes(state)) throw badParam('state', `expected "active", "dropped" or "any", received ${JSON.stringify(state)}`);
    const active = state === 'dropped' ? [] : (options.targets?.() ?? []).map(targetJson);
    return { data: { activeTargets: active, droppedTargets: [] } };
  };

  const endpoints: Record<string, Endpoint> = {
    '/api/v1/query': { methods: GET_POST, handle: query },
    '/api/v1/query_range': { methods: GET_POST, handle: queryRange },
    '/api/v1/series': { methods: GET_POST, handle: series },
    '/api/v1/labels': { methods: GET_POST, handle: labels },
    '/api/v1/metadata': { methods: GET, handle: metadata },
    '/api/v1/status/buildinfo': { methods: GET, handle: buildInfo },
    '/api/v1/query_exemplars': { methods: GET_POST, handle: exemplars },
    '/api/v1/targets': { methods: GET, handle: targets },
    '/api/v1/rules': { methods: GET, handle: () => ({ data: { groups: [] } }) },
    '/api/v1/alerts': { methods: GET, handle: () => ({ data: { alerts: [] } }) },
  };

  async function respond(req: IncomingMessage, res: ServerResponse, url: URL, endpoint: Endpoint): Promise<void> {
    try {
      const params = req.method === 'POST' ? new PromParams(await readForm(req), url.searchParams) : new PromParams(url.searchParams);
      const { data, warnings } = endpoint.handle(params);
      sendSuccess(res, data, warnings);
    } catch (err) {
      sendError(res, err);
    }
  }

  return (req, res, url) => {
    const path = url.pathname;
    if (path === '/-/ready' || path === '/-/healthy') return probe(req, res, path);
    let endpoint = endpoints[path];
    if (endpoint === undefined) {
      const m = /^\/api\/v1\/label\/([^/]+)\/values$/.exec(path);
      if (!m) return false;
      let name: string;
      try {
        name = decodeURIComponent(m[1]!);
      } catch {
        sendError(res, badParam('name', `expected a %-encoded label name in the path, received ${JSON.stringify(m[1])}`));
        return true;
      }
      endpoint = { methods: GET, handle: labelValues(name) };
    }
    const method = req.method ?? 'GET';
    if (!endpoint.methods.includes(method)) {
      const allow = endpoint.methods.join(', ');
      sendError(res, new LabError('LAB_QUERY_METHOD_NOT_ALLOWED', `method ${method} not allowed on ${path}; use ${allow}`), { allow });
      return true;
    }
    void respond(req, res, url, endpoint);
    return true;
  };
}
