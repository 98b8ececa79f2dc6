/**
 * The bytes of an HTTP/1.1 request for the http1 transport: request line, a Host
 * header, the task's headers, Content-Length and the body, in one Buffer (encoded
 * once per task when the task has no template). Checks what undici checks, so a
 * path or header that would split the request is refused, not sent.
 */
import type { RenderedRequest } from './request.js';

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Bytes undici refuses in a path (a space or a control byte would end the request line). */
const BAD_PATH = /[^\u0021-\u00ff]/;
/** Bytes undici refuses in a header value (CR and LF would start a new header). */
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
/** Methods that carry a body: sent with content-length: 0 when the task has none, as undici does. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** The request's bytes; throws an Error naming the bad part (the shard counts it as `other`). */
export function encodeRequest(method: string, hostHeader: string, request: RenderedRequest): Buffer {
  if (!TOKEN.test(method)) throw new Error(`method must be an HTTP token such as GET, received ${JSON.stringify(method)}`);
  const { path, headers, body } = request;
  if (path === '' || BAD_PATH.test(path)) throw new Error(`path must be non-empty printable characters without spaces, received ${JSON.stringify(path)}`);
  let host = hostHeader;
  let lines = '';
  for (const name of Object.keys(headers)) {
    const value = headers[name] ?? '';
    if (!TOKEN.test(name)) throw new Error(`header name must be an HTTP token, received ${JSON.stringify(name)}`);
    if (BAD_VALUE.test(value)) throw new Error(`header ${name} must hold no control characters (CR, LF, NUL), received ${JSON.stringify(value)}`);
    const lower = name.toLowerCase();
    if (lower === 'host') host = value;
    else if (lower === 'transfer-encoding') throw new Error('header transfer-encoding cannot be set: the body is sent with a Content-Length');
    else if (lower !== 'content-length') lines += `${name}: ${value}\r\n`;
  }
  const bodyBytes = body === undefined ? 0 : Buffer.byteLength(body, 'utf8');
  if (body !== undefined || BODY_METHODS.has(method)) lines += `content-length: ${bodyBytes}\r\n`;
  const head = `${method} ${path} HTTP/1.1\r\nhost: ${host}\r\n${lines}\r\n`;
  const out = Buffer.allocUnsafe(head.length + bodyBytes);
  out.write(head, 0, 'latin1');
  if (body !== undefined) out.write(body, head.length, 'utf8');
  return out;
}
