/**
 * Reads client requests off a byte stream, as Redis does: RESP arrays of bulk
 * strings (`*2\r\n$3\r\nGET\r\n$1\r\nk\r\n`) or inline lines (`GET k\r\n`), any
 * number per chunk (pipelining), split anywhere across chunks. Malformed input
 * ends in a protocol error with Redis's wording; the server then closes the
 * connection. Memory stays bounded: a line may not exceed 64 KiB, an argument
 * or the arguments of one request `maxRequestBytes`, a request 1 Mi arguments.
 */
import { parseInteger } from './integers.js';
import { splitInlineArgs } from './inline-args.js';

export type ParseResult = { readonly type: 'command'; readonly args: Buffer[] } | { readonly type: 'error'; readonly message: string };

export interface RequestParserOptions {
  /** Largest argument, and largest sum of arguments in one request; 64 MiB by default. */
  maxRequestBytes?: number;
}

export const DEFAULT_MAX_REQUEST_BYTES = 64 * 1024 * 1024;
/** Redis's PROTO_INLINE_MAX_SIZE: the longest inline line or length line it waits for. */
export const MAX_LINE_BYTES = 64 * 1024;
/** Most arguments in one request (Redis allows up to 2^31-1; we keep memory bounded). */
export const MAX_ARGUMENTS = 1024 * 1024;

const STAR = 0x2a;
const DOLLAR = 0x24;
const CR = 0x0d;
const LF = 0x0a;

export class RequestParser {
  readonly #maxRequestBytes: number;
  /** Merged bytes not yet consumed start at #pos; newer chunks wait in #pending. */
  #buf: Buffer = Buffer.alloc(0);
  #pos = 0;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** The request being read: arguments still expected, and the next one's length (-1 before its header). */
  #remaining = 0;
  #bulkLength = -1;
  #args: Buffer[] = [];
  #requestBytes = 0;
  #failure: ParseResult | null = null;

  constructor(options: RequestParserOptions = {}) {
    this.#maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  }

  push(chunk: Buffer): void {
    if (this.#failure !== null || chunk.length === 0) return;
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
  }

  /** The next complete request, a protocol error (final), or null when more bytes are needed. */
  next(): ParseResult | null {
    while (this.#failure === null) {
      if (this.#remaining === 0) {
        if (this.#available() === 0) return null;
        this.#ensure(1);
        if (this.#buf[this.#pos] !== STAR) {
          const inline = this.#readInline();
          if (inline === null) return null;
          if (inline.type === 'command' && inline.args.length === 0) continue;
          this.#release();
          return inline;
        }
        const count = this.#readLengthLine('too big mbulk count string');
        if (count === null) return null;
        if (count === 'error') continue;
        if (count === undefined || count > BigInt(MAX_ARGUMENTS)) {
          this.#fail('invalid multibulk length');
          continue;
        }
        if (count <= 0n) continue;
        this.#remaining = Number(count);
      }
      const command = this.#readArguments();
      if (command === null) return null;
      if (command !== 'error') {
        this.#release();
        return command;
      }
    }
    return this.#failure;
  }

  #available(): number {
    return this.#buf.length - this.#pos + this.#pendingBytes;
  }

  /** Makes at least `bytes` bytes (or all there are) contiguous in #buf. */
  #ensure(bytes: number): void {
    if (this.#buf.length - this.#pos >= bytes || this.#pending.length === 0) return;
    this.#buf = Buffer.concat([this.#buf.subarray(this.#pos), ...this.#pending]);
    this.#pos = 0;
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  /** Drops a fully read buffer, so an idle connection holds no large request. */
  #release(): void {
    if (this.#pos === this.#buf.length && this.#pos > 0) {
      this.#buf = Buffer.alloc(0);
      this.#pos = 0;
    }
  }

  /**
   * Index of the next CR that has a byte after it (Redis reads that byte as the
   * LF without checking it); -1 when there is no CR yet, -2 when the byte after is missing.
   */
  #findLineEnd(): number {
    let found = this.#buf.indexOf(CR, this.#pos);
    if ((found < 0 || found + 1 >= this.#buf.length) && this.#pending.length > 0) {
      this.#ensure(Number.POSITIVE_INFINITY);
      found = this.#buf.indexOf(CR, this.#pos);
    }
    if (found < 0) return -1;
    return found + 1 < this.#buf.length ? found : -2;
  }

  /** Index of `byte` at or after #pos in all bytes received, or -1. */
  #find(byte: number): number {
    const found = this.#buf.indexOf(byte, this.#pos);
    if (found >= 0 || this.#pending.length === 0) return found;
    this.#ensure(Number.POSITIVE_INFINITY);
    return this.#buf.indexOf(byte, this.#pos);
  }

  #fail(reason: string): 'error' {
    this.#failure = { type: 'error', message: `ERR Protocol error: ${reason}` };
    this.#pending = [];
    this.#buf = Buffer.alloc(0);
    this.#pos = 0;
    return 'error';
  }

  #readInline(): ParseResult | null {
    const newline = this.#find(LF);
    if (newline < 0) {
      if (this.#available() > MAX_LINE_BYTES) this.#fail('too big inline request');
      return this.#failure;
    }
    let end = newline;
    if (end > this.#pos && this.#buf[end - 1] === CR) end--;
    const args = splitInlineArgs(this.#buf.subarray(this.#pos, end));
    this.#pos = newline + 1;
    if (args === null) {
      this.#fail('unbalanced quotes in request');
      return this.#failure;
    }
    return { type: 'command', args };
  }

  /**
   * Reads `*<n>\r` or `$<n>\r` plus the byte after the CR (Redis does not check
   * it is LF). Returns the number (undefined when it does not parse), null when
   * more bytes are needed, or 'error' after a failure.
   */
  #readLengthLine(tooBig: string): bigint | undefined | null | 'error' {
    const cr = this.#findLineEnd();
    if (cr === -1) return this.#available() > MAX_LINE_BYTES ? this.#fail(tooBig) : null;
    if (cr === -2) return null;
    const value = parseInteger(this.#buf, this.#pos + 1, cr);
    this.#pos = cr + 2;
    return value ?? undefined;
  }

  /** Reads the arguments of the current array request; the command, null to wait, or 'error'. */
  #readArguments(): ParseResult | null | 'error' {
    while (this.#remaining > 0) {
      if (this.#bulkLength < 0) {
        if (this.#available() === 0) return null;
        this.#ensure(1);
        const first = this.#buf[this.#pos]!;
        const cr = this.#findLineEnd();
        if (cr === -1) return this.#available() > MAX_LINE_BYTES ? this.#fail('too big bulk count string') : null;
        if (cr === -2) return null;
        if (first !== DOLLAR) return this.#fail(`expected '$', got '${String.fromCharCode(first)}'`);
        const length = this.#readLengthLine('too big bulk count string');
        if (length === null || length === 'error') return length;
        if (length === undefined || length < 0n || length > BigInt(this.#maxRequestBytes)) return this.#fail('invalid bulk length');
        this.#requestBytes += Number(length);
        if (this.#requestBytes > this.#maxRequestBytes) return this.#fail(`request over ${this.#maxRequestBytes} bytes`);
        this.#bulkLength = Number(length);
      }
      // The bulk plus its trailing CRLF, which Redis skips without checking.
      const needed = this.#bulkLength + 2;
      if (this.#available() < needed) return null;
      this.#ensure(needed);
      this.#args.push(Buffer.from(this.#buf.subarray(this.#pos, this.#pos + this.#bulkLength)));
      this.#pos += needed;
      this.#bulkLength = -1;
      this.#remaining--;
    }
    const args = this.#args;
    this.#args = [];
    this.#requestBytes = 0;
    return { type: 'command', args };
  }
}
