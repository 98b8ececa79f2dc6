/** An http probe: one request to the lab's edge (or an absolute URL); status, body and latency checked. */
import type { HttpProbe } from '../types.js';
import { networkReason } from './outcome.js';
import type { ProbeOutcome } from './outcome.js';

const BASE_TIMEOUT_MS = 5000;

export function describeHttp(probe: HttpProbe): string {
  const parts = [probe.status === null ? 'status 2xx' : `status ${probe.status}`];
  if (probe.bodyIncludes !== null) parts.push(`body includes ${JSON.stringify(probe.bodyIncludes)}`);
  if (probe.maxLatencyMs !== null) parts.push(`<= ${probe.maxLatencyMs} ms`);
  return parts.join(', ');
}

export function httpProbeUrl(probe: HttpProbe, edgeUrl: string | null): string | null {
  if (probe.url !== null) return probe.url;
  if (edgeUrl === null) return null;
  return `${edgeUrl.replace(/\/+$/, '')}${probe.path ?? '/'}`;
}

export async function runHttpProbe(probe: HttpProbe, edgeUrl: string | null, now: () => number = () => performance.now()): Promise<ProbeOutcome> {
  const url = httpProbeUrl(probe, edgeUrl);
  if (url === null) return { ok: false, value: null, reason: 'the lab has no edge to send the request to; write url: instead of path:' };
  const timeoutMs = Math.max(BASE_TIMEOUT_MS, 2 * (probe.maxLatencyMs ?? 0));
  const started = now();
  let status: number;
  let body: string;
  try {
    const res = await fetch(url, { method: probe.method, signal: AbortSignal.timeout(timeoutMs), headers: { 'user-agent': 'cloudlab-drill' } });
    status = res.status;
    body = probe.method === 'HEAD' ? '' : await res.text();
  } catch (err) {
    const reason = networkReason(err);
    return { ok: false, value: null, reason: `${probe.method} ${url} failed: ${reason === 'no answer in time' ? `no answer in ${timeoutMs} ms` : reason}` };
  }
  const latencyMs = Math.round(now() - started);
  const problems: string[] = [];
  if (probe.status !== null ? status !== probe.status : status < 200 || status > 299) problems.push(`status ${status}, expected ${probe.status ?? '2xx'}`);
  if (probe.bodyIncludes !== null && !body.includes(probe.bodyIncludes)) problems.push(`the body lacks ${JSON.stringify(probe.bodyIncludes)}`);
  if (probe.maxLatencyMs !== null && latencyMs > probe.maxLatencyMs) problems.push(`${latencyMs} ms, over ${probe.maxLatencyMs} ms`);
  const value = `${status} in ${latencyMs} ms`;
  return problems.length === 0 ? { ok: true, value, reason: null } : { ok: false, value, reason: problems.join('; ') };
}
