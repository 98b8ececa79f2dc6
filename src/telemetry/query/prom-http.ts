/**
 * The Prometheus HTTP API's envelope and request bodies: `{"status":"success","data":...}`,
 * `{"status":"error","errorType":...,"error":...}` with Prometheus's statuses, and
 * form-encoded POST bodies as Grafana sends them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LabError, isLabError } from '../../errors.js';
import { sendJson } from './http-json.js';

/** Go's ParseForm reads at most 10 MB of a form body; we allow 10 MiB. */
export const MAX_FORM_BYTES = 10 * 1024 * 1024;

/** Prometheus's error types (web/api/v1/api.go) and the statuses it answers them with. */
export type PromErrorType = 'bad_data' | 'execution' | 'timeout' | 'canceled' | 'internal' | 'unavailable' | 'not_found';

export function sendSuccess(res: ServerResponse, data: unknown, warnings: string[] = []): void {
  const body: Record<string, unknown> = { status: 'success', data };
  if (warnings.length > 0) body['warnings'] = warnings;
  sendJson(res, 200, body);
}

/** How an error thrown while answering maps onto Prometheus's error types. */
export function classify(err: unknown): { status: number; errorType: PromErrorType; message: string } {
  if (!isLabError(err)) {
    const message = err instanceof Error ? err.message : String(err);
    return { status: 500, errorType: 'internal', message };
  }
  if (err.code === 'LAB_QUERY_PROM_TIMEOUT') return { status: 503, errorType: 'timeout', message: err.message };
  const status = err.statusCode;
  if (status === 422) return { status, errorType: 'execution', message: err.message };
  if (status === 404) return { status, errorType: 'not_found', message: err.message };
  if (status === 503) return { status, errorType: 'unavailable', message: err.message };
  if (status >= 400 && status < 500) return { status, errorType: 'bad_data', message: err.message };
  return { status, errorType: 'internal', message: err.message };
}

export function sendError(res: ServerResponse, err: unknown, headers: Record<string, string> = {}): void {
  const { status, errorType, message } = classify(err);
  sendJson(res, status, { status: 'error', errorType, error: message }, { headers });
}

function isForm(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/**
 * Reads a POST body as form parameters. An empty body is no parameters; a body of
 * another content type is refused (Prometheus would ignore it and then report the
 * missing `query`, which hides the real mistake).
 */
export function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) {
        // Stop collecting but drain the rest, so the 413 reaches the client.
        req.off('data', onData);
        chunks.length = 0;
        req.resume();
        reject(new LabError('LAB_QUERY_PROM_BODY_TOO_LARGE', `request body larger than ${MAX_FORM_BYTES} bytes; send fewer or shorter parameters`));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('error', reject);
    req.on('end', () => {
      if (size > MAX_FORM_BYTES) return;
      const text = Buffer.concat(chunks).toString('utf8');
      if (text === '') {
        resolve(new URLSearchParams());
        return;
      }
      const type = req.headers['content-type'];
      if (!isForm(type)) {
        reject(
          new LabError(
            'LAB_QUERY_PROM_BAD_PARAM',
            `invalid request body: expected Content-Type "application/x-www-form-urlencoded" (query=...&time=...), received ${type === undefined ? 'no Content-Type' : JSON.stringify(type)}`,
          ),
        );
        return;
      }
      resolve(new URLSearchParams(text));
    });
  });
}
