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
import { createContextKey } from '@opentelemetry/api';
import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';

/** Traces per second every process keeps before the ratio applies (X-Ray's default is 1). */
export const RESERVOIR_PER_SECOND = 10;
/** The share of traces beyond the reservoir that are kept (X-Ray's default). */
export const SAMPLE_RATIO = 0.05;

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
  /** Milliseconds; Date.now by default (tests inject a clock). */
  now?: () => number;
}

export class ReservoirSampler implements tracing.Sampler, RootSampler {
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
    const ahead = context.getValue(ROOT_DECISION);
    if (ahead !== undefined) return ahead === true ? KEEP : DROP;
    if (this.#fromReservoir()) return KEEP;
    return this.#beyond.shouldSample(context, traceId, spanName, spanKind, attributes, links);
  }

  /** The reservoir, then the ratio by chance: the same odds as shouldSample, without a trace id. */
  sampleRoot(): boolean {
    return this.#fromReservoir() || Math.random() < this.#ratio;
  }

  #fromReservoir(): boolean {
    const second = Math.floor(this.#now() / 1000);
    if (second !== this.#second) {
      this.#second = second;
      this.#taken = 0;
    }
    if (this.#taken >= this.#perSecond) return false;
    this.#taken += 1;
    return true;
  }

  toString(): string {
    return `ReservoirSampler{perSecond=${this.#perSecond}, ratio=${this.#ratio}}`;
  }
}

/** The services' default root sampler: RESERVOIR_PER_SECOND, then SAMPLE_RATIO of the rest. */
export function defaultRootSampler(): ReservoirSampler {
  return new ReservoirSampler({ perSecond: RESERVOIR_PER_SECOND, ratio: SAMPLE_RATIO });
}

/** ParentBased(root: the reservoir), the services' default. */
export function defaultSampler(root: tracing.Sampler = defaultRootSampler()): tracing.Sampler {
  return new tracing.ParentBasedSampler({ root });
}
