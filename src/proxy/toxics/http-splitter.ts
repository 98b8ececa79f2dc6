/**
 * Cuts an HTTP/1.1 request stream (client to server) into requests without
 * buffering bodies: each piece of the stream is tagged with the request it belongs
 * to. Anything that is not plain HTTP/1.1 (a bad request line, an upgrade, CONNECT,
 * a head over 64 KiB) turns the splitter into a pass-through for the rest of the
 * connection, so a proxy never breaks traffic it does not understand.
 */

export interface HttpRequestInfo {
  method: string;
  path: string;
  /** Set when the request carried `Connection: close`. */
  close: boolean;
}

export interface Segment {
  data: Buffer;
  /** The request this piece belongs to; undefined in pass-through mode. */
  request: HttpRequestInfo | undefined;
  /** True on the piece that carries the request's head. */
  first: boolean;
  /** True on the piece that completes the request. */
  last: boolean;
}

const MAX_HEAD = 64 * 1024;
const HEAD_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');

type State =
  | { kind: 'head' }
  | { kind: 'body'; left: number }
  | { kind: 'chunk-size' }
  | { kind: 'chunk-data'; left: number }
  | { kind: 'trailers' }
  | { kind: 'pass' };

export class HttpRequestSplitter {
  #state: State = { kind: 'head' };
  #pending: Buffer = Buffer.alloc(0);
  #request: HttpRequestInfo | undefined;
  #first = false;

  /** Splits `data`; head bytes are held until the head is complete. */
  split(data: Buffer): Segment[] {
    const out: Segment[] = [];
    let buf = this.#pending.length > 0 ? Buffer.concat([this.#pending, data]) : data;
    this.#pending = Buffer.alloc(0);
    let start = 0; // where the current request's unsent bytes begin in buf
    let pos = 0;
    const flush = (last: boolean): void => {
      if (pos > start) out.push({ data: buf.subarray(start, pos), request: this.#request, first: this.#first, last });
      this.#first = false;
      start = pos;
    };
    while (pos < buf.length) {
      const state = this.#state;
      if (state.kind === 'pass') {
        pos = buf.length;
        break;
      }
      if (state.kind === 'head') {
        const end = buf.indexOf(HEAD_END, pos);
        if (end < 0) {
          if (buf.length - pos > MAX_HEAD) {
            this.#toPass();
            continue;
          }
          this.#pending = Buffer.from(buf.subarray(pos));
          buf = buf.subarray(0, pos);
          break;
        }
        const head = this.#parseHead(buf.toString('latin1', pos, end));
        pos = end + HEAD_END.length;
        if (!head || head.body === 'pass') {
          this.#toPass();
          continue;
        }
        this.#request = head.info;
        this.#first = true;
        if (head.body === 'chunked') this.#state = { kind: 'chunk-size' };
        else if (head.body > 0) this.#state = { kind: 'body', left: head.body };
        else {
          flush(true);
          this.#state = { kind: 'head' };
        }
        continue;
      }
      if (state.kind === 'body' || state.kind === 'chunk-data') {
        const take = Math.min(state.left, buf.length - pos);
        pos += take;
        state.left -= take;
        if (state.left === 0) {
          if (state.kind === 'body') {
            flush(true);
            this.#state = { kind: 'head' };
          } else {
            this.#state = { kind: 'chunk-size' };
          }
        }
        continue;
      }
      // chunk-size or trailers: line oriented
      const eol = buf.indexOf(CRLF, pos);
      if (eol < 0) {
        if (buf.length - pos > MAX_HEAD) {
          this.#toPass();
          continue;
        }
        flush(false);
        this.#pending = Buffer.from(buf.subarray(pos));
        buf = buf.subarray(0, pos);
        break;
      }
      const line = buf.toString('latin1', pos, eol);
      pos = eol + CRLF.length;
      if (state.kind === 'trailers') {
        if (line === '') {
          flush(true);
          this.#state = { kind: 'head' };
        }
        continue;
      }
      const size = Number.parseInt(line.split(';', 1)[0]?.trim() ?? '', 16);
      if (!Number.isFinite(size) || size < 0) {
        this.#toPass();
        continue;
      }
      // A chunk's data is followed by CRLF; the last chunk (0) by trailers.
      this.#state = size === 0 ? { kind: 'trailers' } : { kind: 'chunk-data', left: size + 2 };
    }
    if (this.#state.kind === 'pass' && pos < buf.length) pos = buf.length;
    flush(false);
    return out;
  }

  #toPass(): void {
    this.#state = { kind: 'pass' };
    this.#request = undefined;
  }

  #parseHead(text: string): { info: HttpRequestInfo; body: number | 'chunked' | 'pass' } | undefined {
    const lines = text.split('\r\n');
    const match = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(lines[0] ?? '');
    if (!match) return undefined;
    const method = match[1] ?? '';
    const target = match[2] ?? '/';
    let length = 0;
    let chunked = false;
    let upgrade = false;
    let close = false;
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) return undefined;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim().toLowerCase();
      if (name === 'content-length') {
        if (!/^\d+$/.test(value)) return undefined;
        length = Number(value);
      } else if (name === 'transfer-encoding') chunked = value.split(',').some((v) => v.trim() === 'chunked');
      else if (name === 'upgrade') upgrade = true;
      else if (name === 'connection') close = value.split(',').some((v) => v.trim() === 'close');
    }
    const path = target.startsWith('/') ? target : safePath(target);
    const info = { method, path, close };
    if (method === 'CONNECT' || upgrade) return { info, body: 'pass' };
    return { info, body: chunked ? 'chunked' : length };
  }
}

function safePath(target: string): string {
  try {
    const url = new URL(target);
    return url.pathname + url.search;
  } catch {
    return target;
  }
}
