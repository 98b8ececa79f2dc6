/**
 * The undici transport: an undici Pool with keep-alive and a bare dispatch handler (no
 * stream per response), timed from the moment undici writes the request on a socket.
 * It serves https: targets, and http: ones when asked (transport: 'undici').
 */
import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import { checkResponse, classifyError } from './request.js';
import type { CompiledTask, RenderedRequest, SendCallback, SendResult, Transport } from './request.js';

export interface PoolTransportOptions {
  /** The target's origin, e.g. https://127.0.0.1:8443 */
  origin: string;
  connections: number;
  /** Connect, headers and body timeout. */
  timeoutMs: number;
  now: () => number;
}

export class UndiciTransport implements Transport {
  readonly #pool: Pool;
  readonly #now: () => number;

  constructor(options: PoolTransportOptions) {
    this.#now = options.now;
    this.#pool = new Pool(options.origin, {
      connections: Math.max(1, options.connections), pipelining: 1, keepAliveTimeout: 30_000,
      headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs, connect: { timeout: options.timeoutMs },
    });
  }

  send(task: CompiledTask, request: RenderedRequest, done: SendCallback): void {
    const now = this.#now;
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
        done(result);
      },
      onResponseError(_controller, err) {
        result.endedAt = now();
        result.status = status;
        result.error = classifyError(err);
        done(result);
      },
    };
    try {
      this.#pool.dispatch({ path: request.path, method: task.task.method, headers: request.headers, body: request.body ?? null }, handler);
    } catch (err) {
      handler.onResponseError?.(undefined as never, err as Error);
    }
  }

  async destroy(): Promise<void> {
    await this.#pool.destroy();
  }
}
