/**
 * The hub's Jaeger query API as the traces pages use it: types for Jaeger's JSON, a fetch
 * that reads Jaeger's error envelope, and small helpers (durations, colors, trace summaries).
 */
export interface JaegerTag {
  key: string;
  type: string;
  value: string | number | boolean;
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: Array<{ refType: string; traceID: string; spanID: string }>;
  /** Unix microseconds. */
  startTime: number;
  /** Microseconds. */
  duration: number;
  tags: JaegerTag[];
  logs: Array<{ timestamp: number; fields: JaegerTag[] }>;
  processID: string;
  warnings: string[] | null;
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string; tags: JaegerTag[] }>;
}

interface Envelope<T> {
  data: T | null;
  errors: Array<{ code: number; msg: string }> | null;
}

/** Fetches a hub Jaeger path (under /api/hub) and throws with Jaeger's or the control API's message. */
export async function jaeger<T>(path: string): Promise<T> {
  const res = await fetch(`/api/hub${path}`, { credentials: 'same-origin' });
  const text = await res.text();
  let body: (Envelope<T> & { error?: { message?: string } }) | undefined;
  try {
    body = text ? (JSON.parse(text) as Envelope<T> & { error?: { message?: string } }) : undefined;
  } catch {
    body = undefined;
  }
  if (res.status === 401) throw new Error('The control API answered 401: open the console link that `cloudlab up` printed (it carries ?token=…).');
  if (!res.ok || !body) {
    const message = body?.errors?.[0]?.msg ?? body?.error?.message ?? (text.slice(0, 200) || `${path} answered ${res.status}`);
    throw Object.assign(new Error(message), { status: res.status });
  }
  return body.data as T;
}

export const tag = (tags: JaegerTag[], key: string): JaegerTag['value'] | undefined => tags.find((t) => t.key === key)?.value;

export const isErrorSpan = (span: JaegerSpan): boolean => tag(span.tags, 'error') === true || tag(span.tags, 'error') === 'true' || tag(span.tags, 'otel.status_code') === 'ERROR';

/** Microseconds as "850 µs", "12.3 ms", "1.20 s". */
export function formatUs(us: number): string {
  if (us < 1000) return `${Math.round(us)} µs`;
  if (us < 1_000_000) return `${(us / 1000).toFixed(us < 10_000 ? 2 : 1)} ms`;
  return `${(us / 1_000_000).toFixed(2)} s`;
}

/** A duration for Jaeger's minDuration/maxDuration: Go syntax ("250ms"); a bare number means milliseconds. */
export function goDuration(value: string): string {
  const v = value.trim();
  return /^\d+(\.\d+)?$/.test(v) ? `${v}ms` : v;
}

export function formatTime(us: number): string {
  const d = new Date(us / 1000);
  return `${d.toLocaleTimeString([], { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

const PALETTE = ['#2f7ed8', '#e08a00', '#29a329', '#a05ec4', '#17becf', '#8c564b', '#d62790', '#7f7f7f'];

export function serviceColor(service: string): string {
  let h = 2166136261; // FNV-1a, so that names differing in one letter get different colors
  for (const c of service) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return PALETTE[h % PALETTE.length]!;
}

export interface TraceSummary {
  traceID: string;
  rootService: string;
  rootName: string;
  /** Unix microseconds. */
  startUs: number;
  durationUs: number;
  spanCount: number;
  errorCount: number;
  services: string[];
}

export function summarize(trace: JaegerTrace): TraceSummary {
  const ids = new Set(trace.spans.map((s) => s.spanID));
  const roots = trace.spans.filter((s) => !s.references.some((r) => r.refType === 'CHILD_OF' && ids.has(r.spanID)));
  const root = [...(roots.length ? roots : trace.spans)].sort((a, b) => a.startTime - b.startTime)[0];
  const startUs = Math.min(...trace.spans.map((s) => s.startTime));
  const endUs = Math.max(...trace.spans.map((s) => s.startTime + s.duration));
  const services = [...new Set(trace.spans.map((s) => trace.processes[s.processID]?.serviceName ?? '?'))].sort();
  return {
    traceID: trace.traceID,
    rootService: root ? (trace.processes[root.processID]?.serviceName ?? '?') : '?',
    rootName: root?.operationName ?? '(no spans)',
    startUs,
    durationUs: endUs - startUs,
    spanCount: trace.spans.length,
    errorCount: trace.spans.filter(isErrorSpan).length,
    services,
  };
}
