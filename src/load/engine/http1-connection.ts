/**
 * One keep-alive connection of the http1 transport: a net.Socket reading into one
 * reused buffer (no Buffer and no stream event per read), one request in flight, its
 * answer read by a ResponseParser. The socket's idle timeout is the request timeout:
 * no byte for timeoutMs while a request waits is a `timeout` (a `connect` error
 * before the connection opened).
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import type { ErrorKind } from '../types.js';
import { Feed, ResponseParser } from './http1-parser.js';
import { checkResponse, classifyError } from './request.js';
import type { CompiledTask, SendCallback, SendResult } from './request.js';

/** Bytes of each connection's read buffer. */
const READ_BUFFER_BYTES = 16 * 1024;
/** How long an idle connection is reused without a Keep-Alive hint from the server (undici's keepAliveTimeout as the shard set it). */
const KEEP_ALIVE_DEFAULT_MS = 30_000;
/** Taken off a server's Keep-Alive timeout hint, so a request never races the server closing (undici's threshold). */
const KEEP_ALIVE_THRESHOLD_MS = 2_000;

/** One request: its task, its bytes, and where its result goes. */
export interface Exchange {
  task: CompiledTask;
  wire: Buffer;
  done: SendCallback;
  result: SendResult;
}

export interface ConnectionOwner {
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;
  now(): number;
  /** The connection finished a request and can take another. */
  release(connection: Connection): void;
  /** The connection is closed (or closing) and takes no more requests. */
  gone(connection: Connection): void;
}

/**
 * Connections whose next request waits to be written. Answers arrive in bursts (a
 * server's timers fire together, a busy server flushes many sockets at once): each
 * write is a syscall, and writing the next request inside each read callback would
 * delay the reading, and so the timing, of every answer still waiting behind it in
 * the same turn of the event loop. Writes wait for setImmediate instead, after every
 * ready socket has been read; each request's clock starts when its bytes are written.
 */
const queued: Connection[] = [];
let flushScheduled = false;

function flushQueued(): void {
  flushScheduled = false;
  // A request queued while this batch is written waits for the next flush.
  const batch = queued.splice(0);
  for (const connection of batch) connection.sendQueued();
}

function queueWrite(connection: Connection): void {
  queued.push(connection);
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flushQueued);
  }
}

export class Connection {
  readonly #owner: ConnectionOwner;
  readonly #socket: Socket;
  readonly #parser = new ResponseParser();
  #exchange: Exchange | null;
  #connected = false;
  /** In the write queue (flushQueued). */
  #queued = false;
  /** The last exchange whose bytes were written. */
  #written: Exchange | null = null;
  /** Set once: the connection takes no more requests. */
  closed = false;
  /** Clock ms when it last became idle. */
  idleSince = 0;
  keepAliveMs = KEEP_ALIVE_DEFAULT_MS;

  /** Opens a connection for `first`, sent once it is open. */
  constructor(owner: ConnectionOwner, first: Exchange) {
    this.#owner = owner;
    this.#exchange = first;
    const buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
    this.#socket = connect({
      host: owner.host, port: owner.port, noDelay: true, keepAlive: true, keepAliveInitialDelay: 60_000,
      onread: { buffer, callback: (n) => this.#read(n, buffer) },
    });
    this.#socket.setTimeout(owner.timeoutMs);
    this.#socket.on('connect', () => {
      this.#connected = true;
      if (this.#exchange) this.#write(this.#exchange);
    });
    this.#socket.on('timeout', () => {
      if (this.#exchange) this.#fail(this.#connected ? 'timeout' : 'connect');
    });
    this.#socket.on('error', (err) => this.#fail(this.#connected ? classifyError(err) : 'connect'));
    this.#socket.on('end', () => {
      if (this.#exchange && this.#parser.end() === Feed.Done) this.#complete(false);
      else this.#fail('reset');
    });
    this.#socket.on('close', () => this.#fail('reset'));
  }

  /** Sends a request on this open, idle connection. */
  start(exchange: Exchange): void {
    this.#exchange = exchange;
    this.#write(exchange);
  }

  /** Closes the connection; a request in flight ends with `kind`. */
  close(kind: ErrorKind): void {
    this.#fail(kind);
  }

  #write(exchange: Exchange): void {
    this.#parser.reset(exchange.task.task.method === 'HEAD', exchange.task.bodyCap);
    if (this.#queued) return;
    this.#queued = true;
    queueWrite(this);
  }

  /** Writes the request in flight, queued by #write, unless it ended meanwhile. For flushQueued only. */
  sendQueued(): void {
    this.#queued = false;
    const exchange = this.#exchange;
    if (exchange === null || this.closed || exchange === this.#written) return;
    this.#written = exchange;
    exchange.result.sentAt = this.#owner.now();
    this.#socket.write(exchange.wire);
  }

  #read(n: number, buf: Buffer): boolean {
    if (this.closed) return false;
    if (!this.#exchange) {
      // Bytes nobody asked for: the connection cannot be trusted with another request.
      this.#retire();
      return false;
    }
    const feed = this.#parser.feed(buf, 0, n);
    if (feed === Feed.More) return true;
    if (feed === Feed.Failed) {
      this.#fail('other');
      return false;
    }
    // Bytes after the answer (pipelined garbage): the answer counts, the connection is not reused.
    this.#complete(this.#parser.keepAlive && this.#parser.trailing === 0);
    return !this.closed;
  }

  #complete(reuse: boolean): void {
    const exchange = this.#exchange as Exchange;
    this.#exchange = null;
    const result = exchange.result;
    result.endedAt = this.#owner.now();
    result.status = this.#parser.status;
    if (exchange.task.bodyCap > 0) result.body = this.#parser.body();
    result.error = checkResponse(exchange.task.task, this.#parser.status, result.body);
    if (reuse) {
      const hintS = this.#parser.keepAliveHintS;
      if (hintS >= 0) this.keepAliveMs = hintS * 1000 - KEEP_ALIVE_THRESHOLD_MS;
      this.idleSince = result.endedAt;
      this.#owner.release(this);
    } else this.#retire();
    exchange.done(result);
  }

  #fail(kind: ErrorKind): void {
    const exchange = this.#exchange;
    this.#exchange = null;
    this.#retire();
    if (!exchange) return;
    const result = exchange.result;
    result.endedAt = this.#owner.now();
    if (result.sentAt === 0) result.sentAt = result.endedAt;
    result.status = this.#parser.status > 0 ? this.#parser.status : null;
    result.error = kind;
    exchange.done(result);
  }

  #retire(): void {
    if (this.closed) return;
    this.closed = true;
    this.#socket.destroy();
    this.#owner.gone(this);
  }
}
