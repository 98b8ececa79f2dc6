/**
 * Range queries, series by series. A selector, or a range function over a range
 * selector, is evaluated for every step at once on its first use: one pass over
 * each series with cursors that only move forward, instead of a binary search per
 * series per step. Results are kept per series in typed arrays (values and a
 * presence flag per step) rather than as objects, which would survive many young
 * garbage collections; the evaluator builds one step's samples when asked.
 */
import { takeF64, takeI32, takeU8 } from './arena.js';
import type { MatrixSelector, VectorSelector } from './ast.js';
import type { Evaluator } from './evaluator.js';
import { assertUniqueLabels } from './evaluator.js';
import type { InstantSample, RangeWindow, SeriesRef } from './values.js';

/** One series' values at every step of a range query; present[s] is 0 where it has none. */
export interface Column {
  ref: SeriesRef;
  values: Float64Array;
  present: Uint8Array;
}

/**
 * Columns of n steps for the given series, in two slices of the query's arena
 * (arena.ts): not one typed array per series.
 */
export function allocateColumns(refs: readonly SeriesRef[], n: number): Column[] {
  const values = takeF64(refs.length * n);
  const present = takeU8(refs.length * n);
  return refs.map((ref, i) => ({ ref, values: values.subarray(i * n, (i + 1) * n), present: present.subarray(i * n, (i + 1) * n) }));
}

/** The samples of step s of batched columns, in series order. */
export function stepSamples(columns: readonly Column[], s: number): InstantSample[] {
  const out: InstantSample[] = [];
  for (const c of columns) if (c.present[s] === 1) out.push({ ref: c.ref, v: c.values[s]! });
  return out;
}

/**
 * Computes a range function over one window and writes the result to out[at];
 * false when the function has no value there (too few samples). Writing into a
 * Float64Array rather than returning the number (and reading times from the window
 * rather than from arguments) spares V8 a heap number per call.
 */
export type WindowFn = (w: RangeWindow, out: Float64Array, at: number) => boolean;

export function batchInstant(ev: Evaluator, selector: VectorSelector): Column[] {
  const steps = ev.stepTimes();
  const lookback = ev.lookbackDeltaMs;
  const closed = ev.closedWindows;
  const fetched = ev.fetch(selector, lookback);
  const out = allocateColumns(fetched.map((f) => f.ref), steps.length);
  fetched.forEach((f, k) => {
    const { ts, vs } = f;
    const n = ts.length;
    const col = out[k]!;
    let i = -1;
    for (let s = 0; s < steps.length; s++) {
      const refTime = steps[s]! - selector.offsetMs;
      while (i + 1 < n && ts[i + 1]! <= refTime) i++;
      if (i < 0) continue;
      const t = ts[i]!;
      if (closed ? t < refTime - lookback : t <= refTime - lookback) continue;
      col.values[s] = vs[i]!;
      col.present[s] = 1;
    }
  });
  return out;
}

/** Prefix counts of drops (counter resets) into `out`: out[i] = drops among samples 1..i. */
function resetPrefix(vs: ArrayLike<number>, out: Int32Array): void {
  out[0] = 0;
  for (let i = 1; i < vs.length; i++) out[i] = out[i - 1]! + (vs[i]! < vs[i - 1]! ? 1 : 0);
}

export function batchRange(ev: Evaluator, matrix: MatrixSelector, keepName: boolean, counter: boolean, fn: WindowFn): Column[] {
  const steps = ev.stepTimes();
  const closed = ev.closedWindows;
  const { rangeMs } = matrix;
  const offset = matrix.selector.offsetMs;
  const fetched = ev.fetch(matrix.selector, rangeMs);
  const out = allocateColumns(fetched.map((f) => (keepName ? f.ref : f.ref.dropName())), steps.length);
  let longest = 0;
  for (const f of fetched) longest = Math.max(longest, f.ts.length);
  const resets = takeI32(counter ? longest : 0);
  let names = false;
  for (let k = 0; k < fetched.length; k++) {
    const f = fetched[k]!;
    if (f.ref.name !== fetched[0]!.ref.name) names = true;
    const { ts, vs } = f;
    const n = ts.length;
    if (counter) resetPrefix(vs, resets);
    const w: RangeWindow = { ref: f.ref, ts, vs, lo: 0, hi: 0, startMs: 0.5, endMs: 0.5, rangeMs, t: 0.5, noResets: false };
    const col = out[k]!;
    for (let s = 0; s < steps.length; s++) {
      const t = steps[s]!;
      const end = t - offset;
      const start = end - rangeMs;
      w.t = t;
      w.startMs = start;
      w.endMs = end;
      while (w.hi < n && ts[w.hi]! <= end) w.hi++;
      while (w.lo < w.hi && (closed ? ts[w.lo]! < start : ts[w.lo]! <= start)) w.lo++;
      if (w.hi <= w.lo) continue;
      if (counter) w.noResets = resets[w.hi - 1] === resets[w.lo];
      if (fn(w, col.values, s)) col.present[s] = 1;
    }
  }
  if (names && !keepName) for (let s = 0; s < steps.length; s++) assertUniqueLabels(stepSamples(out, s));
  return out;
}
