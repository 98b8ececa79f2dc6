import type { IncomingMessage, ServerResponse } from 'node:http';
import { LabError } from '../errors.js';
import type { ProxyCollection } from './collection.js';
import { parseJson } from './input.js';
import { renderMetrics } from './metrics.js';

/** The request body limit; Toxiproxy has none, but a proxy list is never this big. */
const MAX_BODY_BYTES = 1024 * 1024;

/** The Toxiproxy API version this server implements, reported by GET /version. */
export const TOXIPROXY_API_VERSION = '2.12.0';

type Handler = (params: string[], body: () => Promise<unknown>) => Promise<Reply>;
interface Reply {
  status: number;
  json?: unknown;
}
type Routes = Record<string, Partial<Record<string, Handler>>>;

function sendJson(res: ServerResponse, status: number, json: unknown): void {
  if (json === undefined) {
    res.writeHead(status).end();
    return;
  }
  const body = JSON.stringify(json);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
}

/** Toxiproxy's error reply: a JSON body sent as text/plain with a newline (Go's http.Error). */
export function sendToxiproxyError(res: ServerResponse, status: number, message: string): void {
  const body = `${JSON.stringify({ error: message, status })}\n`;
  res
    .writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'content-length': Buffer.byteLength(body) })
    .end(body);
}

function sendText(res: ServerResponse, status: number, text: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) }).end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        // Answer 413 and drain the rest unread: destroying the socket here would
        // drop the answer too, and the client would see a reset instead of the status.
        req.off('data', onData);
        chunks.length = 0;
        req.resume();
        reject(new LabError('LAB_PROXY_BODY_TOO_LARGE', `bad request body: larger than ${MAX_BODY_BYTES} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

// Maps "/proxies/a/toxics/b" to the pattern "/proxies/*/toxics/*" and the params [a, b].
function matchRoute(pathname: string): { pattern: string; params: string[] } | undefined {
  const segments = pathname.split('/').slice(1);
  const params: string[] = [];
  try {
    const pattern = segments.map((segment, i) => {
      if (segments[0] !== 'proxies' || i % 2 === 0) return segment;
      params.push(decodeURIComponent(segment));
      return '*';
    });
    return { pattern: `/${pattern.join('/')}`, params };
  } catch {
    return undefined; // a malformed %-escape names no route
  }
}

/** Builds the request handler of the Toxiproxy-compatible admin API. */
export function createApiHandler(collection: ProxyCollection, version: string): (req: IncomingMessage, res: ServerResponse) => void {
  const routes: Routes = {
    '/version': {
      GET: () => Promise.resolve({ status: 200, json: { version: TOXIPROXY_API_VERSION, cloudlab: version } }),
    },
    '/reset': { POST: async () => (await collection.reset(), { status: 204 }) },
    '/populate': {
      POST: async (_, body) => ({ status: 201, json: { proxies: await collection.populate(await body()) } }),
    },
    '/proxies': {
      GET: () => Promise.resolve({ status: 200, json: Object.fromEntries(collection.list().map((p) => [p.name, p])) }),
      POST: async (_, body) => ({ status: 201, json: await collection.create(await body()) }),
    },
    '/proxies/*': {
      GET: ([p]) => Promise.resolve({ status: 200, json: collection.get(p!) }),
      POST: async ([p], body) => ({ status: 200, json: await collection.update(p!, await body()) }),
      DELETE: async ([p]) => (await collection.remove(p!), { status: 204 }),
    },
    '/proxies/*/toxics': {
      GET: ([p]) => Promise.resolve({ status: 200, json: collection.get(p!).toxics }),
      POST: async ([p], body) => ({ status: 200, json: await collection.addToxic(p!, await body()) }),
    },
    '/proxies/*/toxics/*': {
      GET: ([p, t]) => Promise.resolve({ status: 200, json: collection.getToxic(p!, t!) }),
      POST: async ([p, t], body) => ({ status: 200, json: await collection.updateToxic(p!, t!, await body()) }),
      DELETE: async ([p, t]) => (await collection.removeToxic(p!, t!), { status: 204 }),
    },
  };
  for (const path of ['/proxies/*', '/proxies/*/toxics/*']) {
    const route = routes[path]!;
    route['PATCH'] = route['POST'];
  }

  return (req, res) => {
    if ((req.headers['user-agent'] ?? '').startsWith('Mozilla/')) {
      sendText(res, 403, 'User agent not allowed\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/metrics' && req.method === 'GET') {
      sendText(res, 200, renderMetrics(collection.list()), 'text/plain; version=0.0.4; charset=utf-8');
      return;
    }
    const match = matchRoute(url.pathname);
    const route = match && routes[match.pattern];
    if (!match || !route) {
      sendText(res, 404, '404 page not found\n');
      return;
    }
    const handler = route[req.method ?? 'GET'];
    if (!handler) {
      res.writeHead(405, { allow: Object.keys(route).join(', ') }).end();
      return;
    }
    let bodyPromise: Promise<unknown> | undefined;
    const body = (): Promise<unknown> => (bodyPromise ??= readBody(req).then((text) => (text.trim() === '' ? {} : parseJson(text))));
    // The executor runs the handler at once (so a body read starts before the resume
    // below) and turns a synchronous throw (an unknown proxy on GET) into an error reply.
    new Promise<Reply>((resolve) => resolve(handler(match.params, body))).then(
      (reply) => sendJson(res, reply.status, reply.json),
      (err: unknown) => {
        if (err instanceof LabError) sendToxiproxyError(res, err.statusCode, err.message);
        else sendToxiproxyError(res, 500, (err as Error).message ?? String(err));
      },
    );
    if (!bodyPromise) req.resume();
  };
}
