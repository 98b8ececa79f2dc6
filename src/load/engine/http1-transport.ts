/**
 * The http1 transport, for http: targets: up to `connections` keep-alive connections
 * (http1-connection.ts), one request in flight on each, the others queued in order.
 * A request's bytes are encoded once per task when it has no template (otherwise once
 * per request), so a send is one socket write; an answer is read from the socket's
 * reused buffer by a small parser. Same results as the undici transport, at a
 * fraction of its cost per request.
 */
import type { ErrorKind } from '../types.js';
import { Connection } from './http1-connection.js';
import type { ConnectionOwner, Exchange } from './http1-connection.js';
import { encodeRequest } from './http1-request.js';
import type { CompiledTask, RenderedRequest, SendCallback, SendResult, Transport } from './request.js';

export interface Http1TransportOptions {
  /** Where to connect (an IPv6 address without brackets). */
  host: string;
  port: number;
  /** The Host header: the target URL's host (with its port unless the default). */
  hostHeader: string;
  connections: number;
  /** Connect timeout, and the longest wait for the next byte of an answer. */
  timeoutMs: number;
  now: () => number;
}

export class Http1Transport implements Transport, ConnectionOwner {
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;
  readonly now: () => number;
  readonly #hostHeader: string;
  readonly #maxConnections: number;
  /** Open, idle connections: the most recently used last. */
  readonly #idle: Connection[] = [];
  readonly #all = new Set<Connection>();
  /** Requests waiting for a connection, from #queueHead on. */
  #queue: Exchange[] = [];
  #queueHead = 0;
  /** Encoded requests of tasks without templates, by task index (with the task, so another task of that index misses). */
  readonly #fixedWire: Array<{ task: CompiledTask; wire: Buffer } | undefined> = [];
  #destroyed = false;

  constructor(options: Http1TransportOptions) {
    this.host = options.host;
    this.port = options.port;
    this.timeoutMs = options.timeoutMs;
    this.now = options.now;
    this.#hostHeader = options.hostHeader;
    this.#maxConnections = Math.max(1, options.connections);
  }

  send(task: CompiledTask, request: RenderedRequest, done: SendCallback): void {
    const result: SendResult = { status: null, error: null, sentAt: 0, endedAt: 0, body: '' };
    let wire: Buffer;
    try {
      wire = request === task.fixed ? this.#fixed(task, request) : this.#encode(task, request);
    } catch {
      this.#failNow({ task, wire: Buffer.alloc(0), done, result }, 'other');
      return;
    }
    const exchange: Exchange = { task, wire, done, result };
    if (this.#destroyed) {
      this.#failNow(exchange, 'other');
      return;
    }
    const idle = this.#takeIdle();
    if (idle) idle.start(exchange);
    else if (this.#all.size < this.#maxConnections) this.#open(exchange);
    else this.#queue.push(exchange);
  }

  release(connection: Connection): void {
    const next = this.#dequeue();
    if (next) connection.start(next);
    else this.#idle.push(connection);
  }

  gone(connection: Connection): void {
    this.#all.delete(connection);
    const at = this.#idle.indexOf(connection);
    if (at >= 0) this.#idle.splice(at, 1);
    if (this.#destroyed) return;
    const next = this.#dequeue();
    if (next) this.#open(next);
  }

  async destroy(): Promise<void> {
    this.#destroyed = true;
    const queued = this.#queue.slice(this.#queueHead);
    this.#queue = [];
    this.#queueHead = 0;
    for (const connection of [...this.#all]) connection.close('other');
    for (const exchange of queued) this.#failNow(exchange, 'other');
    return Promise.resolve();
  }

  /** A new connection for `exchange` (a host or port net refuses at once is a connect error). */
  #open(exchange: Exchange): void {
    try {
      this.#all.add(new Connection(this, exchange));
    } catch {
      this.#failNow(exchange, 'connect');
    }
  }

  #fixed(task: CompiledTask, request: RenderedRequest): Buffer {
    const cached = this.#fixedWire[task.index];
    if (cached?.task === task) return cached.wire;
    const wire = this.#encode(task, request);
    this.#fixedWire[task.index] = { task, wire };
    return wire;
  }

  #encode(task: CompiledTask, request: RenderedRequest): Buffer {
    return encodeRequest(task.task.method, this.#hostHeader, request);
  }

  /** The most recently used idle connection still inside its keep-alive time; older ones are closed. */
  #takeIdle(): Connection | undefined {
    while (this.#idle.length > 0) {
      const connection = this.#idle.pop() as Connection;
      if (connection.closed) continue;
      if (this.now() - connection.idleSince <= connection.keepAliveMs) return connection;
      connection.close('other');
    }
    return undefined;
  }

  #dequeue(): Exchange | undefined {
    if (this.#queueHead >= this.#queue.length) return undefined;
    const next = this.#queue[this.#queueHead++];
    if (this.#queueHead === this.#queue.length) {
      this.#queue.length = 0;
      this.#queueHead = 0;
    } else if (this.#queueHead >= 1024 && this.#queueHead * 2 >= this.#queue.length) {
      this.#queue = this.#queue.slice(this.#queueHead);
      this.#queueHead = 0;
    }
    return next;
  }

  #failNow(exchange: Exchange, kind: ErrorKind): void {
    const result = exchange.result;
    result.endedAt = this.now();
    result.sentAt = result.endedAt;
    result.error = kind;
    exchange.done(result);
  }
}
