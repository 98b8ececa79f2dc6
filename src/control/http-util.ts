/** Small HTTP helpers of the control API: JSON answers, errors, bounded bodies. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LabError, describeValue } from '../errors.js';

const MAX_BODY_BYTES = 1024 * 1024;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, err: unknown): void {
  const lab = err instanceof LabError ? err : new LabError('LAB_CONTROL_INTERNAL', `the control API failed: ${(err as Error)?.message ?? String(err)}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, lab.statusCode, lab.toJSON());
}

/** Reads a JSON body (at most 1 MiB); undefined for an empty body. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new LabError('LAB_CONTROL_BAD_REQUEST', `the request body must be at most ${MAX_BODY_BYTES} bytes`, { statusCode: 413 });
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new LabError('LAB_CONTROL_BAD_REQUEST', `the request body must be JSON, received ${describeValue(text)}`);
  }
}

export function objectBody(body: unknown, what: string): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new LabError('LAB_CONTROL_BAD_REQUEST', `${what}: the body must be a JSON object, received ${describeValue(body)}`);
  }
  return body as Record<string, unknown>;
}
