/** Small reply helpers shared by the query API routes. */
import type { ServerResponse } from 'node:http';

export interface JsonReplyOptions {
  /** Indent the JSON (Jaeger's `prettyPrint`). */
  indent?: string | number;
  headers?: Record<string, string>;
}

/** Sends `body` as JSON with its length; a HEAD request gets the headers only. */
export function sendJson(res: ServerResponse, status: number, body: unknown, options: JsonReplyOptions = {}): void {
  const text = JSON.stringify(body, null, options.indent);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...options.headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}
