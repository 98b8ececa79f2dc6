/**
 * Which headers cross the edge: hop-by-hop ones (RFC 9110 7.6.1) stay behind,
 * the X-Forwarded-* set is added, everything else (traceparent included) passes
 * through untouched, in order and with its original case.
 */
import type { IncomingMessage } from 'node:http';
import type { Backend } from './types.js';

/** Headers that describe one connection, never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'te', 'trailer']);
/** Set by the edge itself; a client's own values are replaced (X-Forwarded-For is appended to instead). */
const EDGE_SET = new Set(['x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port']);
export const BACKEND_HEADER = 'x-cloudlab-backend';

/** Header names listed in Connection, which are hop-by-hop for this message only. */
function connectionTokens(message: IncomingMessage): Set<string> {
  const value = message.headers.connection;
  if (value === undefined) return new Set();
  return new Set(value.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean));
}

function isHopByHop(lower: string, listed: ReadonlySet<string>): boolean {
  return HOP_BY_HOP.has(lower) || lower.startsWith('proxy-') || listed.has(lower);
}

/** The client's address as an ALB writes it: IPv4-mapped IPv6 addresses in their IPv4 form. */
function clientAddress(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * The header list (flat [name, value, ...], as node:http takes it) sent to a backend.
 * For an upgrade the Connection and Upgrade headers are kept, since the backend must see them.
 */
export function forwardedRequestHeaders(req: IncomingMessage, backend: Backend, upgrade: boolean): string[] {
  const listed = connectionTokens(req);
  const out: string[] = [];
  const forwardedFor: string[] = [];
  let host = false;
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    const lower = name.toLowerCase();
    if (lower === 'x-forwarded-for') {
      forwardedFor.push(value);
      continue;
    }
    // Node answers "100 Continue" to the client itself, so the backend gets the body without asking.
    if (lower === 'expect' || EDGE_SET.has(lower)) continue;
    if (upgrade && lower === 'upgrade') {
      out.push(name, value);
      continue;
    }
    if (isHopByHop(lower, listed)) continue;
    if (lower === 'host') host = true;
    out.push(name, value);
  }
  if (!host) out.push('Host', `${backend.host}:${backend.port}`);
  forwardedFor.push(clientAddress(req));
  out.push('X-Forwarded-For', forwardedFor.join(', '));
  out.push('X-Forwarded-Proto', 'http');
  if (req.headers.host !== undefined) out.push('X-Forwarded-Host', req.headers.host);
  out.push('X-Forwarded-Port', String(req.socket.localPort ?? ''));
  if (upgrade) out.push('Connection', 'Upgrade');
  // node:http decoded a chunked body; send it on chunked again (Content-Length is kept as is).
  else if (req.headers['transfer-encoding'] !== undefined) out.push('Transfer-Encoding', 'chunked');
  return out;
}

/** The backend's response headers for the client, plus which backend answered. */
export function forwardedResponseHeaders(res: IncomingMessage, backendId: string, closing: boolean): string[] {
  const listed = connectionTokens(res);
  const out: string[] = [];
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (lower === BACKEND_HEADER || isHopByHop(lower, listed)) continue;
    out.push(name, raw[i + 1]!);
  }
  out.push(BACKEND_HEADER, backendId);
  if (closing) out.push('Connection', 'close');
  return out;
}
