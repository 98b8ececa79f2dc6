// Summary statistics the benchmark reports share.

/**
 * The middle value (the mean of the two middle ones for an even count), over the
 * finite values only: a run that reported nothing (NaN) does not count. NaN for none.
 */
export function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const half = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
}
