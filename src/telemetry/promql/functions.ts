/** Function calls: dispatch by name to the range, instant, histogram and label functions. */
import { LabError } from '../../errors.js';
import type { Call, Expr, MatrixSelector } from './ast.js';
import type { Evaluator } from './evaluator.js';
import { assertUniqueLabels } from './evaluator.js';
import { histogramQuantile, histogramQuantileColumns } from './histogram.js';
import { absentLabels, labelJoin, labelReplace } from './label-functions.js';
import { extrapolatedRate, instantValue, linearRegression, overTime } from './range-functions.js';
import type { Column, WindowFn } from './batch.js';
import { batchRange } from './batch.js';
import type { InstantSample, Value } from './values.js';

const MATH: Record<string, (x: number) => number> = {
  abs: Math.abs, ceil: Math.ceil, floor: Math.floor, exp: Math.exp, sqrt: Math.sqrt, ln: Math.log,
  log2: Math.log2, log10: Math.log10, sin: Math.sin, cos: Math.cos, tan: Math.tan, asin: Math.asin,
  acos: Math.acos, atan: Math.atan, sinh: Math.sinh, cosh: Math.cosh, tanh: Math.tanh, asinh: Math.asinh,
  acosh: Math.acosh, atanh: Math.atanh,
  sgn: (x) => (x < 0 ? -1 : x > 0 ? 1 : x),
  deg: (x) => (x * 180) / Math.PI,
  rad: (x) => (x * Math.PI) / 180,
};

const DATE: Record<string, (d: Date) => number> = {
  minute: (d) => d.getUTCMinutes(),
  hour: (d) => d.getUTCHours(),
  day_of_month: (d) => d.getUTCDate(),
  day_of_week: (d) => d.getUTCDay(),
  day_of_year: (d) => Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1,
  days_in_month: (d) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate(),
  month: (d) => d.getUTCMonth() + 1,
  year: (d) => d.getUTCFullYear(),
};

function unwrap(expr: Expr): Expr {
  return expr.kind === 'paren' ? unwrap(expr.expr) : expr;
}

function vec(samples: InstantSample[]): Value {
  return { type: 'vector', samples };
}

/** Applies f to every sample, dropping `__name__`. */
function mapValues(samples: InstantSample[], f: (x: number) => number): Value {
  const out = samples.map((s) => ({ ref: s.ref.dropName(), v: f(s.v) }));
  assertUniqueLabels(out);
  return vec(out);
}

/** The value of an argument when it is a number literal (so the same at every step), else null. */
function literal(expr: Expr | undefined): number | null {
  if (!expr) return null;
  const e = unwrap(expr);
  return e.kind === 'number' ? e.value : null;
}

/** Functions whose windows are scanned for counter resets (batch.ts precomputes where there are none). */
const COUNTERS = new Set(['rate', 'increase']);

/** A function of a range vector, evaluated for this step. */
function rangeFunction(ev: Evaluator, call: Call, t: number, matrixArg: number, fn: WindowFn): Value {
  const matrix = unwrap(call.args[matrixArg]!) as MatrixSelector;
  const keepName = call.func === 'last_over_time' || call.func === 'first_over_time';
  const windows = ev.range(matrix, t);
  const [start, end] = ev.window(matrix, t);
  const out: InstantSample[] = [];
  const scratch = new Float64Array(1);
  let names = false;
  for (const w of windows) {
    w.startMs = start;
    w.endMs = end;
    w.rangeMs = matrix.rangeMs;
    w.t = t;
    if (!fn(w, scratch, 0)) continue;
    const v = scratch[0]!;
    if (!keepName && !names && out.length > 0 && w.ref.name !== windows[0]!.ref.name) names = true;
    out.push({ ref: keepName ? w.ref : w.ref.dropName(), v });
  }
  if (names) assertUniqueLabels(out);
  return vec(out);
}

/** Writes v to out[at] unless it is null (no value). */
function put(v: number | null, out: Float64Array, at: number): boolean {
  if (v === null) return false;
  out[at] = v;
  return true;
}

/** The per-window computation of a range function, given its scalar argument. */
function windowFn(func: string, param: number, prometheus2: boolean): WindowFn | null {
  switch (func) {
    case 'rate':
    case 'increase':
    case 'delta': {
      const isCounter = func !== 'delta';
      const isRate = func === 'rate';
      return (w, out, at) => extrapolatedRate(w, isCounter, isRate, out, at, prometheus2);
    }
    case 'irate':
    case 'idelta': {
      const isRate = func === 'irate';
      return (w, out, at) => instantValue(w, isRate, out, at);
    }
    case 'deriv':
      return (w, out, at) => put(w.hi - w.lo < 2 ? null : linearRegression(w, w.ts[w.lo]!)[0], out, at);
    case 'predict_linear':
      return (w, out, at) => {
        if (w.hi - w.lo < 2) return false;
        const [slope, intercept] = linearRegression(w, w.t);
        out[at] = slope * param + intercept;
        return true;
      };
    default:
      return overTimeFunctions.has(func) ? (w, out, at) => overTime(func, w, param, out, at) : null;
  }
}

/** Index of the range-vector argument of a function. */
function matrixIndex(func: string): number {
  return func === 'quantile_over_time' ? 1 : 0;
}

/**
 * A range function over all steps at once (batch.ts), when its scalar argument is
 * a literal; likewise histogram_quantile over batched buckets.
 */
export function callColumns(ev: Evaluator, call: Call): Column[] | null {
  if (call.func === 'histogram_quantile') {
    const q = literal(call.args[0]);
    const input = q === null ? null : ev.columns(call.args[1]!);
    return input ? histogramQuantileColumns(ev, call, q!, input) : null;
  }
  const m = matrixIndex(call.func);
  const other = call.args.length > 1 ? literal(call.args[1 - m]) : NaN;
  if (other === null) return null;
  const fn = windowFn(call.func, other, ev.prometheus2);
  if (!fn) return null;
  const matrix = unwrap(call.args[m]!) as MatrixSelector;
  const keepName = call.func === 'last_over_time' || call.func === 'first_over_time';
  return batchRange(ev, matrix, keepName, COUNTERS.has(call.func), fn);
}

export function evalCall(ev: Evaluator, call: Call, t: number): Value {
  const { func, args } = call;
  const math = MATH[func];
  if (math) return mapValues(ev.vector(args[0]!, t), math);
  const date = DATE[func];
  if (date) {
    const samples = args.length > 0 ? ev.vector(args[0]!, t) : [{ ref: ev.interner.intern({}), v: t / 1000 }];
    return mapValues(samples, (sec) => (Number.isFinite(sec) ? date(new Date(sec * 1000)) : NaN));
  }
  switch (func) {
    case 'quantile_over_time':
    case 'predict_linear': {
      const m = matrixIndex(func);
      return rangeFunction(ev, call, t, m, windowFn(func, ev.scalar(args[1 - m]!, t), ev.prometheus2)!);
    }
    case 'absent_over_time': {
      const matrix = unwrap(args[0]!) as MatrixSelector;
      if (ev.range(matrix, t).length > 0) return vec([]);
      return vec([{ ref: ev.interner.intern(absentLabels(matrix.selector)), v: 1 }]);
    }
    case 'absent': {
      if (ev.vector(args[0]!, t).length > 0) return vec([]);
      const arg = unwrap(args[0]!);
      return vec([{ ref: ev.interner.intern(arg.kind === 'vector' ? absentLabels(arg) : {}), v: 1 }]);
    }
    case 'clamp':
    case 'clamp_min':
    case 'clamp_max': {
      const samples = ev.vector(args[0]!, t);
      const min = func === 'clamp_max' ? -Infinity : ev.scalar(args[1]!, t);
      const max = func === 'clamp' ? ev.scalar(args[2]!, t) : func === 'clamp_max' ? ev.scalar(args[1]!, t) : Infinity;
      if (max < min) return vec([]);
      return mapValues(samples, (x) => Math.max(min, Math.min(max, x)));
    }
    case 'round': {
      const samples = ev.vector(args[0]!, t);
      const toNearestInverse = 1 / (args.length > 1 ? ev.scalar(args[1]!, t) : 1);
      return mapValues(samples, (x) => Math.floor(x * toNearestInverse + 0.5) / toNearestInverse);
    }
    case 'histogram_quantile':
      return vec(histogramQuantile(ev, call, ev.scalar(args[0]!, t), ev.vector(args[1]!, t)));
    case 'time': return { type: 'scalar', v: t / 1000 };
    case 'pi': return { type: 'scalar', v: Math.PI };
    case 'vector': return vec([{ ref: ev.interner.intern({}), v: ev.scalar(args[0]!, t) }]);
    case 'scalar': {
      const samples = ev.vector(args[0]!, t);
      return { type: 'scalar', v: samples.length === 1 ? samples[0]!.v : NaN };
    }
    case 'timestamp': {
      const arg = unwrap(args[0]!);
      if (arg.kind === 'vector') {
        const out = ev.instant(arg, t, true).map((s) => ({ ref: s.ref.dropName(), v: s.v }));
        assertUniqueLabels(out);
        return vec(out);
      }
      return mapValues(ev.vector(arg, t), () => t / 1000);
    }
    case 'sort':
    case 'sort_desc': {
      const dir = func === 'sort' ? 1 : -1;
      // NaN goes last either way, as in Prometheus.
      const samples = [...ev.vector(args[0]!, t)].sort((a, b) =>
        Number.isNaN(a.v) ? (Number.isNaN(b.v) ? 0 : 1) : Number.isNaN(b.v) ? -1 : dir * (a.v - b.v));
      return vec(samples);
    }
    case 'label_replace':
      return vec(labelReplace(ev, call, ev.vector(args[0]!, t)));
    case 'label_join':
      return vec(labelJoin(ev, call, ev.vector(args[0]!, t)));
    default: {
      const fn = windowFn(func, NaN, ev.prometheus2);
      if (fn) return rangeFunction(ev, call, t, 0, fn);
      throw new LabError('LAB_PROMQL_UNSUPPORTED', `the function ${func}() is not supported by the hub's PromQL evaluator`);
    }
  }
}

const overTimeFunctions = new Set(['avg_over_time', 'min_over_time', 'max_over_time', 'sum_over_time', 'count_over_time',
  'last_over_time', 'first_over_time', 'stddev_over_time', 'stdvar_over_time', 'present_over_time', 'mad_over_time',
  'changes', 'resets', 'quantile_over_time']);
