import { STATUS_CODES } from 'node:http';
import { num, str } from './attributes.js';
import { HttpRequestSplitter } from './http-splitter.js';
import type { HttpRequestInfo } from './http-splitter.js';
import { MATCH_ATTRIBUTES, requestMatches } from './http-match.js';
import type { ToxicDefinition } from './definition.js';

function errorResponse(status: number, body: string, close: boolean): Buffer {
  const payload = Buffer.from(body === '' ? `${status} ${STATUS_CODES[status] ?? 'Error'} (injected by cloudlab http_error toxic)\n` : body);
  const head =
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
    `content-type: ${body.startsWith('{') ? 'application/json' : 'text/plain; charset=utf-8'}\r\n` +
    `content-length: ${payload.length}\r\n` +
    `x-cloudlab-toxic: http_error\r\n` +
    (close ? 'connection: close\r\n' : '') +
    '\r\n';
  return Buffer.concat([Buffer.from(head, 'latin1'), payload]);
}

/**
 * Answers matching requests itself with `status_code`, never reaching the upstream.
 * The answer is sent once the whole request has arrived; requests that do not match
 * pass untouched. Assumes a client that waits for each response before sending the
 * next request on the connection (undici, Node's http.Agent and browsers do).
 */
export const httpError: ToxicDefinition = {
  type: 'http_error',
  description: 'Answers matching HTTP requests with status_code without reaching the upstream.',
  extension: true,
  streams: ['upstream'],
  activatesPerRequest: true,
  attributes: {
    status_code: { kind: 'integer', default: 503, min: 100, max: 599 },
    body: { kind: 'string', default: '' },
    ...MATCH_ATTRIBUTES,
  },
  createStage(attrs, ctx) {
    const splitter = new HttpRequestSplitter();
    const failing = new WeakSet<HttpRequestInfo>();
    return {
      async push(chunk, emit) {
        if (ctx.signal.aborted) return emit(chunk);
        for (const segment of splitter.split(chunk.data)) {
          const request = segment.request;
          if (request && segment.first && requestMatches(attrs(), request, ctx.random)) {
            failing.add(request);
            ctx.activated();
          }
          if (request && failing.has(request)) {
            if (segment.last) {
              const a = attrs();
              ctx.connection.respond(errorResponse(num(a, 'status_code'), str(a, 'body'), request.close), request.close);
            }
            continue;
          }
          await emit({ data: segment.data, at: chunk.at });
        }
      },
      dispose() {},
    };
  },
};
