/**
 * The services' default trace sampler, shaped like AWS X-Ray's default sampling rule:
 * a reservoir of traces per second, every request up to it, then a fixed ratio of the
 * rest. At the rates a person clicks or a drill's steady load sends, every request is
 * traced; under a benchmark's thousands per second, tracing costs a few percent
 * instead of doubling the cost of a cached read.
 *
 * It decides for root spans only: wrapped in a ParentBasedSampler (see
 * defaultSampler), a request that arrives with a W3C `traceparent` follows its
 * caller's decision, so a trace is kept or dropped whole across services.
 * OTEL_TRACES_SAMPLER, when set, replaces it (telemetry.ts), e.g.
 * `parentbased_always_on` to keep every trace.
 */
import { tracing } from '@opentelemetry/sdk-node';
import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';

/** Traces per second every process keeps before the ratio applies (X-Ray's default is 1). */
export const RESERVOIR_PER_SECOND = 10;
/** The share of traces beyond the reservoir that are kept (X-Ray's default). */
export const SAMPLE_RATIO = 0.05;

export interface ReservoirOptions {
  perSecond: number;
  ratio: number;
  /** Milliseconds; Date.now by default (tests inject a clock). */
  now?: () => number;
}

export class ReservoirSampler implements tracing.Sampler {
  readonly #perSecond: number;
  readonly #ratio: number;
  readonly #beyond: tracing.Sampler;
  readonly #now: () => number;
  #second = -1;
  #taken = 0;

  constructor(options: ReservoirOptions) {
    if (!(options.perSecond >= 0) || !(options.ratio >= 0 && options.ratio <= 1)) {
      throw new RangeError(`ReservoirSampler: perSecond must be >= 0 and ratio within [0, 1]; received perSecond ${options.perSecond}, ratio ${options.ratio}`);
    }
    this.#perSecond = options.perSecond;
    this.#ratio = options.ratio;
    this.#beyond = new tracing.TraceIdRatioBasedSampler(options.ratio);
    this.#now = options.now ?? Date.now;
  }

  shouldSample(context: Context, traceId: string, spanName: string, spanKind: SpanKind, attributes: Attributes, links: Link[]): tracing.SamplingResult {
    const second = Math.floor(this.#now() / 1000);
    if (second !== this.#second) {
      this.#second = second;
      this.#taken = 0;
    }
    if (this.#taken < this.#perSecond) {
      this.#taken += 1;
      return { decision: tracing.SamplingDecision.RECORD_AND_SAMPLED };
    }
    return this.#beyond.shouldSample(context, traceId, spanName, spanKind, attributes, links);
  }

  toString(): string {
    return `ReservoirSampler{perSecond=${this.#perSecond}, ratio=${this.#ratio}}`;
  }
}

/** ParentBased(root: the reservoir), the services' default. */
export function defaultSampler(): tracing.Sampler {
  return new tracing.ParentBasedSampler({ root: new ReservoirSampler({ perSecond: RESERVOIR_PER_SECOND, ratio: SAMPLE_RATIO }) });
}
