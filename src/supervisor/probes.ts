/** One readiness or liveness check: TCP connect, HTTP status, or SQL `SELECT 1`. Never throws. */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import pg from 'pg';
import type { Readiness } from './types.js';

export type ProbeResult = { ok: true } | { ok: false; reason: string };

/** The check in words, for messages: `http://127.0.0.1:41234/health`, `tcp 127.0.0.1:5432`. */
export function describeCheck(readiness: Readiness): string {
  switch (readiness.type) {
    case 'tcp':
      return `tcp ${readiness.host}:${readiness.port}`;
    case 'http':
      return readiness.url;
    case 'sql':
      return `sql ${redactUrl(readiness.url)}`;
    case 'none':
      return 'none';
  }
}

export async function probe(readiness: Readiness, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
  switch (readiness.type) {
    case 'tcp':
      return probeTcp(readiness.host, readiness.port, timeoutMs, signal);
    case 'http':
      return probeHttp(readiness.url, readiness.expectStatus, timeoutMs, signal);
    case 'sql':
      return probeSql(readiness.url, timeoutMs);
    case 'none':
      return { ok: true };
  }
}

function reasonOf(error: unknown, timeoutMs: number): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET') return 'connection reset';
  if (code === 'ETIMEDOUT') return `no answer within ${timeoutMs} ms`;
  return error instanceof Error ? error.message : String(error);
}

function probeTcp(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (result: ProbeResult): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(result);
    };
    const onAbort = (): void => done({ ok: false, reason: 'aborted' });
    const timer = setTimeout(() => done({ ok: false, reason: `no connection within ${timeoutMs} ms` }), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => done({ ok: true }));
    socket.once('error', (error) => done({ ok: false, reason: reasonOf(error, timeoutMs) }));
  });
}

function probeHttp(url: string, expectStatus: number | undefined, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: ProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      request.destroy();
      resolve(result);
    };
    const onAbort = (): void => done({ ok: false, reason: 'aborted' });
    let request: http.ClientRequest;
    try {
      const get = url.startsWith('https:') ? https.get : http.get;
      // agent: false: a fresh connection per check, closed after it, so none lingers.
      request = get(url, { agent: false, headers: { 'user-agent': 'cloudlab-supervisor' } }, (response) => {
        const status = response.statusCode ?? 0;
        response.resume();
        const ok = expectStatus === undefined ? status >= 200 && status < 300 : status === expectStatus;
        done(ok ? { ok: true } : { ok: false, reason: `answered ${status}${expectStatus === undefined ? ' (expected 2xx)' : ` (expected ${expectStatus})`}` });
      });
    } catch (error) {
      resolve({ ok: false, reason: reasonOf(error, timeoutMs) });
      return;
    }
    const timer = setTimeout(() => done({ ok: false, reason: `no answer within ${timeoutMs} ms` }), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    request.once('error', (error) => done({ ok: false, reason: reasonOf(error, timeoutMs) }));
  });
}

async function probeSql(url: string, timeoutMs: number): Promise<ProbeResult> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  client.on('error', () => undefined); // a server closing the connection later must not throw
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: reasonOf(error, timeoutMs) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Hides the password of a connection URL in messages. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
