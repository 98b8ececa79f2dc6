/**
 * The CLIENT span of one HTTP call to another service, with the stable HTTP client
 * semantic conventions (name = method; method, url.full, server.address and .port,
 * http.request.resend_count, http.response.status_code, error.type; ERROR status from
 * 400 up or when the call failed), and the headers that carry its context.
 */
import { SpanKind, SpanStatusCode, propagation, trace } from '@opentelemetry/api';
import type { Context, Span } from '@opentelemetry/api';

const SCOPE = 'cafe-demo/http-client';

export interface ClientSpan {
  span: Span;
  /** W3C `traceparent` (and baggage) for the call, made from the span: sampled or not, as its parent was. */
  headers: Record<string, string>;
}

/** `attempt`: 0 for the first try, n for the n-th retry. */
export function startClientSpan(method: string, url: URL, parent: Context, attempt: number): ClientSpan {
  const span = trace.getTracer(SCOPE).startSpan(method, { kind: SpanKind.CLIENT }, parent);
  if (span.isRecording()) {
    span.setAttributes({
      'http.request.method': method,
      'url.full': url.href,
      'server.address': url.hostname,
      'server.port': url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port),
    });
    if (attempt > 0) span.setAttribute('http.request.resend_count', attempt);
  }
  const headers: Record<string, string> = {};
  propagation.inject(trace.setSpan(parent, span), headers);
  return { span, headers };
}

export function recordStatus(span: Span, status: number): void {
  if (!span.isRecording()) return;
  span.setAttribute('http.response.status_code', status);
  if (status >= 400) {
    span.setAttribute('error.type', String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
}

/** Ends the span; a thrown error marks it failed (error.type: the error's name). */
export function endClientSpan(span: Span, err?: unknown): void {
  if (err !== undefined && span.isRecording()) {
    const error = err instanceof Error ? err : new Error(typeof err === 'string' ? err : 'the call failed');
    span.setAttribute('error.type', error.name);
    span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  }
  span.end();
}
