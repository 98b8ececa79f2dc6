/**
 * Functions over range vectors (one RangeWindow of one series at a time), with
 * Prometheus's arithmetic: rate/increase/delta extrapolation, irate/idelta,
 * deriv/predict_linear by least squares, and the *_over_time family with Kahan sums.
 */
import type { RangeWindow } from './values.js';
import { kahanInc } from './values.js';
import { quantile } from './stats.js';

/**
 * rate, increase and delta: the increase between the first and last sample of the
 * window (adding back counter resets when isCounter), extrapolated to the window's
 * edges when the first/last sample is within 1.1 average sample intervals of them
 * (else by half an interval), never extrapolating a counter below zero.
 * No value (false) with fewer than two samples; else the value goes to out[at]
 * (written, not returned, so that V8 needs no heap number per call).
 */
export function extrapolatedRate(w: RangeWindow, isCounter: boolean, isRate: boolean, out: Float64Array, at: number, prometheus2 = false): boolean {
  const { ts, vs, lo, hi } = w;
  const rangeStartMs = w.startMs;
  const rangeEndMs = w.endMs;
  const rangeMs = w.rangeMs;
  if (hi - lo < 2) return false;
  const firstT = ts[lo]!;
  const lastT = ts[hi - 1]!;
  const first = vs[lo]!;
  let result = vs[hi - 1]! - first;
  if (isCounter && !w.noResets) {
    let prev = first;
    for (let i = lo + 1; i < hi; i++) {
      const cur = vs[i]!;
      if (cur < prev) result += prev;
      prev = cur;
    }
  }
  let durationToStart = (firstT - rangeStartMs) / 1000;
  let durationToEnd = (rangeEndMs - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const averageDurationBetweenSamples = sampledInterval / (hi - lo - 1);
  const extrapolationThreshold = averageDurationBetweenSamples * 1.1;
  // Prometheus 2 moved the start to the zero point first and then applied the 1.1 x
  // rule to what was left; Prometheus 3 applies the rule first, then the zero point.
  if (prometheus2) {
    if (isCounter && result > 0 && first >= 0) {
      const durationToZero = sampledInterval * (first / result);
      if (durationToZero < durationToStart) durationToStart = durationToZero;
    }
    if (durationToStart >= extrapolationThreshold) durationToStart = averageDurationBetweenSamples / 2;
  } else {
    if (durationToStart >= extrapolationThreshold) durationToStart = averageDurationBetweenSamples / 2;
    if (isCounter && result > 0 && first >= 0) {
      const durationToZero = sampledInterval * (first / result);
      if (durationToZero < durationToStart) durationToStart = durationToZero;
    }
  }
  if (durationToEnd >= extrapolationThreshold) durationToEnd = averageDurationBetweenSamples / 2;
  let factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
  if (isRate) factor /= rangeMs / 1000;
  out[at] = result * factor;
  return true;
}

/** irate and idelta: from the last two samples (a counter reset makes irate use the last value). */
export function instantValue(w: RangeWindow, isRate: boolean, out: Float64Array, at: number): boolean {
  const { ts, vs, hi, lo } = w;
  if (hi - lo < 2) return false;
  const t0 = ts[hi - 2]!;
  const t1 = ts[hi - 1]!;
  const v0 = vs[hi - 2]!;
  const v1 = vs[hi - 1]!;
  const interval = t1 - t0;
  if (interval === 0) return false;
  let result = v1;
  if (!isRate || !(v1 < v0)) result = v1 - v0;
  out[at] = isRate ? result / (interval / 1000) : result;
  return true;
}

/** Least-squares slope and intercept at interceptMs, as Prometheus's linearRegression. */
export function linearRegression(w: RangeWindow, interceptMs: number): [number, number] {
  const { ts, vs, lo, hi } = w;
  let n = 0;
  let sumX = 0, cX = 0, sumY = 0, cY = 0, sumXY = 0, cXY = 0, sumX2 = 0, cX2 = 0;
  const initY = vs[lo]!;
  let constY = true;
  for (let i = lo; i < hi; i++) {
    const y = vs[i]!;
    if (constY && i > lo && y !== initY) constY = false;
    n += 1;
    const x = (ts[i]! - interceptMs) / 1000;
    [sumX, cX] = kahanInc(x, sumX, cX);
    [sumY, cY] = kahanInc(y, sumY, cY);
    [sumXY, cXY] = kahanInc(x * y, sumXY, cXY);
    [sumX2, cX2] = kahanInc(x * x, sumX2, cX2);
  }
  if (constY) {
    if (!Number.isFinite(initY) && !Number.isNaN(initY)) return [NaN, NaN];
    return [0, initY];
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  return [slope, sumY / n - (slope * sumX) / n];
}

function sumOverTime(vs: ArrayLike<number>, lo: number, hi: number): number {
  let sum = 0;
  let c = 0;
  for (let i = lo; i < hi; i++) [sum, c] = kahanInc(vs[i]!, sum, c);
  return !Number.isFinite(sum) && !Number.isNaN(sum) ? sum : sum + c;
}

function avgOverTime(vs: ArrayLike<number>, lo: number, hi: number): number {
  let sum = vs[lo]!;
  let count = 1;
  let mean = 0;
  let c = 0;
  let incremental = false;
  for (let i = lo + 1; i < hi; i++) {
    const f = vs[i]!;
    count = i - lo + 1;
    if (!incremental) {
      const [newSum, newC] = kahanInc(f, sum, c);
      if (newSum !== Infinity && newSum !== -Infinity) {
        sum = newSum;
        c = newC;
        continue;
      }
      incremental = true;
      mean = sum / (count - 1);
      c /= count - 1;
    }
    const q = (count - 1) / count;
    [mean, c] = kahanInc(f / count, q * mean, q * c);
  }
  return incremental ? mean + c : sum / count + c / count;
}

function varianceOverTime(vs: ArrayLike<number>, lo: number, hi: number): number {
  let count = 0, mean = 0, cMean = 0, aux = 0, cAux = 0;
  for (let i = lo; i < hi; i++) {
    const f = vs[i]!;
    count++;
    const delta = f - (mean + cMean);
    [mean, cMean] = kahanInc(delta / count, mean, cMean);
    [aux, cAux] = kahanInc(delta * (f - (mean + cMean)), aux, cAux);
  }
  return (aux + cAux) / count;
}

function extremeOverTime(vs: ArrayLike<number>, lo: number, hi: number, max: boolean): number {
  let best = vs[lo]!;
  for (let i = lo; i < hi; i++) {
    const f = vs[i]!;
    if ((max ? f > best : f < best) || Number.isNaN(best)) best = f;
  }
  return best;
}

/** The *_over_time functions and changes/resets, by name, into out[at]; false when the window is empty. */
export function overTime(func: string, w: RangeWindow, param: number, out: Float64Array, at: number): boolean {
  const v = overTimeValue(func, w, param);
  if (v === null) return false;
  out[at] = v;
  return true;
}

function overTimeValue(func: string, w: RangeWindow, param: number): number | null {
  const { vs, lo, hi } = w;
  if (hi <= lo) return null;
  switch (func) {
    case 'count_over_time': return hi - lo;
    case 'present_over_time': return 1;
    case 'sum_over_time': return sumOverTime(vs, lo, hi);
    case 'avg_over_time': return avgOverTime(vs, lo, hi);
    case 'min_over_time': return extremeOverTime(vs, lo, hi, false);
    case 'max_over_time': return extremeOverTime(vs, lo, hi, true);
    case 'last_over_time': return vs[hi - 1]!;
    case 'first_over_time': return vs[lo]!;
    case 'stdvar_over_time': return varianceOverTime(vs, lo, hi);
    case 'stddev_over_time': return Math.sqrt(varianceOverTime(vs, lo, hi));
    case 'quantile_over_time': return quantile(param, Array.from({ length: hi - lo }, (_, i) => vs[lo + i]!));
    case 'mad_over_time': {
      const values = Array.from({ length: hi - lo }, (_, i) => vs[lo + i]!);
      const median = quantile(0.5, values);
      return quantile(0.5, values.map((f) => Math.abs(f - median)));
    }
    case 'changes': {
      let changes = 0;
      let prev = vs[lo]!;
      for (let i = lo + 1; i < hi; i++) {
        const cur = vs[i]!;
        if (!(cur === prev || (Number.isNaN(cur) && Number.isNaN(prev)))) changes++;
        prev = cur;
      }
      return changes;
    }
    case 'resets': {
      let resets = 0;
      let prev = vs[lo]!;
      for (let i = lo + 1; i < hi; i++) {
        const cur = vs[i]!;
        if (cur < prev) resets++;
        prev = cur;
      }
      return resets;
    }
    default:
      return null;
  }
}
