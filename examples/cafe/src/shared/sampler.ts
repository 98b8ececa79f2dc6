/**
 * The services' default trace sampler, shaped like AWS X-Ray's default sampling rule:
 * a reservoir of traces per second, every request up to it, then a fixed ratio of the
 * rest; and, as Datadog's tracers do by default, at most a fixed number of traces per
 * second in all. At the rates a person clicks or a drill's steady load sends, every
 * request is traced; under a benchmark's thousands per second, the cap keeps what
 * tracing costs the process bounded instead of growing with the traffic (a traced
 * cached read costs nearly twice an untraced one, and traced requests slow the
 * untraced ones down beyond their own cost: docs/benchmarks.md).
 *
 * It decides for root spans only: wrapped in a ParentBasedSampler (see
 * defaultSampler), a request that arrives with a W3C `traceparent` follows its
 * caller's decision, so a trace is kept or dropped whole across services.
 * OTEL_TRACES_SAMPLER, when set, replaces it (telemetry.ts), e.g.
 * `parentbased_always_on` to keep every trace.
 */
import { tracing } from '@opentelemetry/sdk-node';
import { createContextKey } from '@opentelemetry/api';
import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';

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
  /**
   * At most this many traces a second in all (default: no cap): a token bucket that
   * refills continuously and holds a second's worth, so kept traces spread over the
   * second rather than crowd its start.
   */
  maxPerSecond?: number;
  /** Milliseconds; Date.now by default (tests inject a clock). */
  now?: () => number;
}

export class ReservoirSampler implements tracing.Sampler, RootSampler {
  readonly #perSecond: number;
  readonly #ratio: number;
  readonly #beyond: tracing.Sampler;
  readonly #maxPerSecond: number;
  readonly #now: () => number;
  #second = -1;
  #taken = 0;
  /** The cap's bucket: traces that may still be kept, refilled at maxPerSecond. */
  #tokens: number;
  #filledAt: number | undefined;

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
    this.#tokens = max;
    this.#beyond = new tracing.TraceIdRatioBasedSampler(options.ratio);
    this.#now = options.now ?? Date.now;
  }

  shouldSample(context: Context, traceId: string, spanName: string, spanKind: SpanKind, attributes: Attributes, links: Link[]): tracing.SamplingResult {
    const ahead = context.getValue(ROOT_DECISION);
    if (ahead !== undefined) return ahead === true ? KEEP : DROP;
    const now = this.#now();
    if (!this.#underCap(now)) return DROP;
    if (this.#fromReservoir(now)) {
      this.#spend();
      return KEEP;
    }
    const result = this.#beyond.shouldSample(context, traceId, spanName, spanKind, attributes, links);
    if (result.decision === tracing.SamplingDecision.RECORD_AND_SAMPLED) this.#spend();
    return result;
  }

  /** The cap, the reservoir, then the ratio by chance: the same odds as shouldSample, without a trace id. */
  sampleRoot(): boolean {
    const now = this.#now();
    if (!this.#underCap(now)) return false;
    if (!this.#fromReservoir(now) && !(Math.random() < this.#ratio)) return false;
    this.#spend();
    return true;
  }

  #fromReservoir(now: number): boolean {
    const second = Math.floor(now / 1000);
    if (second !== this.#second) {
      this.#second = second;
      this.#taken = 0;
    }
    if (this.#taken >= this.#perSecond) return false;
    this.#taken += 1;
    return true;
  }

  /** Whether the cap leaves room for one more trace now (refills the bucket first). */
  #underCap(now: number): boolean {
    if (this.#maxPerSecond === Infinity) return true;
    if (this.#filledAt !== undefined && now > this.#filledAt) {
      this.#tokens = Math.min(this.#maxPerSecond, this.#tokens + ((now - this.#filledAt) / 1000) * this.#maxPerSecond);
    }
    this.#filledAt = now;
    return this.#tokens >= 1;
  }

  /** A kept trace takes one place from the cap's bucket. */
  #spend(): void {
    this.#tokens -= 1;
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
