/**
 * The call to the payments service: each attempt has a timeout, failed attempts
 * are retried with jittered exponential backoff, and a circuit breaker stops
 * calling after consecutive failures (cockatiel). The charge's idempotency key is
 * derived from the order, so retries, replays and concurrent duplicates can never
 * charge twice.
 *
 * Each attempt is a CLIENT span (the stable HTTP client conventions) made here, and
 * the request carries its W3C `traceparent`, made from the caller's context whether
 * that trace is sampled or not: payments then follows the cafe's sampling decision.
 * The services carry trace context by hand (shared/trace-context.ts), and fetch
 * starts its request a few awaits after the call, so an instrumentation reading the
 * active context there would see none.
 */
import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  wrap,
} from 'cockatiel';
import { context as otelContext } from '@opentelemetry/api';
import type { Context, Meter } from '@opentelemetry/api';
import { HttpError, unavailable } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { endClientSpan, recordStatus, startClientSpan } from './client-span.js';

export interface ChargeRequest {
  orderId: number;
  amountCents: number;
  idempotencyKey: string;
}

export interface Charge {
  id: string;
  orderId: number;
  amountCents: number;
  status: string;
}

export type BreakerState = 'closed' | 'half-open' | 'open';

/** A failed attempt worth retrying (and counting against the circuit). */
class PaymentsAttemptError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PaymentsAttemptError';
  }
}

export interface PaymentsClientOptions {
  baseUrl: string;
  timeoutMs: number;
  retries: number;
  failureThreshold: number;
  halfOpenAfterMs: number;
  logger: Logger;
  meter: Meter;
}

const STATE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

function toBreakerState(state: CircuitState): BreakerState {
  if (state === CircuitState.Closed) return 'closed';
  if (state === CircuitState.HalfOpen) return 'half-open';
  return 'open';
}

export class PaymentsClient {
  readonly #options: PaymentsClientOptions;
  readonly #breaker;
  readonly #policy;
  readonly #chargesUrl: URL;

  constructor(options: PaymentsClientOptions) {
    this.#options = options;
    this.#chargesUrl = new URL('/charges', options.baseUrl);
    const transient = handleWhen((err) => err instanceof PaymentsAttemptError || err instanceof TaskCancelledError);
    this.#breaker = circuitBreaker(transient, { halfOpenAfter: options.halfOpenAfterMs, breaker: new ConsecutiveBreaker(options.failureThreshold) });
    const retries = retry(transient, {
      maxAttempts: options.retries,
      backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 1000 }), // decorrelated jitter
    });
    this.#policy = wrap(retries, this.#breaker, timeout(options.timeoutMs, TimeoutStrategy.Aggressive));

    this.#breaker.onStateChange((state) => options.logger.warn(`payments circuit breaker: ${toBreakerState(state)}`));
    const attempts = options.meter.createCounter('cafe.payments.attempts', { description: 'Calls to the payments service, by outcome.' });
    retries.onRetry(() => attempts.add(1, { outcome: 'retry' }));
    options.meter
      .createObservableGauge('cafe.circuit_breaker.state', { description: 'The payments circuit breaker: 0 closed, 1 half-open, 2 open.' })
      .addCallback((result) => result.observe(STATE_VALUE[this.state], { dependency: 'payments' }));
  }

  get state(): BreakerState {
    return toBreakerState(this.#breaker.state);
  }

  /** `parent`: the trace context of the request being charged for (its server span's). */
  async charge(request: ChargeRequest, parent: Context = otelContext.active()): Promise<Charge> {
    try {
      return await this.#policy.execute(({ signal, attempt }) => this.#attempt(request, signal, parent, attempt));
    } catch (err) {
      if (err instanceof HttpError) throw err;
      const retryAfterS = Math.max(1, Math.ceil(this.#options.halfOpenAfterMs / 1000));
      if (err instanceof BrokenCircuitError) {
        throw unavailable('PAYMENTS_CIRCUIT_OPEN', 'payments is failing and its circuit breaker is open; retry later', retryAfterS, err);
      }
      const reason = err instanceof TaskCancelledError ? `timed out after ${this.#options.timeoutMs} ms` : (err as Error).message;
      throw unavailable('PAYMENTS_UNAVAILABLE', `payments did not answer after ${this.#options.retries + 1} attempts (${reason}); retry later`, 1, err);
    }
  }

  /** One try, in its own CLIENT span (client-span.ts), ended once the answer is read. */
  async #attempt(request: ChargeRequest, signal: AbortSignal, parent: Context, attempt: number): Promise<Charge> {
    const { span, headers } = startClientSpan('POST', this.#chargesUrl, parent, attempt);
    let response: Response;
    try {
      response = await fetch(this.#chargesUrl, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(request), signal });
    } catch (err) {
      const unreachable = new PaymentsAttemptError(`payments unreachable: ${(err as Error).message}`, { cause: err });
      endClientSpan(span, unreachable);
      throw unreachable;
    }
    recordStatus(span, response.status);
    const text = await response.text().catch(() => '');
    endClientSpan(span);
    if (response.status >= 500 || response.status === 429) {
      throw new PaymentsAttemptError(`payments answered ${response.status}: ${text.slice(0, 200)}`);
    }
    if (!response.ok) {
      // A 4xx is our bug or a conflicting key: not retried, not the circuit's business.
      throw new HttpError('PAYMENTS_REJECTED', 502, `payments rejected the charge with ${response.status}: ${text.slice(0, 200)}`);
    }
    return JSON.parse(text) as Charge;
  }

  /** For /ready: an open circuit is degraded without a call; otherwise GET /health. */
  async healthy(timeoutMs: number): Promise<boolean> {
    if (this.state === 'open') return false;
    try {
      const response = await fetch(`${this.#options.baseUrl}/health`, { signal: AbortSignal.timeout(timeoutMs) });
      await response.body?.cancel();
      return response.ok;
    } catch {
      return false;
    }
  }
}
