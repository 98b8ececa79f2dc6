/**
 * Forwards one HTTP request: choose a backend, send, retry once when safe, then
 * stream the response back. Bodies are streamed both ways with backpressure (pipe);
 * nothing is buffered beyond the streams' own buffers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LabError } from '../errors.js';
import { startAttempt } from './attempt.js';
import type { Attempt } from './attempt.js';
import { errorBody } from './context.js';
import type { EdgeContext } from './context.js';
import { BACKEND_HEADER, forwardedRequestHeaders, forwardedResponseHeaders, hasBody } from './headers.js';
import { NO_BACKEND_LABEL } from './metrics.js';
import type { BackendState } from './pool.js';
import { decideAfterFailure } from './retry.js';
import type { RequestShape } from './retry.js';

/** Status recorded for a request whose client went away before the response started (nginx's 499). */
export const CLIENT_CLOSED_STATUS = 499;

/** Counts a request against a backend until released, once. */
function occupy(state: BackendState): () => void {
  state.requests++;
  state.inFlight++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    state.inFlight--;
  };
}

function sendError(ctx: EdgeContext, req: IncomingMessage, res: ServerResponse, error: LabError, backendId: string | null): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const body = errorBody(error);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  };
  if (backendId !== null) headers[BACKEND_HEADER] = backendId;
  // A body still arriving would have to be read to keep the connection; close it instead.
  if (ctx.closing() || !req.complete) headers['connection'] = 'close';
  res.writeHead(error.statusCode, headers);
  res.end(body);
}

export function forwardRequest(ctx: EdgeContext, req: IncomingMessage, res: ServerResponse): void {
  const { options, pool, metrics } = ctx;
  const started = options.clock();
  metrics.inFlight++;
  let answeredBy = NO_BACKEND_LABEL;
  let current: Attempt | undefined;
  let clientGone = false;
  res.on('close', () => {
    clientGone = !res.writableFinished;
    metrics.inFlight--;
    metrics.recordRequest(answeredBy, res.headersSent ? res.statusCode : CLIENT_CLOSED_STATUS, (options.clock() - started) / 1000);
    if (clientGone) current?.abort();
  });

  const stream = (state: BackendState, attempt: Attempt, upstream: IncomingMessage, release: () => void): void => {
    answeredBy = state.backend.id;
    res.writeHead(upstream.statusCode ?? 502, upstream.statusMessage, forwardedResponseHeaders(upstream, state.backend.id, ctx.closing()));
    let cut = false;
    // The backend went away (or stayed silent) mid-body: the client must not take a short body for a whole one.
    const onCut = (): void => {
      if (cut || clientGone) return;
      cut = true;
      state.failures++;
      res.destroy();
    };
    upstream.on('aborted', onCut);
    upstream.on('error', onCut);
    upstream.on('end', release);
    res.on('close', () => {
      release();
      if (!upstream.complete) attempt.abort();
    });
    upstream.pipe(res);
  };

  const run = async (): Promise<void> => {
    const method = req.method ?? 'GET';
    const shape: RequestShape = { method, hasBody: hasBody(req), tried: new Set(), history: [] };
    let state = pool.pick();
    if (!state) {
      metrics.noBackend++;
      sendError(ctx, req, res, new LabError('LAB_EDGE_NO_BACKEND', pool.describeNoBackend()), null);
      return;
    }
    for (;;) {
      if (clientGone) return;
      shape.tried.add(state.backend.id);
      const release = occupy(state);
      const attempt = startAttempt({
        agent: ctx.agent,
        backend: state.backend,
        method,
        path: req.url ?? '/',
        headers: forwardedRequestHeaders(req, state.backend, false),
        body: req,
        upgrade: false,
        connectTimeoutMs: options.connectTimeoutMs,
        requestTimeoutMs: options.requestTimeoutMs,
      });
      current = attempt;
      const outcome = await attempt.outcome;
      if (outcome.kind === 'response') {
        stream(state, attempt, outcome.response, release);
        return;
      }
      release();
      current = undefined;
      if (outcome.kind === 'aborted' || outcome.kind === 'upgrade' || clientGone) return;
      const decision = decideAfterFailure(ctx, state, outcome, shape);
      if (decision.kind === 'retry') {
        state = decision.next;
        continue;
      }
      answeredBy = state.backend.id;
      sendError(ctx, req, res, decision.error, state.backend.id);
      return;
    }
  };

  run().catch((err: unknown) => {
    // A bug, not a backend's failure: answer 502 if still possible rather than hang the client.
    current?.abort();
    sendError(ctx, req, res, new LabError('LAB_EDGE_BAD_GATEWAY', `the edge of ${options.name} failed forwarding the request: ${(err as Error).message}`), null);
  });
}
