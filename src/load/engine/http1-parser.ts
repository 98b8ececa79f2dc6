/**
 * A small HTTP/1.1 response parser for the http1 transport: status line, headers,
 * Content-Length, chunked transfer coding (extensions and trailers skipped), bodies
 * read until close, 1xx interim responses skipped, no body for HEAD, 204 and 304.
 * It reads the bytes of one response at a time; anything it does not understand
 * is an error (the transport counts it as `other`), never a wait for more bytes.
 */
import { isOws, parseHead } from './http1-head.js';
import type { Head } from './http1-head.js';

/** Most bytes of a head (status line and headers) or of a trailer section, as undici's and Node's maxHeaderSize. */
export const MAX_HEAD_BYTES = 16 * 1024;
/** Most bytes of one chunk-size line (with its extensions). */
const MAX_CHUNK_LINE_BYTES = 4096;

const CR = 13;
const LF = 10;
const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');
const BARE_END = Buffer.from('\n\n', 'latin1');

const enum State { Head, Length, UntilClose, ChunkSize, ChunkExt, ChunkSizeLf, ChunkData, ChunkDataCr, ChunkDataLf, TrailerStart, Trailer, TrailerLf, FinalLf, Done, Failed }

export const enum Feed { More, Done, Failed }

function hexValue(byte: number): number {
  if (byte >= 48 && byte <= 57) return byte - 48;
  const lower = byte | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

export class ResponseParser {
  status = 0;
  /** False when the connection cannot carry another request (Connection: close, HTTP/1.0, body until close). */
  keepAlive = true;
  /** The server's Keep-Alive timeout hint in seconds, or -1. */
  keepAliveHintS = -1;
  /** Why the parse failed. */
  error = '';
  /** Bytes after the end of the response in the last chunk fed (a server that sent more than it was asked). */
  trailing = 0;
  #state = State.Done;
  #noBody = false;
  #head: Buffer | null = null;
  #remaining = 0;
  #lineBytes = 0;
  #sizeDigits = 0;
  #bodyCap = 0;
  #bodyKept = 0;
  #body: Buffer[] = [];
  readonly #parsed: Head = { status: 0, keepAlive: true, length: -1, encoded: false, chunked: false, keepAliveHintS: -1 };

  /** Expects the response to a request: `head` true for HEAD; keeps at most `bodyCap` bytes of the body. */
  reset(head: boolean, bodyCap: number): void {
    this.status = 0;
    this.keepAlive = true;
    this.error = '';
    this.trailing = 0;
    this.#state = State.Head;
    this.#noBody = head;
    this.#head = null;
    this.#bodyCap = bodyCap;
    this.#bodyKept = 0;
    if (this.#body.length > 0) this.#body = [];
  }

  /** True while a response is being read (not done, not failed). */
  get reading(): boolean {
    return this.#state !== State.Done && this.#state !== State.Failed;
  }

  /** True when the body runs until the connection closes. */
  get untilClose(): boolean {
    return this.#state === State.UntilClose;
  }

  /** The kept body, decoded as UTF-8 (empty unless a bodyCap was given). */
  body(): string {
    if (this.#body.length === 0) return '';
    return (this.#body.length === 1 ? this.#body[0]! : Buffer.concat(this.#body)).toString('utf8');
  }

  /** The connection ended: a body read until close is complete; anything else is cut short. */
  end(): Feed {
    if (this.#state === State.UntilClose) {
      this.#state = State.Done;
      return Feed.Done;
    }
    return this.#fail(this.#state === State.Head && this.#head === null ? 'the connection closed before any answer' : 'the connection closed in the middle of the answer');
  }

  /** Reads `buf[start, end)`; the bytes are not kept after the call (a copy is taken where needed). */
  feed(buf: Buffer, start: number, end: number): Feed {
    let pos = start;
    while (pos < end) {
      switch (this.#state) {
        case State.Head: {
          const at = this.#readHead(buf, pos, end);
          if (at < 0) return this.#stateNow() === State.Failed ? Feed.Failed : Feed.More;
          pos = at;
          if (this.#stateNow() === State.Done) return this.#finish(end - pos);
          break;
        }
        case State.Length: {
          const n = Math.min(this.#remaining, end - pos);
          this.#keep(buf, pos, pos + n);
          pos += n;
          this.#remaining -= n;
          if (this.#remaining === 0) return this.#finish(end - pos);
          break;
        }
        case State.UntilClose:
          this.#keep(buf, pos, end);
          return Feed.More;
        case State.ChunkData: {
          const n = Math.min(this.#remaining, end - pos);
          this.#keep(buf, pos, pos + n);
          pos += n;
          this.#remaining -= n;
          if (this.#remaining === 0) this.#state = State.ChunkDataCr;
          break;
        }
        default: {
          const result = this.#framing(buf[pos++]!);
          if (result === Feed.Failed) return result;
          if (this.#state === State.Done) return this.#finish(end - pos);
        }
      }
    }
    if (this.#state === State.Done) return this.#finish(0);
    return Feed.More;
  }

  /** The state, re-read after a call that may change it (TypeScript keeps the narrowed one). */
  #stateNow(): State {
    return this.#state;
  }

  #finish(trailing: number): Feed {
    this.trailing = trailing;
    return Feed.Done;
  }

  #fail(why: string): Feed {
    this.#state = State.Failed;
    this.error = why;
    this.keepAlive = false;
    return Feed.Failed;
  }

  #keep(buf: Buffer, start: number, end: number): void {
    if (this.#bodyKept >= this.#bodyCap || end <= start) return;
    const n = Math.min(end - start, this.#bodyCap - this.#bodyKept);
    this.#body.push(Buffer.from(buf.subarray(start, start + n)));
    this.#bodyKept += n;
  }

  /** The chunked framing, one byte at a time (sizes, extensions, CRLFs, trailers). */
  #framing(byte: number): Feed {
    switch (this.#state) {
      case State.ChunkSize: {
        const digit = hexValue(byte);
        if (digit >= 0) {
          if (++this.#sizeDigits > 12) return this.#fail('a chunk size longer than 12 hex digits');
          this.#remaining = this.#remaining * 16 + digit;
          return Feed.More;
        }
        if (this.#sizeDigits === 0) return this.#fail(`a chunk size that is not hexadecimal (byte ${byte})`);
        if (byte === CR) this.#state = State.ChunkSizeLf;
        else if (byte === 59 /* ; */ || isOws(byte)) this.#state = State.ChunkExt;
        else return this.#fail(`an unexpected byte ${byte} after a chunk size`);
        return Feed.More;
      }
      case State.ChunkExt:
        if (++this.#lineBytes > MAX_CHUNK_LINE_BYTES) return this.#fail(`a chunk-size line longer than ${MAX_CHUNK_LINE_BYTES} bytes`);
        if (byte === CR) this.#state = State.ChunkSizeLf;
        else if (byte === LF) return this.#fail('a bare LF in a chunk-size line');
        return Feed.More;
      case State.ChunkSizeLf:
        if (byte !== LF) return this.#fail('a chunk-size line not ended by CRLF');
        if (this.#remaining === 0) {
          this.#state = State.TrailerStart;
          this.#lineBytes = 0;
        } else this.#state = State.ChunkData;
        return Feed.More;
      case State.ChunkDataCr:
        if (byte !== CR) return this.#fail('chunk data longer than its size');
        this.#state = State.ChunkDataLf;
        return Feed.More;
      case State.ChunkDataLf:
        if (byte !== LF) return this.#fail('chunk data not ended by CRLF');
        this.#startChunk();
        return Feed.More;
      case State.TrailerStart:
        if (byte === CR) this.#state = State.FinalLf;
        else if (byte === LF) return this.#fail('a bare LF in the trailers');
        else this.#state = State.Trailer;
        return this.#countTrailer();
      case State.Trailer:
        if (byte === CR) this.#state = State.TrailerLf;
        else if (byte === LF) return this.#fail('a bare LF in the trailers');
        return this.#countTrailer();
      case State.TrailerLf:
        if (byte !== LF) return this.#fail('a trailer line not ended by CRLF');
        this.#state = State.TrailerStart;
        return this.#countTrailer();
      case State.FinalLf:
        if (byte !== LF) return this.#fail('the chunked body not ended by CRLF');
        this.#state = State.Done;
        return Feed.Done;
      default:
        return this.#fail('bytes after the end of the answer');
    }
  }

  #countTrailer(): Feed {
    return ++this.#lineBytes > MAX_HEAD_BYTES ? this.#fail(`trailers longer than ${MAX_HEAD_BYTES} bytes`) : Feed.More;
  }

  #startChunk(): void {
    this.#state = State.ChunkSize;
    this.#remaining = 0;
    this.#sizeDigits = 0;
    this.#lineBytes = 0;
  }

  /** Collects the head; returns the position after it (state set for the body), or -1 for more bytes or a failure. */
  #readHead(buf: Buffer, pos: number, end: number): number {
    let head: Buffer;
    let headStart: number;
    let at: number;
    if (this.#head === null) {
      at = buf.indexOf(HEAD_END, pos);
      if (at < 0 || at + 4 > end) {
        if (end - pos > MAX_HEAD_BYTES) return this.#failHead();
        const bare = buf.indexOf(BARE_END, pos);
        if (bare >= 0 && bare + 2 <= end) return this.#failBareLf();
        this.#head = Buffer.from(buf.subarray(pos, end));
        return -1;
      }
      head = buf;
      headStart = pos;
    } else {
      const before = this.#head.length;
      this.#head = Buffer.concat([this.#head, buf.subarray(pos, end)]);
      at = this.#head.indexOf(HEAD_END, Math.max(0, before - 3));
      if (at < 0) {
        if (this.#head.indexOf(BARE_END, Math.max(0, before - 1)) >= 0) return this.#failBareLf();
        return this.#head.length > MAX_HEAD_BYTES ? this.#failHead() : -1;
      }
      head = this.#head;
      headStart = 0;
    }
    if (at - headStart > MAX_HEAD_BYTES) return this.#failHead();
    // Bytes of `buf` used by the head: all but what followed the head end in the joined copy.
    const next = head === buf ? at + 4 : end - (head.length - (at + 4));
    this.#head = null;
    if (!this.#parseHead(head, headStart, at + 2)) return -1;
    return next;
  }

  /** A head ended by LF LF instead of CRLF CRLF: refused (as Node's strict parser does), not waited on. */
  #failBareLf(): number {
    this.#fail('a head ended by bare LFs instead of CRLFs');
    return -1;
  }

  #failHead(): number {
    this.#fail(`a head longer than ${MAX_HEAD_BYTES} bytes`);
    return -1;
  }

  /** Parses the head in `buf[start, end)` and sets the state for the body. */
  #parseHead(buf: Buffer, start: number, end: number): boolean {
    const head = this.#parsed;
    const why = parseHead(buf, start, end, head);
    if (why !== '') return this.#failBool(why);
    this.keepAliveHintS = head.keepAliveHintS;
    if (head.status < 200) {
      if (head.status === 101) return this.#failBool('a 101 Switching Protocols answer to a request that asked for no upgrade');
      // An interim answer (100 Continue, 103 Early Hints): the real one follows.
      this.#state = State.Head;
      return true;
    }
    this.status = head.status;
    this.keepAlive = head.keepAlive;
    if (this.#noBody || head.status === 204 || head.status === 304) this.#state = State.Done;
    else if (head.encoded) {
      if (head.chunked) this.#startChunk();
      else this.#state = State.UntilClose;
      // A Transfer-Encoding beside a Content-Length: the length is ignored, the connection not reused.
      if (head.length >= 0) this.keepAlive = false;
    } else if (head.length >= 0) {
      this.#remaining = head.length;
      this.#state = head.length === 0 ? State.Done : State.Length;
    } else this.#state = State.UntilClose;
    if (this.#state === State.UntilClose) this.keepAlive = false;
    return true;
  }

  #failBool(why: string): boolean {
    this.#fail(why);
    return false;
  }
}
