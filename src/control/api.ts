/**
 * The control API on the console port: `/api/*` for the console and the CLI
 * (token and Host guarded), OFREP under `/ofrep/v1/*` (Host guarded; read-only), the
 * lab's own metrics on `/metrics`, and `/` for the console (issue 6 replaces the
 * placeholder page).
 */
import { request as httpRequest } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LabError, describeValue } from '../errors.js';
import type { LabHandle } from './handle.js';
import { listenControl } from './control-listener.js';
import type { ControlListener } from './control-listener.js';
import { TOKEN_COOKIE, hostAllowed, tokenMatches } from './guard.js';
import { objectBody, readJson, sendError, sendJson } from './http-util.js';
import { evaluateAll, evaluateFlag } from './ofrep.js';
import { proxyEvent } from './events.js';
import type { LabEvent } from './events.js';
import { consolePage } from './console-page.js';
import { parseLoadRequest } from './load-runner.js';
import { consoleFile } from '../console/index.js';
import { CHAOS_ROUTES } from './chaos-routes.js';
import { DRILL_ROUTES } from './drill-routes.js';

export interface ControlServerOptions {
  host: string;
  port: number;
  token: string;
  /** A listener already holding the port (from listenControl): the API takes its requests over instead of listening itself. */
  listener?: ControlListener;
}

export interface ControlServer {
  readonly port: number;
  readonly url: string;
  /** Routes to the lab from now on; until then /api answers 503. */
  attach(handle: LabHandle): void;
  close(): Promise<void>;
}

export type Route = (handle: LabHandle, req: IncomingMessage, res: ServerResponse, params: string[], url: URL) => Promise<void> | void;

const ROUTES: Array<[string, RegExp, Route]> = [
  ['GET', /^\/api\/status$/, (lab, _req, res) => sendJson(res, 200, lab.status())],
  ['POST', /^\/api\/services\/([a-z][a-z0-9-]*)\/restart$/, async (lab, _req, res, [name]) => {
    await lab.restart(name!);
    sendJson(res, 200, { restarted: name });
  }],
  ['POST', /^\/api\/services\/([a-z][a-z0-9-]*)\/scale$/, async (lab, req, res, [name]) => {
    const body = objectBody(await readJson(req), `POST /api/services/${name}/scale`);
    const replicas = body['replicas'];
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0 || replicas > 32) {
      throw new LabError('LAB_CONTROL_BAD_REQUEST', `replicas must be an integer from 0 to 32, received ${describeValue(replicas)}`);
    }
    await lab.scale(name!, replicas);
    sendJson(res, 200, { service: name, replicas });
  }],
  ['POST', /^\/api\/replicas\/([a-z][a-z0-9-]*-\d+)\/kill$/, async (lab, req, res, [id]) => {
    const body = (await readJson(req)) ?? {};
    const signal = objectBody(body, `POST /api/replicas/${id}/kill`)['signal'] ?? 'SIGKILL';
    if (signal !== 'SIGKILL' && signal !== 'SIGTERM' && signal !== 'SIGINT') {
      throw new LabError('LAB_CONTROL_BAD_REQUEST', `signal must be "SIGKILL", "SIGTERM" or "SIGINT", received ${describeValue(signal)}`);
    }
    lab.kill(id!, signal);
    sendJson(res, 202, { killed: id, signal });
  }],
  ['GET', /^\/api\/events$/, (lab, _req, res, _params, url) => {
    const since = Number(url.searchParams.get('since') ?? 0);
    if (!Number.isFinite(since)) throw new LabError('LAB_CONTROL_BAD_REQUEST', `since must be a time in milliseconds since the epoch, received ${describeValue(url.searchParams.get('since'))}`);
    sendJson(res, 200, { events: lab.events.since(since) });
  }],
  ['POST', /^\/api\/events$/, async (lab, req, res) => {
    // Runs outside the lab (a CLI load run, a drill) mark the charts too.
    const body = objectBody(await readJson(req), 'POST /api/events');
    const kind = body['kind'];
    if (kind !== 'fault' && kind !== 'load' && kind !== 'lab' && kind !== 'drill') {
      throw new LabError('LAB_CONTROL_BAD_REQUEST', `POST /api/events: kind must be "fault", "load", "lab" or "drill", received ${describeValue(kind)}`);
    }
    for (const field of ['action', 'detail'] as const) {
      const value = body[field];
      if (typeof value !== 'string' || value.length === 0 || value.length > 500) {
        throw new LabError('LAB_CONTROL_BAD_REQUEST', `POST /api/events: ${field} must be a string of 1 to 500 characters, received ${describeValue(value)}`);
      }
    }
    const event: Omit<LabEvent, 'timeMs'> = { kind, action: body['action'] as string, detail: body['detail'] as string };
    lab.events.add(event);
    sendJson(res, 201, { event });
  }],
  ['GET', /^\/api\/flags$/, (lab, _req, res) => sendJson(res, 200, { flags: lab.flags.all() })],
  ['PUT', /^\/api\/flags\/([^/]+)$/, async (lab, req, res, [key]) => {
    const body = objectBody(await readJson(req), `PUT /api/flags/${key}`);
    if (!('value' in body)) throw new LabError('LAB_CONTROL_BAD_REQUEST', `PUT /api/flags/${key}: the body must be {"value": ...}, received ${describeValue(body)}`);
    await lab.flags.set(decodeURIComponent(key!), body['value']);
    lab.events.add({ kind: 'fault', action: 'inject', detail: `flag ${decodeURIComponent(key!)} = ${JSON.stringify(body['value'])}` });
    sendJson(res, 200, { flags: lab.flags.all() });
  }],
  ['DELETE', /^\/api\/flags\/([^/]+)$/, async (lab, _req, res, [key]) => {
    if (!(await lab.flags.remove(decodeURIComponent(key!)))) throw new LabError('LAB_CONTROL_NOT_FOUND', `flag "${key}" is not set; GET /api/flags lists the flags`);
    lab.events.add({ kind: 'fault', action: 'remove', detail: `flag ${decodeURIComponent(key!)} removed` });
    sendJson(res, 200, { flags: lab.flags.all() });
  }],
  ['DELETE', /^\/api\/flags$/, async (lab, _req, res) => {
    await lab.flags.clear();
    lab.events.add({ kind: 'fault', action: 'remove', detail: 'every flag removed' });
    sendJson(res, 200, { flags: {} });
  }],
  ['GET', /^\/api\/load$/, (lab, _req, res) => sendJson(res, 200, lab.load.state())],
  ['POST', /^\/api\/load$/, async (lab, req, res) => sendJson(res, 202, await lab.load.start(parseLoadRequest(objectBody(await readJson(req), 'POST /api/load'))))],
  ['DELETE', /^\/api\/load$/, (lab, _req, res) => {
    if (!lab.load.stop()) throw new LabError('LAB_LOAD_NOT_RUNNING', 'no load run is going; GET /api/load shows the last one');
    sendJson(res, 202, lab.load.state());
  }],
  ...CHAOS_ROUTES,
  ...DRILL_ROUTES,
  ['POST', /^\/api\/down$/, (lab, _req, res) => {
    sendJson(res, 202, { stopping: true });
    lab.requestStop();
  }],
];

/**
 * Streams a request to another local HTTP server (the proxy admin API, the hub's
 * query API); `onAnswer` sees the status and the request body (bodies here are small).
 */
function passThrough(base: string, path: string, req: IncomingMessage, res: ServerResponse, onAnswer?: (status: number, body: string) => void): Promise<void> {
  return new Promise((resolve) => {
    const target = new URL(path, base);
    // The proxy refuses browsers' agents, as Toxiproxy does (a CSRF guard); the token
    // already guards this route, and the console is the client here.
    const headers = { ...req.headers, host: target.host, 'user-agent': 'cloudlab-control' };
    delete headers.authorization;
    delete headers.cookie;
    const sent: Buffer[] = [];
    const upstream = httpRequest(target, { method: req.method, headers }, (answer) => {
      onAnswer?.(answer.statusCode ?? 502, Buffer.concat(sent).toString('utf8'));
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.on('end', resolve);
      answer.on('error', () => resolve());
    });
    upstream.on('error', (err) => {
      sendError(res, new LabError('LAB_CONTROL_UPSTREAM_FAILED', `${base} did not answer ${req.method} ${target.pathname}: ${err.message}`));
      resolve();
    });
    res.on('close', () => upstream.destroy());
    if (onAnswer) req.on('data', (chunk: Buffer) => sent.push(chunk));
    req.pipe(upstream);
  });
}

export function createControlServer(options: ControlServerOptions): Promise<ControlServer> {
  let lab: LabHandle | null = null;
  let port = options.port;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req.headers.host, options.host, port)) {
      throw new LabError('LAB_CONTROL_FORBIDDEN_HOST', `Host ${describeValue(req.headers.host ?? '')} is not this lab; open http://127.0.0.1:${port}/ (the check stops DNS rebinding)`);
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const path = url.pathname;
    if (path === '/metrics' && req.method === 'GET') {
      const text = lab?.metrics() ?? '';
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(text);
      return;
    }
    if (path.startsWith('/ofrep/v1/evaluate/flags')) {
      if (!lab) throw new LabError('LAB_CONTROL_NOT_READY', 'the lab is still starting; try again in a moment');
      if (req.method !== 'POST') throw new LabError('LAB_CONTROL_NOT_FOUND', `OFREP evaluates with POST, received ${req.method}`, { statusCode: 405 });
      let body: unknown;
      try {
        body = await readJson(req);
      } catch {
        body = null;
      }
      const key = path.slice('/ofrep/v1/evaluate/flags'.length);
      const answer = key === '' ? evaluateAll(lab.flags, body, req.headers['if-none-match']) : evaluateFlag(lab.flags, decodeURIComponent(key.slice(1)), body);
      if (answer.body === undefined) {
        res.writeHead(answer.status, answer.headers);
        res.end();
      } else sendJson(res, answer.status, answer.body, answer.headers);
      return;
    }
    if (path.startsWith('/assets/') && req.method === 'GET') {
      const file = await consoleFile(path);
      if (!file) throw new LabError('LAB_CONTROL_NOT_FOUND', `no console file at ${path}`);
      res.writeHead(200, { 'content-type': file.contentType, 'cache-control': 'public, max-age=31536000, immutable' });
      res.end(file.body);
      return;
    }
    if (path === '/' || path === '/index.html') {
      if (!tokenMatches(req, url, options.token)) {
        res.writeHead(401, { 'content-type': 'text/html; charset=utf-8' });
        res.end(consolePage(null));
        return;
      }
      const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };
      if (url.searchParams.has('token')) headers['set-cookie'] = `${TOKEN_COOKIE}=${encodeURIComponent(options.token)}; Path=/; HttpOnly; SameSite=Strict`;
      const built = await consoleFile('/');
      res.writeHead(200, headers);
      // Without a console build (npm run build:console), the plain status page.
      res.end(built ? built.body : consolePage(lab?.status() ?? null));
      return;
    }
    if (!path.startsWith('/api/')) throw new LabError('LAB_CONTROL_NOT_FOUND', `no page at ${path}; the console is at / and the API under /api`);
    if (!tokenMatches(req, url, options.token)) {
      throw new LabError('LAB_CONTROL_UNAUTHORIZED', 'the control API needs the lab token: open the console link that `cloudlab up` printed, or send Authorization: Bearer <token> (in .cloudlab/run/lab.json)');
    }
    if (!lab) throw new LabError('LAB_CONTROL_NOT_READY', 'the lab is still starting; try again in a moment');
    if (path.startsWith('/api/proxy/')) {
      const proxyPath = path.slice('/api/proxy'.length);
      const handle = lab;
      return passThrough(handle.proxyAdminUrl, proxyPath + url.search, req, res, (status, body) => {
        const event = status < 300 ? proxyEvent(req.method ?? 'GET', proxyPath, body) : null;
        if (event) handle.events.add(event);
      });
    }
    if (path.startsWith('/api/hub/')) return passThrough(lab.hubQueryUrl, path.slice('/api/hub'.length) + url.search, req, res);
    let pathMatched = false;
    for (const [method, pattern, route] of ROUTES) {
      const m = pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (method === req.method) return route(lab, req, res, m.slice(1), url);
    }
    if (pathMatched) throw new LabError('LAB_CONTROL_NOT_FOUND', `${req.method} is not allowed on ${path}`, { statusCode: 405 });
    throw new LabError('LAB_CONTROL_NOT_FOUND', `no API at ${req.method} ${path}; see docs/control.md for the routes`);
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((err: unknown) => sendError(res, err));
  };
  // Without a listener from the lab (tests), the API listens itself, the same way.
  const listening = options.listener ? Promise.resolve(options.listener) : listenControl(options.host, options.port);
  return listening.then((held) => {
    port = held.port;
    held.serve(onRequest);
    return {
      port,
      url: held.url,
      attach(handle) {
        lab = handle;
      },
      close: () => held.close(),
    };
  });
}
