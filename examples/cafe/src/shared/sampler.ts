/**
 * The services' default trace sampler, shaped like AWS X-Ray's default sampling rule
 * (a reservoir of traces per second, then a fixed ratio of the rest) and, as Datadog's
 * tracers do by default, at most a fixed number of traces per second in all. At the
 * rates a person clicks or a drill's steady load sends, every request is traced; under
 * a benchmark's thousands per second, the cap keeps what tracing costs bounded instead
 * of growing with the traffic.
 *
 * Each second keeps a budget of traces, and the budget goes to the first requests of
 * the second, as X-Ray's reservoir does: the reservoir, plus the ratio of the requests
 * beyond it in the second before, at most the cap. The ratio's traces thus come as one
 * run at the start of the second rather than at random through it. Measured, that is
 * what makes them cheap: the same 100 traces a second scattered among 14,000 untraced
 * requests cost the process about 7% of its CPU per request, and taken as a run about
 * 2% (docs/benchmarks.md). A traced request in between untraced ones slows the ones
 * after it; a run of traced ones does so once.
 *
 * It decides for root spans only: wrapped in a ParentBasedSampler (see
 * defaultSampler), a request that arrives with a W3C `traceparent` follows its
 * caller's decision, so a trace is kept or dropped whole across services.
 * OTEL_TRACES_SAMPLER, when set, replaces it (telemetry.ts), e.g.
 * `parentbased_always_on` to keep every trace.
 */
import { tracing } from '@opentelemetry/sdk-node';
import { createContextKey } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';

/** Traces per second every process keeps before the ratio applies (X-Ray's default is 1). */
export const RESERVOIR_PER_SECOND = 10;
/** The share of traces beyond the reservoir that are kept (X-Ray's default). */
export const SAMPLE_RATIO = 0.05;
/** The most traces a process keeps per second, reservoir and ratio together (Datadog's tracers' default rate limit). */
export const MAX_PER_SECOND = 100;

/**
 * A root's decision taken before its span exists (RootSampler.sampleRoot, as
 * server-spans.ts does for a request with no trace context): true keeps the trace,
 * false drops it. A root span started in a context holding it follows it.
 */
export const ROOT_DECISION = createContextKey('cafe-demo root sampling decision');

/** Decides for a new root trace before any span or trace id exists. */
export interface RootSampler {
  sampleRoot(): boolean;
}

const KEEP: tracing.SamplingResult = Object.freeze({ decision: tracing.SamplingDecision.RECORD_AND_SAMPLED });
const DROP: tracing.SamplingResult = Object.freeze({ decision: tracing.SamplingDecision.NOT_RECORD });

export interface ReservoirOptions {
  perSecond: number;
  ratio: number;
  /** At most this many traces a second in all (default: no cap). */
  maxPerSecond?: number;
  /** Milliseconds; Date.now by default (tests inject a clock). */
  now?: () => number;
}

export class ReservoirSampler implements tracing.Sampler, RootSampler {
  readonly #perSecond: number;
  readonly #ratio: number;
  readonly #maxPerSecond: number;
  readonly #now: () => number;
  /** The second (of the clock) the counts below are for. */
  #second = Number.NEGATIVE_INFINITY;
  /** Roots decided in that second. */
  #seen = 0;
  /** Traces that second may still keep. */
  #left = 0;
  /**
   * The fraction of a trace the budgets have left over so far: a second's budget is a
   * whole number, and what the ratio gives beyond it is carried to the next second, so
   * 10.5 a second keeps 10 and 11 in turn.
   */
  #carry = 0;

  constructor(options: ReservoirOptions) {
    const max = options.maxPerSecond ?? Infinity;
    if (!(options.perSecond >= 0) || !(options.ratio >= 0 && options.ratio <= 1) || !(max >= 0)) {
      throw new RangeError(
        `ReservoirSampler: perSecond and maxPerSecond must be >= 0 and ratio within [0, 1]; received perSecond ${options.perSecond}, ratio ${options.ratio}, maxPerSecond ${max}`,
      );
    }
    this.#perSecond = options.perSecond;
    this.#ratio = options.ratio;
    this.#maxPerSecond = max;
    this.#now = options.now ?? Date.now;
  }

  shouldSample(context: Context): tracing.SamplingResult {
    const ahead = context.getValue(ROOT_DECISION);
    if (ahead !== undefined) return ahead === true ? KEEP : DROP;
    return this.sampleRoot() ? KEEP : DROP;
  }

  /** The same decision as shouldSample, before a trace id exists: whether this second's budget has a place left. */
  sampleRoot(): boolean {
    const second = Math.floor(this.#now() / 1000);
    if (second !== this.#second) this.#newSecond(second);
    this.#seen += 1;
    if (this.#left < 1) return false;
    this.#left -= 1;
    return true;
  }

  /**
   * The budget of a new second, from the roots of the one before (none when that second
   * saw none, or the clock stepped back); a ratio of 1 keeps every root up to the cap.
   */
  #newSecond(second: number): void {
    const before = second === this.#second + 1 ? this.#seen : 0;
    const beyond = this.#ratio === 1 ? Infinity : this.#ratio * Math.max(0, before - this.#perSecond);
    const wanted = Math.min(this.#maxPerSecond, this.#perSecond + beyond) + this.#carry;
    this.#left = Math.floor(wanted);
    this.#carry = Number.isFinite(wanted) ? wanted - this.#left : 0;
    this.#second = second;
    this.#seen = 0;
  }

  toString(): string {
    return `ReservoirSampler{perSecond=${this.#perSecond}, ratio=${this.#ratio}, maxPerSecond=${this.#maxPerSecond}}`;
  }
}

/** The services' default root sampler: RESERVOIR_PER_SECOND, then SAMPLE_RATIO of the rest, at most MAX_PER_SECOND. */
export function defaultRootSampler(now: () => number = Date.now): ReservoirSampler {
  return new ReservoirSampler({ perSecond: RESERVOIR_PER_SECOND, ratio: SAMPLE_RATIO, maxPerSecond: MAX_PER_SECOND, now });
}

/** ParentBased(root: the reservoir), the services' default. */
export function defaultSampler(root: tracing.Sampler = defaultRootSampler()): tracing.Sampler {
  return new tracing.ParentBasedSampler({ root });
}
