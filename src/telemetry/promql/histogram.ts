/** histogram_quantile over classic histograms: `_bucket` series grouped by all labels but `le`. */
import type { Call } from './ast.js';
import type { Evaluator } from './evaluator.js';
import type { Column } from './batch.js';
import { allocateColumns } from './batch.js';
import type { Bucket } from './stats.js';
import { bucketQuantile, sortedBucketQuantile } from './stats.js';
import type { InstantSample, SeriesRef } from './values.js';

interface BucketOf {
  group: SeriesRef;
  le: number;
}

function parseLe(text: string | undefined): number | null {
  if (text === undefined || text.trim() === '') return null;
  const t = text.trim();
  const lower = t.toLowerCase();
  if (lower === '+inf' || lower === 'inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  const n = Number(t);
  return Number.isNaN(n) && lower !== 'nan' ? null : n;
}

/**
 * For each group of buckets (same labels once `__name__` and `le` are removed), the
 * φ-quantile by Prometheus's bucketQuantile. Samples without a parseable `le` are
 * ignored, as Prometheus does.
 */
function bucketOf(ev: Evaluator, call: Call): (ref: SeriesRef) => BucketOf | null {
  const memo = ev.cache<SeriesRef, BucketOf | null>(call);
  return (ref) => {
    let of = memo.get(ref);
    if (of === undefined) {
      const le = parseLe(ref.labels['le']);
      if (le === null) of = null;
      else {
        const rest = { ...ref.labels };
        delete rest['__name__'];
        delete rest['le'];
        of = { group: ev.interner.intern(rest), le };
      }
      memo.set(ref, of);
    }
    return of;
  };
}

export function histogramQuantile(ev: Evaluator, call: Call, q: number, samples: InstantSample[]): InstantSample[] {
  const ofRef = bucketOf(ev, call);
  const groups = new Map<SeriesRef, Bucket[]>();
  for (const s of samples) {
    const of = ofRef(s.ref);
    if (of === null) continue;
    let buckets = groups.get(of.group);
    if (!buckets) {
      buckets = [];
      groups.set(of.group, buckets);
    }
    buckets.push({ upperBound: of.le, count: s.v });
  }
  const out: InstantSample[] = [];
  for (const [group, buckets] of groups) out.push({ ref: group, v: bucketQuantile(q, buckets) });
  return out;
}

/**
 * histogram_quantile for every step of a range query over batched bucket columns:
 * each group's buckets are sorted by `le` once, then every step is a linear pass.
 */
export function histogramQuantileColumns(ev: Evaluator, call: Call, q: number, input: readonly Column[]): Column[] {
  const ofRef = bucketOf(ev, call);
  const groups = new Map<SeriesRef, { le: number; col: Column }[]>();
  for (const col of input) {
    const of = ofRef(col.ref);
    if (of === null) continue;
    const list = groups.get(of.group);
    if (list) list.push({ le: of.le, col });
    else groups.set(of.group, [{ le: of.le, col }]);
  }
  const n = ev.stepTimes().length;
  const entries = [...groups];
  const out = allocateColumns(entries.map(([group]) => group), n);
  let bounds = new Float64Array(16);
  let counts = new Float64Array(16);
  entries.forEach(([, list], g) => {
    list.sort((a, b) => a.le - b.le);
    if (bounds.length < list.length) {
      bounds = new Float64Array(list.length);
      counts = new Float64Array(list.length);
    }
    const col = out[g]!;
    for (let s = 0; s < n; s++) {
      let m = 0;
      for (const b of list) {
        if (b.col.present[s] !== 1) continue;
        bounds[m] = b.le;
        counts[m] = b.col.values[s]!;
        m++;
      }
      if (m === 0) continue;
      col.values[s] = sortedBucketQuantile(q, bounds, counts, m);
      col.present[s] = 1;
    }
  });
  return out;
}
