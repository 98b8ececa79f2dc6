/**
 * One try at sending a request to one backend. The client's body is piped only once
 * the connection is open, so a connection that never opens has consumed nothing and
 * the same request can go to another backend. The outcome is a tagged union: the
 * caller decides what a failure means (retry, 502, 504).
 */
import http from 'node:http';
import type { Agent, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Backend } from './types.js';

export type AttemptOutcome =
  /** Response headers arrived; the body is the caller's to stream. */
  | { kind: 'response'; response: IncomingMessage }
  /** The backend switched protocols (upgrade attempts only): the socket is the caller's now. */
  | { kind: 'upgrade'; response: IncomingMessage; socket: Socket; head: Buffer }
  /** The connection did not open: nothing was sent. */
  | { kind: 'connect-failed'; detail: string }
  /** The connection opened, then failed before a response byte. `reused`: on a keep-alive connection. */
  | { kind: 'failed'; detail: string; reused: boolean }
  /** The backend stayed silent for requestTimeoutMs before answering. */
  | { kind: 'timeout'; detail: string }
  /** abort() was called (the client went away) before a response. */
  | { kind: 'aborted' };

export interface AttemptOptions {
  agent: Agent | false;
  backend: Backend;
  method: string;
  path: string;
  headers: string[];
  /** The client's request, piped to the backend once connected; null sends no body. */
  body: IncomingMessage | null;
  /** An Upgrade request: a 101 answer settles the attempt as `upgrade`. */
  upgrade: boolean;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
}

export interface Attempt {
  readonly outcome: Promise<AttemptOutcome>;
  /** Ends the attempt: before a response the outcome is `aborted`; after, the body stream errors. */
  abort(): void;
}

function describeError(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code !== undefined && !err.message.includes(code) ? `${err.message} (${code})` : err.message;
}

export function startAttempt(options: AttemptOptions): Attempt {
  const { backend } = options;
  const request = http.request({
    agent: options.agent,
    host: backend.host,
    port: backend.port,
    method: options.method,
    path: options.path,
    headers: options.headers,
  });
  let connected = false;
  let timedOut = false;
  let aborted = false;
  let settle!: (outcome: AttemptOutcome) => void;
  let settled = false;
  const outcome = new Promise<AttemptOutcome>((resolve) => {
    settle = (o) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      resolve(o);
    };
  });

  const connectTimer = setTimeout(() => {
    if (connected) return;
    request.destroy(new Error(`no connection within ${options.connectTimeoutMs} ms (connectTimeoutMs)`));
  }, options.connectTimeoutMs);
  connectTimer.unref();

  const onConnect = (): void => {
    if (connected || settled) return;
    connected = true;
    clearTimeout(connectTimer);
    request.setTimeout(options.requestTimeoutMs, () => {
      timedOut = true;
      request.destroy(new Error(`no answer for ${options.requestTimeoutMs} ms (requestTimeoutMs)`));
    });
    if (options.body) options.body.pipe(request);
    else request.end();
  };
  request.on('socket', (socket: Socket) => {
    if (socket.connecting) socket.once('connect', onConnect);
    else onConnect();
  });
  request.on('response', (response: IncomingMessage) => settle({ kind: 'response', response }));
  if (options.upgrade) {
    request.on('upgrade', (response: IncomingMessage, socket: Socket, head: Buffer) => {
      // The request's idle timeout stays on the socket it hands over; a tunnel has none.
      socket.setTimeout(0);
      if (aborted) socket.destroy();
      else settle({ kind: 'upgrade', response, socket, head });
    });
  }
  // Errors after the response are the body stream's; this listener only keeps them from being unhandled.
  request.on('error', (err: Error) => {
    if (aborted) settle({ kind: 'aborted' });
    else if (!connected) settle({ kind: 'connect-failed', detail: describeError(err) });
    else if (timedOut) settle({ kind: 'timeout', detail: err.message });
    else settle({ kind: 'failed', detail: describeError(err), reused: request.reusedSocket });
  });
  request.on('close', () => {
    // Closed without an error or a response (destroyed without a reason).
    if (aborted) settle({ kind: 'aborted' });
    else if (connected) settle({ kind: 'failed', detail: 'connection closed', reused: request.reusedSocket });
    else settle({ kind: 'connect-failed', detail: 'connection closed' });
  });

  return {
    outcome,
    abort() {
      if (!settled) aborted = true;
      if (options.body) options.body.unpipe(request);
      request.destroy();
    },
  };
}
