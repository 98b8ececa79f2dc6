/**
 * The control API's two guards, as the .NET Aspire dashboard has them: a per-run
 * token (Authorization: Bearer, the `token` query parameter of the console link, or
 * the cookie that link sets) and a Host header check, so a web page on another
 * origin cannot reach the API through DNS rebinding.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'cloudlab_token';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The token the request carries, wherever it carries it. */
export function presentedToken(req: IncomingMessage, url: URL): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const query = url.searchParams.get('token');
  if (query) return query;
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return decodeURIComponent(rest.join('='));
  }
  return null;
}

export function tokenMatches(req: IncomingMessage, url: URL, token: string): boolean {
  const given = presentedToken(req, url);
  return given !== null && same(given, token);
}

/** True when the Host header names this machine's loopback (or the bind address) on our port. */
export function hostAllowed(hostHeader: string | undefined, bindHost: string, port: number): boolean {
  if (!hostHeader) return false;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostHeader.trim().toLowerCase());
  if (!m) return false;
  const name = m[1]!;
  const givenPort = m[2] === undefined ? 80 : Number(m[2]);
  if (givenPort !== port) return false;
  return ['127.0.0.1', 'localhost', '[::1]', bindHost.toLowerCase(), `[${bindHost.toLowerCase()}]`].includes(name);
}
