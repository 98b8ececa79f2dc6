/**
 * The CLIENT span of one Valkey/Redis call the menu cache makes, with the stable
 * database semantic conventions: named `{command} {database index}` (`GET 0`,
 * `MULTI 0`: the operation and its target, which for Redis is the namespace);
 * db.system.name `redis`, db.operation.name, db.namespace (the database index),
 * db.query.text (the command and its keys, never the values), server.address and
 * .port; ERROR with error.type when the call fails.
 *
 * A span is made only inside a sampled request, one whose recording span is active
 * (trace-context.ts): every other call goes straight to ioredis. The cafe makes these
 * spans itself rather than load @opentelemetry/instrumentation-ioredis, whose wrapper
 * around every command cost every request, sampled or not, a measurable share of a
 * cache hit.
 */
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { Attributes, Span } from '@opentelemetry/api';
import type { Redis } from 'ioredis';

const SCOPE = 'cafe-demo/valkey';

/**
 * `call` inside its own span when a sampled request is active; `call()` otherwise.
 * `queryText` is called only for a span, so an unsampled call builds no string.
 */
export function cacheCall<T>(redis: Redis, operation: string, queryText: () => string, call: () => Promise<T>): Promise<T> {
  const parent = trace.getSpan(context.active());
  if (parent === undefined || !parent.isRecording()) return call();
  return spannedCall(redis, operation, queryText, call);
}

/** The sampled path: `call` inside a CLIENT span, ended (as an error when it fails) when `call` settles. */
function spannedCall<T>(redis: Redis, operation: string, queryText: () => string, call: () => Promise<T>): Promise<T> {
  const attributes = callAttributes(redis, operation, queryText());
  const span = trace.getTracer(SCOPE).startSpan(`${operation} ${String(attributes['db.namespace'])}`, { kind: SpanKind.CLIENT, attributes });
  let pending: Promise<T>;
  try {
    pending = call();
  } catch (err) {
    endFailed(span, err);
    throw err;
  }
  return pending.then(
    (value) => {
      span.end();
      return value;
    },
    (err: unknown) => {
      endFailed(span, err);
      throw err;
    },
  );
}

function callAttributes(redis: Redis, operation: string, queryText: string): Attributes {
  const { host, port, db, path } = redis.options;
  const attributes: Attributes = {
    'db.system.name': 'redis',
    'db.operation.name': operation,
    'db.namespace': String(db ?? 0),
    'db.query.text': queryText,
  };
  if (path !== undefined && path !== null && path !== '') {
    attributes['server.address'] = path;
  } else {
    if (host !== undefined) attributes['server.address'] = host;
    if (port !== undefined) attributes['server.port'] = port;
  }
  return attributes;
}

function endFailed(span: Span, err: unknown): void {
  const error = err instanceof Error ? err : new Error(String(err));
  span.setAttribute('error.type', error.name);
  span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  span.end();
}
