/**
 * What a failed attempt means: take the backend out of rotation (passive health
 * check), and either retry once on another healthy backend, when that cannot do a
 * request twice, or answer the error the client gets.
 *
 * - Connection never opened: nothing was sent, so any request is retried.
 * - Opened, then reset before a response byte: retried for an idempotent method
 *   without a body; anything else may have been acted on, so 502.
 * - Silent for requestTimeoutMs: 504, never retried (the backend may still be working).
 * A reset on a reused keep-alive connection does not take the backend out: the backend
 * may only have closed an idle connection as the request went out.
 */
import { LabError } from '../errors.js';
import type { AttemptOutcome } from './attempt.js';
import { IDEMPOTENT_METHODS, describeBackend } from './context.js';
import type { EdgeContext } from './context.js';
import type { BackendState } from './pool.js';

export type Failure = Extract<AttemptOutcome, { kind: 'connect-failed' | 'failed' | 'timeout' }>;

export type FailureDecision = { kind: 'retry'; next: BackendState } | { kind: 'answer'; error: LabError };

export interface RequestShape {
  method: string;
  hasBody: boolean;
  /** Backend ids already tried for this request. */
  tried: Set<string>;
  /** "cafe-1 could not be reached (...)" for each failed try, for the final message. */
  history: string[];
}

export function decideAfterFailure(ctx: EdgeContext, state: BackendState, failure: Failure, request: RequestShape): FailureDecision {
  const service = ctx.options.name;
  const who = describeBackend(service, state);
  state.failures++;
  if (failure.kind === 'timeout') {
    return {
      kind: 'answer',
      error: new LabError(
        'LAB_EDGE_TIMEOUT',
        `${who} sent nothing for ${ctx.options.requestTimeoutMs} ms (requestTimeoutMs); not retried, since the replica may still be working on it`,
      ),
    };
  }
  let what: string;
  if (failure.kind === 'connect-failed') {
    what = `could not be reached (${failure.detail})`;
    ctx.pool.takeOut(state, 'request-failed', `connection failed: ${failure.detail}`);
  } else {
    what = `closed the connection before answering (${failure.detail})`;
    if (!failure.reused) ctx.pool.takeOut(state, 'request-failed', `connection closed before a response: ${failure.detail}`);
  }
  const replayable = failure.kind === 'connect-failed' || (IDEMPOTENT_METHODS.has(request.method) && !request.hasBody);
  let why: string;
  if (!replayable) {
    why = `${request.method}${request.hasBody ? ' with a body' : ''} is not retried once sent, since the replica may have acted on it`;
  } else if (request.history.length > 0) {
    why = `the request was already retried once, after ${request.history.join('; ')}`;
  } else {
    const next = ctx.pool.pick(request.tried);
    if (next) {
      request.history.push(`${state.backend.id} ${what}`);
      ctx.metrics.retries++;
      return { kind: 'retry', next };
    }
    why = 'no other healthy replica was left to retry on';
  }
  return { kind: 'answer', error: new LabError('LAB_EDGE_BAD_GATEWAY', `${who} ${what}; ${why}`) };
}
