/**
 * Carrying a request's trace context by hand (the services' context manager,
 * sync-context.ts, does not follow awaits). Two rules:
 *
 * - Route handlers start each call that makes spans (Postgres, Valkey) inside
 *   `traced(request, () => call())`. The request's context is entered only when its
 *   trace is sampled, so an unsampled request makes no client spans at all: the pg
 *   instrumentation runs with `requireParentSpan`, and the cache's spans
 *   (cafe/cache-span.ts) are made only under a recording span; both find none. Log lines
 *   written inside `traced` carry the trace's ids, which link to a trace that exists.
 * - A function that awaits and then calls again takes the context active when it
 *   started, `const resume = carryContext()`, and makes each later call inside
 *   `resume(() => call())` (cache.ts, db.ts).
 *
 * The payments call propagates the request's full context, sampled or not
 * (payments-client.ts), so payments follows the cafe's decision either way.
 */
import { context } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import type { FastifyRequest } from 'fastify';

/** Runs `fn` with the request's trace context active when its trace is sampled; as it is otherwise. */
export function traced<T>(request: FastifyRequest, fn: () => T): T {
  const { serverSpan, traceContext } = request;
  if (traceContext === undefined || serverSpan?.isRecording() !== true) return fn();
  return context.with(traceContext, fn);
}

/** Captures the active context, to re-enter it after an await. */
export function carryContext(): <T>(fn: () => T) => T {
  const captured: Context = context.active();
  return (fn) => context.with(captured, fn);
}
