/**
 * promql probes over the Prometheus HTTP API (`/api/v1/query`, `/api/v1/query_range`)
 * of the lab's hub, or of any Prometheus. Every series of the result must be within
 * the tolerance; an empty result or NaN (0/0: no traffic) is "no data".
 */
import type { ChartSeries, PromqlProbe, Tolerance } from '../types.js';
import { networkReason } from './outcome.js';
import type { ProbeOutcome } from './outcome.js';
import { checkTolerance, formatValue } from './tolerance.js';

const TIMEOUT_MS = 10_000;

interface PromAnswer {
  status?: string;
  error?: string;
  errorType?: string;
  data?: { resultType?: string; result?: unknown };
}

type Fetched = { ok: true; data: NonNullable<PromAnswer['data']> } | { ok: false; reason: string };

async function promGet(hubUrl: string, path: string, params: Record<string, string>): Promise<Fetched> {
  const url = `${hubUrl.replace(/\/+$/, '')}${path}?${new URLSearchParams(params).toString()}`;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    return { ok: false, reason: `the query API did not answer: ${networkReason(err)}` };
  }
  const body = (await res.json().catch(() => null)) as PromAnswer | null;
  if (body === null) return { ok: false, reason: `the query API answered ${res.status} without JSON` };
  if (body.status !== 'success' || body.data === undefined) return { ok: false, reason: `PromQL error${body.errorType ? ` (${body.errorType})` : ''}: ${body.error ?? `status ${res.status}`}` };
  return { ok: true, data: body.data };
}

const labelText = (metric: Record<string, string>): string => {
  const pairs = Object.entries(metric).map(([k, v]) => `${k}="${v}"`);
  return pairs.length === 0 ? '{}' : `{${pairs.join(', ')}}`;
};

/** Samples of an instant query: [labels, value]; NaN kept (the caller decides). */
function samples(data: NonNullable<PromAnswer['data']>): Array<[Record<string, string>, number]> | string {
  const result = data.result;
  if (data.resultType === 'scalar' && Array.isArray(result)) return [[{}, Number(result[1])]];
  if (data.resultType === 'vector' && Array.isArray(result)) {
    return result.map((r: { metric?: Record<string, string>; value?: [number, string] }) => [r.metric ?? {}, Number(r.value?.[1])]);
  }
  return `the query gives a ${data.resultType ?? 'result'} where a number or an instant vector was expected; wrap it in an aggregation such as sum(...)`;
}

export async function runPromqlProbe(probe: PromqlProbe, hubUrl: string | null): Promise<ProbeOutcome> {
  if (hubUrl === null) return { ok: false, value: null, reason: 'the lab has no hub query API to ask' };
  const answer = await promGet(hubUrl, '/api/v1/query', { query: probe.query });
  if (!answer.ok) return { ok: false, value: null, reason: answer.reason };
  const found = samples(answer.data);
  if (typeof found === 'string') return { ok: false, value: null, reason: found };
  const numbers = found.filter(([, v]) => !Number.isNaN(v));
  if (numbers.length === 0) {
    const why = found.length === 0 ? 'no data: the query matched no series' : 'no data: the query gives NaN (0/0, no traffic?)';
    return probe.noData === 'pass' ? { ok: true, value: null, reason: `${why} (no_data: pass)` } : { ok: false, value: null, reason: why };
  }
  for (const [labels, v] of numbers) {
    const verdict = checkTolerance(v, probe.tolerance);
    if (!verdict.ok) return { ok: false, value: v, reason: numbers.length > 1 ? `${labelText(labels)}: ${verdict.reason}` : verdict.reason };
  }
  const [firstLabels, first] = numbers[0]!;
  return { ok: true, value: first, reason: numbers.length > 1 ? `${numbers.length} series, all within; first ${labelText(firstLabels)} = ${formatValue(first)}` : null };
}

/** A probe's series over the run, for the report's charts; never throws. */
export async function queryRange(hubUrl: string | null, name: string, query: string, tolerance: Tolerance, startMs: number, endMs: number): Promise<ChartSeries> {
  const base: ChartSeries = { name, query, tolerance, series: [], error: null };
  if (hubUrl === null) return { ...base, error: 'no hub' };
  const windowMs = Math.max(1000, endMs - startMs);
  const stepMs = windowMs <= 15 * 60_000 ? 1000 : 2000;
  const answer = await promGet(hubUrl, '/api/v1/query_range', { query, start: String(startMs / 1000), end: String(endMs / 1000), step: `${stepMs / 1000}s` });
  if (!answer.ok) return { ...base, error: answer.reason };
  const result = answer.data.result;
  if (answer.data.resultType !== 'matrix' || !Array.isArray(result)) return { ...base, error: `a ${answer.data.resultType ?? 'result'}, not a range` };
  const series = result.slice(0, 20).map((r: { metric?: Record<string, string>; values?: Array<[number, string]> }) => ({
    labels: r.metric ?? {},
    points: (r.values ?? []).map(([t, v]): [number, number] => [Math.round(t * 1000), Number(v)]).filter(([, v]) => Number.isFinite(v)),
  }));
  return { ...base, series };
}
