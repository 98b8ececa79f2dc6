/**
 * One request of a task: compiled once (templates, headers, body), sent through an
 * undici Pool with a bare dispatch handler (no stream per response), timed from the
 * moment undici writes it on a socket, classified into an ErrorKind, checked.
 */
import type { Dispatcher, Pool } from 'undici';
import type { ErrorKind, Task } from '../types.js';
import { compileString, compileValue } from './template.js';
import type { CompiledTemplate, TemplateContext } from './template.js';

/** Bytes of a response body kept for a check (bodyIncludes). */
const CHECK_BODY_CAP = 1 << 20;
/** Bytes of a response body kept in an order record. */
export const RECORD_BODY_CAP = 4096;

export interface CompiledTask {
  index: number;
  task: Task;
  path: CompiledTemplate;
  headers: Array<[string, CompiledTemplate]>;
  body: CompiledTemplate | null;
  /** Keep the body: a bodyIncludes check or an order record needs it. */
  bodyCap: number;
  hasContentType: boolean;
}

export function compileTask(task: Task, index: number): CompiledTask {
  const where = (field: string): string => `tasks[${index}] (${task.name}).${field}`;
  const wrap = (field: string, make: () => CompiledTemplate): CompiledTemplate => {
    try {
      return make();
    } catch (err) {
      throw new Error(`${where(field)}: ${(err as Error).message}`, { cause: err });
    }
  };
  return {
    index, task,
    path: wrap('path', () => compileString(task.path)),
    headers: Object.entries(task.headers).map(([name, value]) => [name, wrap(`headers.${name}`, () => compileString(value))]),
    body: task.body === undefined ? null : wrap('body', () => compileValue(task.body)),
    bodyCap: task.check?.bodyIncludes !== undefined ? CHECK_BODY_CAP : task.record ? RECORD_BODY_CAP : 0,
    hasContentType: Object.keys(task.headers).some((h) => h.toLowerCase() === 'content-type'),
  };
}

export interface RenderedRequest {
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export function renderRequest(task: CompiledTask, ctx: TemplateContext): RenderedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of task.headers) headers[name] = String(value(ctx));
  const body = task.body === null ? undefined : JSON.stringify(task.body(ctx));
  if (body !== undefined && !task.hasContentType) headers['content-type'] = 'application/json';
  return { path: String(task.path(ctx)), headers, body };
}

export interface SendResult {
  status: number | null;
  error: ErrorKind | null;
  /** performance.now() when undici wrote the request on a socket (or dispatched it, if never written). */
  sentAt: number;
  endedAt: number;
  body: string;
}

/** Network and undici errors by kind. */
export function classifyError(err: unknown): ErrorKind {
  const code = (err as { code?: string } | null)?.code ?? '';
  switch (code) {
    case 'ECONNREFUSED': case 'ENOTFOUND': case 'EHOSTUNREACH': case 'ENETUNREACH': case 'EAI_AGAIN': case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connect';
    case 'UND_ERR_HEADERS_TIMEOUT': case 'UND_ERR_BODY_TIMEOUT': case 'ETIMEDOUT': case 'UND_ERR_ABORTED':
      return 'timeout';
    case 'ECONNRESET': case 'EPIPE': case 'UND_ERR_SOCKET': case 'ECONNABORTED':
      return 'reset';
    default:
      return 'other';
  }
}

/** The status and body against the task's checks; null when they pass. */
export function checkResponse(task: Task, status: number, body: string): ErrorKind | null {
  const expected = task.check?.status;
  if (expected && expected.length > 0) {
    if (expected.includes(status)) return task.check?.bodyIncludes !== undefined && !body.includes(task.check.bodyIncludes) ? 'check' : null;
    return status >= 500 ? 'http_5xx' : status >= 400 ? 'http_4xx' : 'check';
  }
  if (status >= 500) return 'http_5xx';
  if (status >= 400) return 'http_4xx';
  if (task.check?.bodyIncludes !== undefined && !body.includes(task.check.bodyIncludes)) return 'check';
  return null;
}

/** Sends one request; never rejects: failures come back as an ErrorKind. */
export function send(pool: Pool, task: CompiledTask, request: RenderedRequest, now: () => number): Promise<SendResult> {
  return new Promise((resolve) => {
    let status: number | null = null;
    let body = '';
    let kept = 0;
    const result: SendResult = { status: null, error: null, sentAt: now(), endedAt: 0, body: '' };
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart() {
        result.sentAt = now();
      },
      onResponseStart(_controller, statusCode) {
        status = statusCode;
      },
      onResponseData(_controller, chunk) {
        if (kept < task.bodyCap) {
          body += chunk.toString('utf8', 0, Math.min(chunk.length, task.bodyCap - kept));
          kept += chunk.length;
        }
      },
      onResponseEnd() {
        result.endedAt = now();
        result.status = status;
        result.body = body;
        result.error = checkResponse(task.task, status ?? 0, body);
        resolve(result);
      },
      onResponseError(_controller, err) {
        result.endedAt = now();
        result.status = status;
        result.error = classifyError(err);
        resolve(result);
      },
    };
    try {
      pool.dispatch({ path: request.path, method: task.task.method, headers: request.headers, body: request.body ?? null }, handler);
    } catch (err) {
      handler.onResponseError?.(undefined as never, err as Error);
    }
  });
}
