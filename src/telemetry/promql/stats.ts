/** Order statistics shared by quantile, quantile_over_time and histogram_quantile. */

/**
 * The φ-quantile of values by linear interpolation between closest ranks, as
 * Prometheus's quantile(): NaN for no values or φ NaN, -Inf for φ < 0, +Inf for φ > 1.
 * NaN values sort first. Sorts `values` in place.
 */
export function quantile(q: number, values: number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  values.sort((a, b) => (Number.isNaN(a) ? (Number.isNaN(b) ? 0 : -1) : Number.isNaN(b) ? 1 : a - b));
  const n = values.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return values[lower]! * (1 - weight) + values[upper]! * weight;
}

export interface Bucket {
  upperBound: number;
  count: number;
}

let scratchBounds = new Float64Array(64);
let scratchCounts = new Float64Array(64);

/**
 * The φ-quantile of a classic histogram (cumulative buckets), as Prometheus's
 * bucketQuantile: buckets sorted and merged by bound, tiny float errors and
 * non-monotonic counts evened out, linear interpolation inside the bucket that
 * holds the rank, 0 as the lower edge of the first bucket when its bound is
 * positive; the highest finite bound when the rank falls in the +Inf bucket.
 * NaN when there is no +Inf bucket, fewer than two buckets, or no observations.
 */
export function bucketQuantile(q: number, input: Bucket[]): number {
  const sorted = [...input].sort((a, b) => a.upperBound - b.upperBound);
  const bounds = new Float64Array(sorted.length);
  const counts = new Float64Array(sorted.length);
  sorted.forEach((b, i) => {
    bounds[i] = b.upperBound;
    counts[i] = b.count;
  });
  return sortedBucketQuantile(q, bounds, counts, sorted.length);
}

/** bucketQuantile over n buckets already sorted by bound (the arrays are not changed). */
export function sortedBucketQuantile(q: number, inBounds: ArrayLike<number>, inCounts: ArrayLike<number>, n: number): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  if (n === 0 || inBounds[n - 1] !== Infinity) return NaN;
  if (scratchBounds.length < n) {
    scratchBounds = new Float64Array(n * 2);
    scratchCounts = new Float64Array(n * 2);
  }
  const bounds = scratchBounds;
  const counts = scratchCounts;
  // coalesceBuckets: merge buckets of the same bound.
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (m > 0 && bounds[m - 1] === inBounds[i]) counts[m - 1]! += inCounts[i]!;
    else {
      bounds[m] = inBounds[i]!;
      counts[m] = inCounts[i]!;
      m++;
    }
  }
  // correctPrecisionErrors (relative tolerance 1e-12), then ensureMonotonic.
  let prev = counts[0]!;
  for (let i = 1; i < m; i++) {
    const cur = counts[i]!;
    const delta = Math.abs(cur - prev);
    if (delta === 0) continue;
    if (delta / cur <= 1e-12) counts[i] = prev;
    else prev = cur;
  }
  let max = counts[0]!;
  for (let i = 1; i < m; i++) {
    if (counts[i]! > max) max = counts[i]!;
    else if (counts[i]! < max) counts[i] = max;
  }
  if (m < 2) return NaN;
  const observations = counts[m - 1]!;
  if (observations === 0) return NaN;
  let rank = q * observations;
  // The first bucket (among all but the last) whose cumulative count reaches the rank.
  let b = 0;
  while (b < m - 1 && !(counts[b]! >= rank)) b++;
  if (b === m - 1) return bounds[m - 2]!;
  if (b === 0 && bounds[0]! <= 0) return bounds[0]!;
  let bucketStart = 0;
  const bucketEnd = bounds[b]!;
  let count = counts[b]!;
  if (b > 0) {
    bucketStart = bounds[b - 1]!;
    count -= counts[b - 1]!;
    rank -= counts[b - 1]!;
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}
