/**
 * The head of an HTTP/1.x answer for the http1 parser: the status line and the headers
 * that frame the body (Content-Length, Transfer-Encoding) or decide the connection's
 * reuse (Connection, Keep-Alive), read from the bytes without decoding the rest.
 */

const CR = 13;
const LF = 10;

/** What a head says; filled in place (one per parser, no allocation per answer). */
export interface Head {
  status: number;
  /** HTTP/1.1 without Connection: close, or HTTP/1.0 with Connection: keep-alive. */
  keepAlive: boolean;
  /** Content-Length, or -1. */
  length: number;
  /** A Transfer-Encoding header is present; `chunked` when chunked is its last coding. */
  encoded: boolean;
  chunked: boolean;
  /** The Keep-Alive timeout hint in seconds (read only while it is -1). */
  keepAliveHintS: number;
}

export function lowerEquals(buf: Buffer, start: number, end: number, lower: string): boolean {
  if (end - start !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    if ((buf[start + i]! | 0x20) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

export function isOws(byte: number): boolean {
  return byte === 32 || byte === 9;
}

/** Parses the status line and headers in `buf[start, end)` (end after the last header's CRLF) into `head`; returns why it is malformed, or ''. */
export function parseHead(buf: Buffer, start: number, end: number, head: Head): string {
  // "HTTP/1.x NNN" then a space or the end of the line.
  if (end - start < 14 || !lowerEquals(buf, start, start + 7, 'http/1.')) return 'an answer that is not HTTP/1.x';
  const minor = buf[start + 7]! - 48;
  const d0 = buf[start + 9]! - 48;
  const d1 = buf[start + 10]! - 48;
  const d2 = buf[start + 11]! - 48;
  const after = buf[start + 12]!;
  if ((minor !== 0 && minor !== 1) || buf[start + 8] !== 32 || d0 < 1 || d0 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9 || (after !== 32 && after !== CR)) {
    return `a malformed status line "${buf.toString('latin1', start, Math.min(end, start + 40)).split('\r')[0] ?? ''}"`;
  }
  head.status = d0 * 100 + d1 * 10 + d2;
  head.keepAlive = minor === 1;
  head.length = -1;
  head.encoded = false;
  head.chunked = false;
  let line = buf.indexOf(LF, start) + 1;
  while (line < end) {
    const lineEnd = buf.indexOf(LF, line);
    if (lineEnd < 0 || lineEnd > end || buf[lineEnd - 1] !== CR) return 'a header line not ended by CRLF';
    const colon = buf.indexOf(58, line);
    if (colon < 0 || colon > lineEnd || colon === line) return 'a header line without a name and a colon';
    let valueStart = colon + 1;
    let valueEnd = lineEnd - 1;
    while (valueStart < valueEnd && isOws(buf[valueStart]!)) valueStart++;
    while (valueEnd > valueStart && isOws(buf[valueEnd - 1]!)) valueEnd--;
    const nameLength = colon - line;
    if (nameLength === 14 && lowerEquals(buf, line, colon, 'content-length')) {
      let n = 0;
      if (valueEnd === valueStart || valueEnd - valueStart > 15) return 'a Content-Length that is not a number';
      for (let i = valueStart; i < valueEnd; i++) {
        const digit = buf[i]! - 48;
        if (digit < 0 || digit > 9) return 'a Content-Length that is not a number';
        n = n * 10 + digit;
      }
      if (head.length >= 0 && head.length !== n) return 'two different Content-Length headers';
      head.length = n;
    } else if (nameLength === 17 && lowerEquals(buf, line, colon, 'transfer-encoding')) {
      head.encoded = true;
      const codings = buf.toString('latin1', valueStart, valueEnd).toLowerCase().split(',');
      head.chunked = codings[codings.length - 1]?.trim() === 'chunked';
    } else if (nameLength === 10 && lowerEquals(buf, line, colon, 'connection')) {
      if (lowerEquals(buf, valueStart, valueEnd, 'keep-alive')) head.keepAlive = true;
      else if (lowerEquals(buf, valueStart, valueEnd, 'close')) head.keepAlive = false;
      else {
        const tokens = buf.toString('latin1', valueStart, valueEnd).toLowerCase().split(',').map((t) => t.trim());
        if (tokens.includes('close')) head.keepAlive = false;
        else if (tokens.includes('keep-alive')) head.keepAlive = true;
      }
    } else if (nameLength === 10 && head.keepAliveHintS < 0 && lowerEquals(buf, line, colon, 'keep-alive')) {
      const m = /timeout=(\d+)/i.exec(buf.toString('latin1', valueStart, valueEnd));
      if (m) head.keepAliveHintS = Number(m[1]);
    }
    line = lineEnd + 1;
  }
  return '';
}
