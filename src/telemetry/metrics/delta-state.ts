/**
 * Delta to cumulative, as the Collector's Prometheus exporter accumulates: per
 * series (name and labels), a delta point whose start time is the end of what was
 * accumulated (or earlier) is added to it; a point starting after that (a gap: the
 * producer restarted or points were lost) starts again from its own value, which
 * PromQL sees as a counter reset; a point not newer than the last is dropped.
 * State is bounded: past maxEntries the least recently updated series is forgotten.
 */
import type { ExponentialHistogramPoint, HistogramPoint, NumberPoint } from '../model.js';

interface Accumulated<T> {
  startUs: number;
  timeUs: number;
  value: T;
}

export interface HistogramTotals {
  count: number;
  sum: number | undefined;
  bounds: number[];
  bucketCounts: number[];
}

export interface ExponentialTotals {
  count: number;
  sum: number | undefined;
  scale: number;
  zeroCount: number;
  positive: Map<number, number>;
  negative: Map<number, number>;
}

export class DeltaAccumulator {
  readonly maxEntries: number;
  readonly #entries = new Map<string, Accumulated<unknown>>();
  /** Points refused as older than what was accumulated. */
  droppedPoints = 0;

  constructor(maxEntries: number) {
    this.maxEntries = Math.max(1, maxEntries);
  }

  get size(): number {
    return this.#entries.size;
  }

  #update<T>(key: string, point: { startUs: number; timeUs: number }, fresh: () => T, add: (acc: T) => T): T | null {
    const prev = this.#entries.get(key) as Accumulated<T> | undefined;
    let next: Accumulated<T>;
    if (!prev) next = { startUs: point.startUs, timeUs: point.timeUs, value: fresh() };
    else if (point.timeUs <= prev.timeUs) {
      this.droppedPoints++;
      return null;
    } else if (point.startUs === 0 || (point.startUs <= prev.timeUs && point.startUs >= prev.startUs)) {
      next = { startUs: prev.startUs, timeUs: point.timeUs, value: add(prev.value) };
    } else next = { startUs: point.startUs, timeUs: point.timeUs, value: fresh() };
    this.#entries.delete(key);
    this.#entries.set(key, next);
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
    return next.value;
  }

  sum(key: string, point: NumberPoint): number | null {
    return this.#update(key, point, () => point.value, (acc: number) => acc + point.value);
  }

  histogram(key: string, point: HistogramPoint): HistogramTotals | null {
    const fresh = (): HistogramTotals => ({ count: point.count, sum: point.sum, bounds: [...point.bounds], bucketCounts: [...point.bucketCounts] });
    return this.#update(key, point, fresh, (acc: HistogramTotals) => {
      const sameLayout = acc.bounds.length === point.bounds.length && acc.bounds.every((b, i) => b === point.bounds[i]);
      if (!sameLayout) return fresh();
      return {
        count: acc.count + point.count,
        sum: acc.sum === undefined || point.sum === undefined ? undefined : acc.sum + point.sum,
        bounds: acc.bounds,
        bucketCounts: acc.bucketCounts.map((c, i) => c + (point.bucketCounts[i] ?? 0)),
      };
    });
  }

  exponential(key: string, point: ExponentialHistogramPoint): ExponentialTotals | null {
    const fresh = (): ExponentialTotals => ({
      count: point.count,
      sum: point.sum,
      scale: point.scale,
      zeroCount: point.zeroCount,
      positive: indexed(point.positive),
      negative: indexed(point.negative),
    });
    return this.#update(key, point, fresh, (acc: ExponentialTotals) => {
      const add = fresh();
      const scale = Math.min(acc.scale, add.scale);
      return {
        count: acc.count + add.count,
        sum: acc.sum === undefined || add.sum === undefined ? undefined : acc.sum + add.sum,
        scale,
        zeroCount: acc.zeroCount + add.zeroCount,
        positive: merge(downscale(acc.positive, acc.scale - scale), downscale(add.positive, add.scale - scale)),
        negative: merge(downscale(acc.negative, acc.scale - scale), downscale(add.negative, add.scale - scale)),
      };
    });
  }
}

/** Bucket index -> count of a dense OTLP bucket range (empty buckets kept, so the `le` set stays stable). */
export function indexed(buckets: { offset: number; bucketCounts: number[] }): Map<number, number> {
  const out = new Map<number, number>();
  buckets.bucketCounts.forEach((c, i) => out.set(buckets.offset + i, c));
  return out;
}

/** Buckets of a scale `by` steps lower: index i becomes floor(i / 2^by). */
export function downscale(buckets: Map<number, number>, by: number): Map<number, number> {
  if (by === 0) return buckets;
  const out = new Map<number, number>();
  for (const [i, c] of buckets) {
    const j = Math.floor(i / 2 ** by);
    out.set(j, (out.get(j) ?? 0) + c);
  }
  return out;
}

function merge(a: Map<number, number>, b: Map<number, number>): Map<number, number> {
  const out = new Map(a);
  for (const [i, c] of b) out.set(i, (out.get(i) ?? 0) + c);
  return out;
}
