/**
 * Latency histograms: hdr-histogram-js (HdrHistogram's layout: 3 significant digits,
 * so 0.1% precision, from 1 µs to 1 h), recorded in microseconds. A histogram travels
 * between threads as its raw non-empty buckets, so a merge is exact: the merged
 * histogram answers every percentile, min, max and mean exactly as one histogram fed
 * all the samples would.
 */
import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';
import type { LatencySummary } from '../types.js';

/** Highest value tracked: one hour in microseconds; longer samples are clamped to it. */
const HIGHEST_US = 3_600_000_000;

/** Raw buckets: [index, count, index, count, ...] over the non-empty buckets. */
export type HistogramBuckets = number[];

export const EMPTY_SUMMARY: LatencySummary = { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };

/** The buckets' internal view: hdr-histogram-js exposes these on every JsHistogram. */
interface BucketAccess {
  countsArrayLength: number;
  getCountAtIndex(index: number): number;
  valueFromIndex(index: number): number;
  lowestEquivalentValue(value: number): number;
  highestEquivalentValue(value: number): number;
}

export class LatencyHistogram {
  readonly #hdr: Histogram;

  constructor() {
    this.#hdr = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_US, numberOfSignificantValueDigits: 3, autoResize: false });
  }

  /** Records one sample given in milliseconds (kept to the microsecond). */
  recordMs(ms: number): void {
    const us = Math.round(ms * 1000);
    this.#hdr.recordValue(us < 0 ? 0 : us > HIGHEST_US ? HIGHEST_US : us);
  }

  get count(): number {
    return this.#hdr.totalCount;
  }

  /** The percentile (0-100) in milliseconds; 0 when empty. */
  percentileMs(percentile: number): number {
    return this.count === 0 ? 0 : this.#hdr.getValueAtPercentile(percentile) / 1000;
  }

  toBuckets(): HistogramBuckets {
    const access = this.#hdr as unknown as BucketAccess;
    const out: number[] = [];
    for (let i = 0; i < access.countsArrayLength; i++) {
      const count = access.getCountAtIndex(i);
      if (count > 0) out.push(i, count);
    }
    return out;
  }

  /** Adds raw buckets from another LatencyHistogram (same layout): an exact merge. */
  addBuckets(buckets: HistogramBuckets): void {
    const access = this.#hdr as unknown as BucketAccess;
    for (let i = 0; i + 1 < buckets.length; i += 2) {
      this.#hdr.recordValueWithCount(access.valueFromIndex(buckets[i] ?? 0), buckets[i + 1] ?? 0);
    }
  }

  add(other: LatencyHistogram): void {
    this.addBuckets(other.toBuckets());
  }

  reset(): void {
    this.#hdr.reset();
  }

  /** Count, min, mean, percentiles and max in milliseconds. */
  summary(): LatencySummary {
    if (this.count === 0) return { ...EMPTY_SUMMARY };
    const h = this.#hdr;
    const access = h as unknown as BucketAccess;
    const ms = (us: number): number => Math.round(us) / 1000;
    // Bucket bounds, not raw extremes, so a merged histogram reports the same min and max.
    const min = h.minNonZeroValue >= Number.MAX_SAFE_INTEGER ? 0 : access.lowestEquivalentValue(h.minNonZeroValue);
    return {
      count: h.totalCount, min: ms(min), mean: Math.round(h.mean) / 1000,
      p50: ms(h.getValueAtPercentile(50)), p90: ms(h.getValueAtPercentile(90)), p95: ms(h.getValueAtPercentile(95)),
      p99: ms(h.getValueAtPercentile(99)), p999: ms(h.getValueAtPercentile(99.9)), max: ms(access.highestEquivalentValue(h.maxValue)),
    };
  }
}
