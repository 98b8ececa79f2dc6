/**
 * One request of a task: compiled once (templates, headers, body; rendered once when
 * the task has no template), sent by a Transport (http1-transport.ts for http:,
 * undici-transport.ts for https:), timed from the moment its bytes are written,
 * classified into an ErrorKind, checked.
 */
import type { ErrorKind, Task } from '../types.js';
import { compileString, compileValue, hasTemplates } from './template.js';
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
  /** The target's path (from a base URL such as http://host/api), put before the task's path. */
  basePath: string;
  /** The request itself when the task has no template: rendered once, sent every time. */
  fixed: RenderedRequest | null;
}

export function compileTask(task: Task, index: number, basePath = ''): CompiledTask {
  const where = (field: string): string => `tasks[${index}] (${task.name}).${field}`;
  const wrap = (field: string, make: () => CompiledTemplate): CompiledTemplate => {
    try {
      return make();
    } catch (err) {
      throw new Error(`${where(field)}: ${(err as Error).message}`, { cause: err });
    }
  };
  const compiled: CompiledTask = {
    index, task,
    path: wrap('path', () => compileString(task.path)),
    headers: Object.entries(task.headers).map(([name, value]) => [name, wrap(`headers.${name}`, () => compileString(value))]),
    body: task.body === undefined ? null : wrap('body', () => compileValue(task.body)),
    bodyCap: task.check?.bodyIncludes !== undefined ? CHECK_BODY_CAP : task.record ? RECORD_BODY_CAP : 0,
    hasContentType: Object.keys(task.headers).some((h) => h.toLowerCase() === 'content-type'),
    basePath: basePath.replace(/\/+$/, ''),
    fixed: null,
  };
  if (!hasTemplates(task.path) && !hasTemplates(task.headers) && !hasTemplates(task.body)) {
    compiled.fixed = renderRequest(compiled, { vu: 0, iteration: 0 });
  }
  return compiled;
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
  const path = String(task.path(ctx));
  return { path: task.basePath === '' ? path : `${task.basePath}${path.startsWith('/') ? '' : '/'}${path}`, headers, body };
}

export interface SendResult {
  status: number | null;
  error: ErrorKind | null;
  /** Clock ms when the request was written on a socket (or handed to the transport, if never written). */
  sentAt: number;
  endedAt: number;
  /** The body, kept only when the task's bodyCap asks for it. */
  body: string;
}

/** Receives a request's result, exactly once. */
export type SendCallback = (result: SendResult) => void;

/**
 * How a shard's requests reach the target: keep-alive connections, at most one
 * request in flight on each, the rest queued in order.
 */
export interface Transport {
  /** Sends one request; never throws: failures come back to `done` as an ErrorKind. */
  send(task: CompiledTask, request: RenderedRequest, done: SendCallback): void;
  /** Closes every connection; requests in flight end with an error. */
  destroy(): Promise<void>;
}

/** `auto`: http1 for http: targets, undici for https:. */
export type TransportKind = 'auto' | 'http1' | 'undici';

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
