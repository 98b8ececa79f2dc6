/** Small network helpers: a free port, and an HTTP client that keeps no connection open. */
import { createServer, request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

/**
 * A port that was free a moment ago (bind 0, read, release). Only for engines that
 * cannot listen on port 0 and report the port (postgres, redis-server); callers retry
 * on "address in use", since another process may take the port in between.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  server.listen(0, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON; throws with the body in the message when it is not JSON. */
  json<T = unknown>(): T;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as JSON unless it is already a string. */
  body?: unknown;
  /** Abort the request after this long; 10 s by default. */
  timeoutMs?: number;
}

/**
 * One HTTP request on its own connection (agent: false), so that no keep-alive
 * socket outlives the test or delays a service's graceful shutdown.
 */
export async function request(url: string, options: RequestOptions = {}): Promise<HttpResponse> {
  const headers: Record<string, string> = { ...options.headers };
  let payload: string | undefined;
  if (options.body !== undefined) {
    payload = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  }
  return new Promise<HttpResponse>((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers, agent: false, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          json<T>(): T {
            try {
              return JSON.parse(text) as T;
            } catch {
              throw new Error(`${options.method ?? 'GET'} ${url} answered ${res.statusCode ?? 0} with a body that is not JSON: ${text.slice(0, 300)}`);
            }
          },
        });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}
