/**
 * One SERVER span per request, made by a Fastify hook and the server's response hook
 * instead of @opentelemetry/instrumentation-http. That instrumentation patches the
 * HTTP server's `emit`, wraps the response and computes its attributes for every
 * request, sampled or not. Here:
 *
 * - onRequest extracts the caller's W3C trace context from the headers (the global
 *   propagator), starts the span with the Fastify route as its name and `http.route`,
 *   and keeps the span and its context on the request. Handlers enter that context
 *   around their Postgres and Valkey calls (trace-context.ts), so those spans become its
 *   children, and the payments call carries it in `traceparent`;
 * - the function traceRequests returns, called from the server's one onResponse hook
 *   (http-server.ts), sets `http.response.status_code` (ERROR from 500 up, as the HTTP
 *   semantic conventions say for a server) and ends it; a recording span also ends, as
 *   an error, when the client goes away first.
 *
 * Attributes follow the stable HTTP server conventions, the ones the instrumentation
 * set, and are computed only for a span that records (a sampled request).
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, propagation, trace } from '@opentelemetry/api';
import type { Attributes, Context, Span, Tracer } from '@opentelemetry/api';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ROOT_DECISION } from './sampler.js';
import type { RootSampler } from './sampler.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's server span; undefined for the quiet paths (probes, scrapes) and with telemetry off. */
    serverSpan: Span | undefined;
    /**
     * The caller's context with serverSpan set in it: what the request's calls and logs
     * run in. For a new trace dropped before its span (see traceRequests), a context
     * that says so, so the calls the request makes follow the decision.
     */
    traceContext: Context | undefined;
  }
}

/** Paths that probes and scrapers hit constantly: no spans for them. */
export const QUIET_ROUTES: ReadonlySet<string> = new Set(['/metrics', '/health', '/ready']);

const SCOPE = 'cafe-demo/http-server';

function requestAttributes(request: FastifyRequest, route: string | undefined): Attributes {
  const raw = request.raw;
  const url = raw.url ?? '/';
  const q = url.indexOf('?');
  const attributes: Attributes = {
    'http.request.method': request.method,
    'url.scheme': 'http',
    'url.path': q === -1 ? url : url.slice(0, q),
    'network.protocol.version': raw.httpVersion,
  };
  if (q !== -1) attributes['url.query'] = url.slice(q + 1);
  if (route !== undefined) attributes['http.route'] = route;
  const host = raw.headers.host;
  if (host !== undefined) {
    const colon = host.lastIndexOf(':');
    const bracket = host.lastIndexOf(']');
    if (colon > bracket) {
      attributes['server.address'] = host.slice(0, colon);
      const port = Number(host.slice(colon + 1));
      if (Number.isInteger(port)) attributes['server.port'] = port;
    } else {
      attributes['server.address'] = host;
    }
  }
  const socket = raw.socket;
  if (socket.remoteAddress !== undefined) {
    attributes['network.peer.address'] = socket.remoteAddress;
    attributes['client.address'] = socket.remoteAddress;
  }
  if (socket.remotePort !== undefined) attributes['network.peer.port'] = socket.remotePort;
  const agent = raw.headers['user-agent'];
  if (agent !== undefined) attributes['user_agent.original'] = agent;
  return attributes;
}

/**
 * Ends a recording span as an error when the client goes away before the response
 * (no response, so no onResponse). A listener of its own on the sampled requests only:
 * a Fastify onRequestAbort hook would add one to every request.
 */
function endIfAborted(request: FastifyRequest, span: Span): void {
  request.raw.once('close', () => {
    // As Fastify's own abort check; after a response, onResponse has ended the span.
    if (!request.raw.aborted || request.serverSpan !== span) return;
    request.serverSpan = undefined;
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'the client closed the connection before the response' });
    span.end();
  });
}

/** Where a new root trace starts once its decision is taken. */
const KEPT_ROOT = ROOT_CONTEXT.setValue(ROOT_DECISION, true);
const DROPPED_ROOT = ROOT_CONTEXT.setValue(ROOT_DECISION, false);

/**
 * `roots`: the default root sampler (telemetry.ts). With it, a request that carries no
 * trace context is decided first, and a dropped one makes no span at all (no trace id,
 * no context objects): what most requests cost under load is the check. Without it
 * (OTEL_TRACES_SAMPLER set), the SDK's sampler decides every span as usual.
 * Returns what ends the span, for the server's onResponse hook.
 */
export function traceRequests(app: FastifyInstance, roots: RootSampler | undefined): (request: FastifyRequest, reply: FastifyReply) => void {
  const tracer = trace.getTracer(SCOPE);
  app.decorateRequest('serverSpan', undefined);
  app.decorateRequest('traceContext', undefined);

  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    if (route !== undefined && QUIET_ROUTES.has(route)) {
      done();
      return;
    }
    const headers = request.headers;
    let parent: Context;
    if (roots !== undefined && headers.traceparent === undefined && headers.baggage === undefined) {
      if (!roots.sampleRoot()) {
        request.traceContext = DROPPED_ROOT;
        done();
        return;
      }
      parent = KEPT_ROOT;
    } else {
      parent = propagation.extract(ROOT_CONTEXT, headers);
    }
    startServerSpan(tracer, request, route, parent);
    done();
  });

  return (request, reply) => {
    const span = request.serverSpan;
    if (span !== undefined) endServerSpan(request, reply, span);
  };
}

// The span's start and end, for a request that gets a span object: not a quiet route and
// not dropped ahead by the root sampler. The span may not record (a caller's unsampled
// traceparent, or OTEL_TRACES_SAMPLER's decision); attributes are set only when it does.

function startServerSpan(tracer: Tracer, request: FastifyRequest, route: string | undefined, parent: Context): void {
  const span = tracer.startSpan(route === undefined ? request.method : `${request.method} ${route}`, { kind: SpanKind.SERVER }, parent);
  if (span.isRecording()) {
    span.setAttributes(requestAttributes(request, route));
    endIfAborted(request, span);
  }
  request.serverSpan = span;
  request.traceContext = trace.setSpan(parent, span);
}

function endServerSpan(request: FastifyRequest, reply: FastifyReply, span: Span): void {
  request.serverSpan = undefined;
  const status = reply.statusCode;
  if (span.isRecording()) {
    span.setAttribute('http.response.status_code', status);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}
