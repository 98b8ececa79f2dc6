/**
 * jaeger-query's HTTP API (the one Jaeger UI and Grafana's Jaeger data source call),
 * over the trace store:
 *   GET /api/services
 *   GET /api/services/{service}/operations       -> ["name", ...]
 *   GET /api/operations?service=&spanKind=        -> [{ name, spanKind }, ...]
 *   GET /api/traces?service=&operation=&tags=&tag=&minDuration=&maxDuration=&limit=&start=&end=&lookback=&traceID=
 *   GET /api/traces/{traceId}
 *   GET /api/dependencies?endTs=&lookback=        -> [{ parent, child, callCount }, ...]
 * Replies use Jaeger's envelope { data, total, limit, offset, errors }, errors
 * included: { data: null, ..., errors: [{ code, msg }] }.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LabError, isLabError } from '../../errors.js';
import type { Clock, QueryRoute } from '../contracts.js';
import type { StoredTrace, TraceQuery, TraceStore } from '../traces/trace-store.js';
import { serviceOf } from '../traces/span-tags.js';
import { sendJson } from './http-json.js';
import { toJaegerTrace } from './jaeger-model.js';
import { durationParamUs, intParam, lookbackParamUs, parseTraceId, tagsParam } from './jaeger-params.js';

export interface JaegerApiOptions {
  traces: TraceStore;
  /** Milliseconds since the epoch, for the default search window; defaults to Date.now. */
  clock?: Clock;
}

/** jaeger-query's default search window when `start` is not given. */
const DEFAULT_LOOKBACK_US = 2 * 86_400e6;

interface Envelope {
  data: unknown;
  total: number;
  limit: number;
  offset: number;
  errors: { code?: number; msg: string; traceID?: string }[] | null;
}

function reply(res: ServerResponse, params: URLSearchParams, status: number, envelope: Envelope): void {
  const pretty = params.get('prettyPrint');
  sendJson(res, status, envelope, pretty !== null && pretty !== '' && pretty !== 'false' ? { indent: 4 } : {});
}

function ok(data: unknown, total = 0): Envelope {
  return { data, total, limit: 0, offset: 0, errors: null };
}

function failed(code: number, msg: string): Envelope {
  return { data: null, total: 0, limit: 0, offset: 0, errors: [{ code, msg }] };
}

/** The path's segments after /api, decoded; undefined for a malformed %-escape. */
function segments(pathname: string): string[] | undefined {
  try {
    return pathname.split('/').slice(2).map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

export function createJaegerApi(options: JaegerApiOptions): QueryRoute {
  const { traces } = options;
  const clock = options.clock ?? Date.now;

  function search(params: URLSearchParams): Envelope {
    const ids = params.getAll('traceID').map((id) => parseTraceId(id));
    const service = params.get('service') ?? '';
    const startUs = intParam(params, 'start');
    const endUs = intParam(params, 'end');
    const tags = tagsParam(params);
    const limit = intParam(params, 'limit');
    const minDurationUs = durationParamUs(params, 'minDuration');
    const maxDurationUs = durationParamUs(params, 'maxDuration');
    if (ids.length === 0 && service === '') throw new LabError('LAB_QUERY_TRACE_BAD_PARAM', "parameter 'service' is required");
    if (minDurationUs && maxDurationUs && maxDurationUs < minDurationUs) {
      throw new LabError('LAB_QUERY_TRACE_BAD_PARAM', "'maxDuration' should be greater than 'minDuration'");
    }
    const nowUs = clock() * 1000;
    const lookbackUs = startUs === undefined ? (lookbackParamUs(params) ?? DEFAULT_LOOKBACK_US) : 0;

    if (ids.length > 0) {
      const found: StoredTrace[] = [];
      const errors: Envelope['errors'] = [];
      for (const id of ids) {
        const trace = traces.get(id);
        if (trace === undefined) errors.push({ msg: 'trace not found', traceID: id });
        else found.push(trace);
      }
      return { ...ok(found.map(toJaegerTrace)), errors: errors.length > 0 ? errors : null };
    }
    const query: TraceQuery = {
      service,
      startUs: startUs ?? nowUs - lookbackUs,
      endUs: endUs ?? nowUs,
    };
    const operation = params.get('operation');
    if (operation !== null && operation !== '') query.operation = operation;
    if (tags !== undefined) query.tags = tags;
    if (limit !== undefined && limit > 0) query.limit = limit;
    if (minDurationUs) query.minDurationUs = minDurationUs;
    if (maxDurationUs) query.maxDurationUs = maxDurationUs;
    return ok(traces.search(query).map(toJaegerTrace));
  }

  function getTrace(id: string, params: URLSearchParams): [number, Envelope] {
    const traceId = parseTraceId(id);
    intParam(params, 'start'); // read for their errors only: every trace the hub holds is in memory
    intParam(params, 'end');
    const trace = traces.get(traceId);
    if (trace === undefined) {
      const err = new LabError('LAB_QUERY_TRACE_NOT_FOUND', 'trace not found');
      return [err.statusCode, failed(err.statusCode, err.message)];
    }
    return [200, ok([toJaegerTrace(trace)])];
  }

  function dependencies(params: URLSearchParams): Envelope {
    const endMs = intParam(params, 'endTs') ?? clock();
    const lookbackMs = intParam(params, 'lookback') ?? 86_400_000;
    const calls = new Map<string, number>();
    const all = traces.search({ startUs: (endMs - lookbackMs) * 1000, endUs: endMs * 1000, limit: Number.MAX_SAFE_INTEGER });
    for (const trace of all) {
      const serviceBySpan = new Map(trace.spans.map((s) => [s.spanId, serviceOf(s.resource)]));
      for (const span of trace.spans) {
        const parent = serviceBySpan.get(span.parentSpanId);
        const child = serviceOf(span.resource);
        if (parent === undefined || parent === child) continue;
        const key = `${parent}\u0000${child}`;
        calls.set(key, (calls.get(key) ?? 0) + 1);
      }
    }
    return ok(
      [...calls].map(([key, callCount]) => {
        const [parent = '', child = ''] = key.split('\u0000');
        return { parent, child, callCount };
      }),
    );
  }

  function handle(path: string[], params: URLSearchParams): [number, Envelope] | undefined {
    const [first, second, third] = path;
    if (first === 'services' && path.length === 1) {
      const services = traces.services();
      return [200, ok(services, services.length)];
    }
    if (first === 'services' && path.length === 3 && third === 'operations') {
      const names = [...new Set(traces.operations(second ?? '').map((op) => op.name))];
      return [200, ok(names, names.length)];
    }
    if (first === 'operations' && path.length === 1) {
      const service = params.get('service') ?? '';
      if (service === '') throw new LabError('LAB_QUERY_TRACE_BAD_PARAM', "parameter 'service' is required");
      const ops = traces.operations(service, params.get('spanKind') ?? '');
      return [200, ok(ops, ops.length)];
    }
    if (first === 'traces' && path.length === 1) return [200, search(params)];
    if (first === 'traces' && path.length === 2) return getTrace(second ?? '', params);
    if (first === 'dependencies' && path.length === 1) return [200, dependencies(params)];
    return undefined;
  }

  return (req: IncomingMessage, res: ServerResponse, url: URL): boolean => {
    if (!url.pathname.startsWith('/api/')) return false;
    const path = segments(url.pathname);
    const params = url.searchParams;
    if (path === undefined) {
      if (!/^\/api\/(services|traces)\//.test(url.pathname)) return false;
      reply(res, params, 400, failed(400, `unable to parse the path ${JSON.stringify(url.pathname)}: malformed %-escape`));
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      // Answer 405 only on our own paths; anything else belongs to another route.
      if (!isOwnPath(path)) return false;
      const err = new LabError('LAB_QUERY_METHOD_NOT_ALLOWED', `method ${req.method ?? ''} not allowed on ${url.pathname}; use GET`);
      sendJson(res, err.statusCode, failed(err.statusCode, err.message), { headers: { allow: 'GET, HEAD' } });
      return true;
    }
    let result: [number, Envelope] | undefined;
    try {
      result = handle(path, params);
    } catch (err) {
      // A LabError is a bad request; anything else is our bug, answered as jaeger-query answers a storage error.
      const status = isLabError(err) ? err.statusCode : 500;
      result = [status, failed(status, err instanceof Error ? err.message : String(err))];
    }
    if (result === undefined) return false;
    reply(res, params, result[0], result[1]);
    return true;
  };
}

function isOwnPath(path: string[]): boolean {
  const [first, , third] = path;
  return (
    ((first === 'services' || first === 'operations' || first === 'dependencies') && path.length === 1) ||
    (first === 'services' && path.length === 3 && third === 'operations') ||
    (first === 'traces' && (path.length === 1 || path.length === 2))
  );
}
