/**
 * Upgrade requests (WebSocket): the handshake goes to a backend like any request
 * (round robin, one retry when the connection did not open); on 101 the two sockets
 * are piped to each other until either side closes. A backend that declines the
 * upgrade has its answer relayed on a connection that then closes.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { LabError } from '../errors.js';
import { startAttempt } from './attempt.js';
import { errorBody } from './context.js';
import type { EdgeContext } from './context.js';
import { BACKEND_HEADER, forwardedRequestHeaders, forwardedResponseHeaders } from './headers.js';
import { NO_BACKEND_LABEL } from './metrics.js';
import { decideAfterFailure } from './retry.js';
import type { RequestShape } from './retry.js';

function writeHead(socket: Duplex, status: number, message: string, headers: readonly string[]): void {
  let head = `HTTP/1.1 ${status} ${message}\r\n`;
  for (let i = 0; i + 1 < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`;
  socket.write(`${head}\r\n`);
}

function writeError(socket: Duplex, error: LabError, backendId: string | null): void {
  const body = errorBody(error);
  const headers = ['Content-Type', 'application/json; charset=utf-8', 'Content-Length', String(Buffer.byteLength(body)), 'Connection', 'close'];
  if (backendId !== null) headers.push(BACKEND_HEADER, backendId);
  writeHead(socket, error.statusCode, error.code === 'LAB_EDGE_NO_BACKEND' ? 'Service Unavailable' : error.statusCode === 504 ? 'Gateway Timeout' : 'Bad Gateway', headers);
  socket.end(body);
}

/** Pipes two sockets both ways; either one closing or failing ends both. */
function tunnel(a: Duplex, b: Duplex): void {
  const end = (): void => {
    a.destroy();
    b.destroy();
  };
  for (const s of [a, b]) {
    s.on('error', end);
    s.on('close', end);
  }
  a.pipe(b);
  b.pipe(a);
}

/** Handles the server's 'upgrade' event. `sockets` tracks every socket so close() can end them. */
export function forwardUpgrade(ctx: EdgeContext, req: IncomingMessage, socket: Duplex, head: Buffer, sockets: Set<Duplex>): void {
  const { options, pool, metrics } = ctx;
  const started = options.clock();
  const track = (s: Duplex): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  track(socket);
  socket.on('error', () => socket.destroy());
  metrics.inFlight++;
  let recorded = false;
  const record = (backend: string, code: number): void => {
    if (recorded) return;
    recorded = true;
    metrics.inFlight--;
    metrics.recordRequest(backend, code, (options.clock() - started) / 1000);
  };
  const shape: RequestShape = { method: req.method ?? 'GET', hasBody: false, tried: new Set(), history: [] };

  const run = async (): Promise<void> => {
    let state = pool.pick();
    if (!state) {
      metrics.noBackend++;
      record(NO_BACKEND_LABEL, 503);
      writeError(socket, new LabError('LAB_EDGE_NO_BACKEND', pool.describeNoBackend()), null);
      return;
    }
    for (;;) {
      shape.tried.add(state.backend.id);
      state.requests++;
      const attempt = startAttempt({
        agent: false,
        backend: state.backend,
        method: shape.method,
        path: req.url ?? '/',
        headers: forwardedRequestHeaders(req, state.backend, true),
        body: null,
        upgrade: true,
        connectTimeoutMs: options.connectTimeoutMs,
        requestTimeoutMs: options.requestTimeoutMs,
      });
      const onClientClose = (): void => attempt.abort();
      socket.once('close', onClientClose);
      const outcome = await attempt.outcome;
      socket.off('close', onClientClose);
      const id = state.backend.id;
      switch (outcome.kind) {
        case 'aborted':
          record(NO_BACKEND_LABEL, 499);
          return;
        case 'upgrade': {
          const upstream = outcome.socket;
          track(upstream);
          record(id, 101);
          if (socket.destroyed) {
            upstream.destroy();
            return;
          }
          // A 101 keeps its Connection and Upgrade headers: they are the handshake.
          const raw = outcome.response.rawHeaders;
          const headers: string[] = [];
          for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]!.toLowerCase() !== BACKEND_HEADER) headers.push(raw[i]!, raw[i + 1]!);
          writeHead(socket, 101, outcome.response.statusMessage || 'Switching Protocols', [...headers, BACKEND_HEADER, id]);
          if (outcome.head.length > 0) socket.write(outcome.head);
          if (head.length > 0) upstream.write(head);
          tunnel(socket, upstream);
          return;
        }
        case 'response': {
          // The backend declined the upgrade: relay its answer, then close (the body ends with the connection).
          const response = outcome.response;
          record(id, response.statusCode ?? 502);
          writeHead(socket, response.statusCode ?? 502, response.statusMessage ?? '', forwardedResponseHeaders(response, id, true));
          response.on('error', () => socket.destroy());
          response.pipe(socket);
          return;
        }
        default: {
          const decision = decideAfterFailure(ctx, state, outcome, shape);
          if (decision.kind === 'retry') {
            state = decision.next;
            continue;
          }
          record(id, decision.error.statusCode);
          writeError(socket, decision.error, id);
          return;
        }
      }
    }
  };
  run().catch((err: unknown) => {
    record(NO_BACKEND_LABEL, 502);
    socket.destroy(err as Error);
  });
}
