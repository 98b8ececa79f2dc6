/**
 * Parameters of the log API: filters shared by the search and the tail, times in
 * RFC 3339 or as Unix numbers, durations in Go's syntax. Every error is
 * LAB_LOGS_BAD_PARAM and names the parameter, what it expects and what arrived.
 */
import { LabError, describeValue } from '../../errors.js';
import type { LogFilter } from '../logs/log-filter.js';
import { compileLogFilter } from '../logs/log-filter.js';
import { parseGoDuration } from './jaeger-params.js';

/** The most records one search or one replay returns. */
export const MAX_LOG_LIMIT = 10_000;

function bad(param: string, expected: string, received: string): LabError {
  return new LabError('LAB_LOGS_BAD_PARAM', `${param} must be ${expected}, received ${describeValue(received)}`);
}

const TIME_EXPECTED = 'an RFC 3339 time (2024-05-01T12:00:00.000001Z) or a Unix time in s, ms, µs or ns';

/**
 * A time in microseconds since the epoch: RFC 3339, or a Unix number whose unit is
 * told by its size (below 1e11 seconds, below 1e14 milliseconds, below 1e17
 * microseconds, else nanoseconds), as `date +%s` and the OTel SDKs print them.
 */
export function parseTimeUs(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) {
    const n = Number(text);
    if (n < 1e11) return Math.round(n * 1e6);
    if (n < 1e14) return Math.round(n * 1e3);
    if (n < 1e17) return Math.round(n);
    return Math.round(n / 1e3);
  }
  const m = /^(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/.exec(text);
  if (m === null) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`.replace(' ', 'T'));
  if (Number.isNaN(ms)) return undefined;
  const fractionUs = Math.floor(Number(`0.${m[2] ?? '0'}`) * 1e6 + 1e-6);
  return ms * 1000 + fractionUs;
}

function timeParam(params: URLSearchParams, name: string): number | undefined {
  const text = params.get(name);
  if (text === null || text === '') return undefined;
  const us = parseTimeUs(text);
  if (us === undefined) throw bad(name, TIME_EXPECTED, text);
  return us;
}

/** `limit`: 1 to MAX_LOG_LIMIT; `fallback` when absent. */
export function limitParam(params: URLSearchParams, fallback: number): number {
  const text = params.get('limit');
  if (text === null || text === '') return fallback;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= MAX_LOG_LIMIT)) throw bad('limit', `an integer from 1 to ${MAX_LOG_LIMIT}`, text);
  return n;
}

/** The filters of a search or a tail: service, severity, q, traceId, start, end; checked here. */
export function filterParams(params: URLSearchParams): LogFilter {
  const filter: LogFilter = {};
  const service = params.get('service');
  if (service !== null && service !== '') filter.service = service;
  const severity = params.get('severity');
  if (severity !== null && severity !== '') filter.minSeverity = severity;
  const q = params.get('q');
  if (q !== null && q !== '') filter.text = q;
  const traceId = params.get('traceId');
  if (traceId !== null && traceId !== '') {
    if (!/^[0-9a-fA-F]{32}$/.test(traceId)) throw bad('traceId', '32 hex digits', traceId);
    filter.traceId = traceId.toLowerCase();
  }
  const startUs = timeParam(params, 'start');
  if (startUs !== undefined) filter.startUs = startUs;
  const endUs = timeParam(params, 'end');
  if (endUs !== undefined) filter.endUs = endUs;
  if (startUs !== undefined && endUs !== undefined && endUs < startUs) {
    throw bad('end', `at or after start (${params.get('start') ?? ''})`, params.get('end') ?? '');
  }
  compileLogFilter(filter); // throws for a severity it cannot read, naming it
  return filter;
}

/**
 * `since` of the tail: a Go duration back from now (`30s`, `5m`) or a time as for
 * `start`; the start of the replay window in microseconds, or undefined when absent.
 */
export function sinceParam(params: URLSearchParams, nowUs: number): number | undefined {
  const text = params.get('since');
  if (text === null || text === '') return undefined;
  const ns = parseGoDuration(text);
  if (typeof ns === 'number' && ns >= 0) return nowUs - ns / 1e3;
  const us = parseTimeUs(text);
  if (us === undefined) throw bad('since', `a duration (30s, 5m) or ${TIME_EXPECTED}`, text);
  return us;
}
