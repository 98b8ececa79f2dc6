/**
 * The console's only way to the lab: the control API on the same origin (the token
 * travels in the cookie the console link set). Hub queries go through /api/hub,
 * the proxy's Toxiproxy API through /api/proxy.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(path, { ...init, headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers }, credentials: 'same-origin' });
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  if (!res.ok) {
    const err = (body as { error?: { code?: string; message?: string } | string } | undefined)?.error;
    if (typeof err === 'string') throw new ApiError(res.status, 'TOXIPROXY', err);
    throw new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? (typeof body === 'string' ? body : `${path} answered ${res.status}`));
  }
  return body as T;
}

export const post = <T>(path: string, body?: unknown): Promise<T> => request<T>(path, { method: 'POST', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

/** A Prometheus range result: one series per label set, as [seconds, "value"] pairs. */
export interface PromSeries {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

export async function queryRange(query: string, startS: number, endS: number, stepS: number): Promise<PromSeries[]> {
  const params = new URLSearchParams({ query, start: String(startS), end: String(endS), step: String(stepS) });
  const answer = await request<{ data: { result: PromSeries[] } }>(`/api/hub/api/v1/query_range?${params}`);
  return answer.data.result;
}

export async function queryInstant(query: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const answer = await request<{ data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } }>(`/api/hub/api/v1/query?${new URLSearchParams({ query })}`);
  return answer.data.result;
}

/** What the lab reports about itself (GET /api/status). */
export interface LabStatus {
  name: string;
  urls: Record<string, string>;
  parts: Array<{ name: string; kind: string; state: string; detail: string; url?: string; replicas?: Array<{ id: string; pid: number | null; port: number; state: string; restarts: number }> }>;
}

export const labStatus = (): Promise<LabStatus> => request<LabStatus>('/api/status');

/** A fault injected or removed, or load started or stopped: drawn as a marker on every chart. */
export interface LabEvent {
  timeMs: number;
  kind: 'fault' | 'load' | 'lab' | 'drill';
  action: string;
  detail: string;
}

export const labEvents = (sinceMs: number): Promise<{ events: LabEvent[] }> => request(`/api/events?since=${sinceMs}`);
