/**
 * Exponential histograms as classic `le` buckets. The hub stores no native
 * histograms, so an OTLP exponential histogram becomes what a classic histogram
 * with the same bucket edges would be:
 *
 * - base = 2^(2^-scale); positive bucket index i holds values in (base^i, base^(i+1)],
 *   so it becomes le = base^(i+1); negative bucket index i holds [-base^(i+1), -base^i),
 *   so it becomes le = -base^i (the exclusive edge: a classic `le` is inclusive);
 * - the zero bucket (|x| <= zero threshold) becomes le = 0;
 * - counts are cumulative from the most negative bucket up, and le = +Inf holds the
 *   total count, as in every classic histogram.
 *
 * Every bucket of the point's dense ranges is written (empty ones too, so the set of
 * `le` series stays stable while the SDK keeps its scale), and the zero bucket when
 * it has data or negative buckets exist. When the SDK lowers the scale, the edges
 * change and a new set of `le` series begins.
 */
export interface ClassicBucket {
  le: number;
  /** Cumulative count of observations <= le. */
  count: number;
}

/**
 * base^index = 2^(index / 2^scale): exact for scale <= 0; for positive scales the
 * power of two is split off (as ldexp does), so only 2^fraction is rounded.
 */
export function bucketEdge(scale: number, index: number): number {
  if (scale <= 0) return 2 ** (index * 2 ** -scale);
  const exponent = index / 2 ** scale;
  const whole = Math.floor(exponent);
  return 2 ** (exponent - whole) * 2 ** whole;
}

export function classicBuckets(h: {
  scale: number;
  zeroCount: number;
  count: number;
  positive: Map<number, number>;
  negative: Map<number, number>;
}): ClassicBucket[] {
  const out: ClassicBucket[] = [];
  let cumulative = 0;
  const negative = [...h.negative.keys()].sort((a, b) => b - a);
  for (const i of negative) {
    cumulative += h.negative.get(i)!;
    out.push({ le: -bucketEdge(h.scale, i), count: cumulative });
  }
  if (h.zeroCount > 0 || negative.length > 0) {
    cumulative += h.zeroCount;
    out.push({ le: 0, count: cumulative });
  }
  const positive = [...h.positive.keys()].sort((a, b) => a - b);
  for (const i of positive) {
    cumulative += h.positive.get(i)!;
    out.push({ le: bucketEdge(h.scale, i + 1), count: cumulative });
  }
  out.push({ le: Infinity, count: h.count });
  return out;
}
