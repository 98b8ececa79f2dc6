/**
 * Evaluates the AST at one step at a time. Each selector fetches its series once
 * for the whole query (the union of the windows of all steps), and each step then
 * only searches the fetched arrays, so a range query costs one select per selector.
 */
import { LabError } from '../../errors.js';
import type { SeriesSource } from '../contracts.js';
import type { Expr, MatrixSelector, VectorSelector } from './ast.js';
import { aggregateColumns, evalAggregate } from './aggregate.js';
import { evalBinary } from './binary.js';
import { callColumns, evalCall } from './functions.js';
import { resetArena } from './arena.js';
import type { Column } from './batch.js';
import { batchInstant, stepSamples } from './batch.js';
import type { InstantSample, RangeWindow, Value } from './values.js';
import { Interner } from './values.js';
import type { SeriesRef } from './values.js';

export interface Fetched {
  ref: SeriesRef;
  ts: ArrayLike<number>;
  vs: ArrayLike<number>;
}

export interface EvaluatorOptions {
  startMs: number;
  endMs: number;
  /** The step of a range query (any positive number for an instant query). */
  stepMs: number;
  lookbackDeltaMs: number;
  /** Prometheus 2 semantics: closed windows, zero-point clamp before the interval rule. */
  prometheus2: boolean;
}

export class Evaluator {
  readonly interner = new Interner();
  readonly #source: SeriesSource;
  readonly #options: EvaluatorOptions;
  readonly #fetched = new Map<VectorSelector, Fetched[]>();
  readonly #caches = new Map<Expr, Map<string, Map<unknown, unknown>>>();
  readonly #columns = new Map<Expr, Column[] | null>();
  readonly #steps: number[] = [];

  constructor(source: SeriesSource, options: EvaluatorOptions) {
    this.#source = source;
    this.#options = options;
    resetArena();
    for (let t = options.startMs; t <= options.endMs; t += options.stepMs) this.#steps.push(t);
  }

  get lookbackDeltaMs(): number {
    return this.#options.lookbackDeltaMs;
  }

  /** Windows closed on the left, as Prometheus 2 selects them. */
  get closedWindows(): boolean {
    return this.#options.prometheus2;
  }

  get prometheus2(): boolean {
    return this.#options.prometheus2;
  }

  /** The evaluation times of the query, oldest first. */
  stepTimes(): readonly number[] {
    return this.#steps;
  }

  /** True when evaluating many steps, where series-major batch evaluation pays. */
  get batching(): boolean {
    return this.#steps.length > 1;
  }

  /** A memo table private to one AST node (and a slot name), kept across the steps of a query. */
  cache<K, V>(node: Expr, slot = ''): Map<K, V> {
    let slots = this.#caches.get(node);
    if (!slots) {
      slots = new Map();
      this.#caches.set(node, slots);
    }
    let c = slots.get(slot);
    if (!c) {
      c = new Map();
      slots.set(slot, c);
    }
    return c as Map<K, V>;
  }

  /**
   * In a range query, the node's values at every step as columns, computed on first
   * use, when the node can be evaluated series by series (selectors, range functions
   * with literal arguments, aggregations of those); else null.
   */
  columns(expr: Expr): Column[] | null {
    if (!this.batching) return null;
    const cached = this.#columns.get(expr);
    if (cached !== undefined) return cached;
    let columns: Column[] | null = null;
    switch (expr.kind) {
      case 'vector': columns = batchInstant(this, expr); break;
      case 'paren': columns = this.columns(expr.expr); break;
      case 'call': columns = callColumns(this, expr); break;
      case 'aggregate': columns = aggregateColumns(this, expr); break;
      default: break;
    }
    this.#columns.set(expr, columns);
    return columns;
  }

  eval(expr: Expr, t: number): Value {
    if (this.batching && (expr.kind === 'vector' || expr.kind === 'call' || expr.kind === 'aggregate')) {
      const columns = this.columns(expr);
      if (columns) return { type: 'vector', samples: stepSamples(columns, Math.round((t - this.#options.startMs) / this.#options.stepMs)) };
    }
    switch (expr.kind) {
      case 'number': return { type: 'scalar', v: expr.value };
      case 'string': return { type: 'string', s: expr.value };
      case 'paren': return this.eval(expr.expr, t);
      case 'vector': return { type: 'vector', samples: this.instant(expr, t) };
      case 'matrix': return { type: 'matrix', windows: this.range(expr, t) };
      case 'unary': {
        const inner = this.eval(expr.expr, t);
        if (expr.op === '+') return inner;
        if (inner.type === 'scalar') return { type: 'scalar', v: -inner.v };
        if (inner.type !== 'vector') throw new LabError('LAB_PROMQL_EXECUTION', 'unary minus on a value that is not a scalar or an instant vector');
        const out = inner.samples.map((s) => ({ ref: s.ref.dropName(), v: -s.v }));
        assertUniqueLabels(out);
        return { type: 'vector', samples: out };
      }
      case 'call': return evalCall(this, expr, t);
      case 'aggregate': return evalAggregate(this, expr, t);
      case 'binary': return evalBinary(this, expr, t);
    }
  }

  /** Evaluates an argument that the parser has checked is a scalar. */
  scalar(expr: Expr, t: number): number {
    const v = this.eval(expr, t);
    return v.type === 'scalar' ? v.v : NaN;
  }

  vector(expr: Expr, t: number): InstantSample[] {
    const v = this.eval(expr, t);
    return v.type === 'vector' ? v.samples : [];
  }

  /** The selector's series over the whole query (fetched once). */
  fetch(selector: VectorSelector, lookbackMs: number): Fetched[] {
    let fetched = this.#fetched.get(selector);
    if (fetched) return fetched;
    const { startMs, endMs } = this.#options;
    const from = startMs - selector.offsetMs - lookbackMs;
    const to = endMs - selector.offsetMs;
    fetched = this.#source.select(selector.matchers, from, to).map((s) => ({
      ref: this.interner.intern(s.labels),
      ts: s.timestamps,
      vs: s.values,
    }));
    this.#fetched.set(selector, fetched);
    return fetched;
  }

  /** The latest sample of each series within the lookback delta before t - offset. */
  instant(selector: VectorSelector, t: number, sampleTimes = false): InstantSample[] {
    const lookback = this.#options.lookbackDeltaMs;
    const fetched = this.fetch(selector, lookback);
    const refTime = t - selector.offsetMs;
    const closed = this.#options.prometheus2;
    const out: InstantSample[] = [];
    for (const f of fetched) {
      const i = lastAtOrBefore(f.ts, refTime) ;
      if (i < 0) continue;
      const ts = f.ts[i]!;
      if (closed ? ts < refTime - lookback : ts <= refTime - lookback) continue;
      out.push({ ref: f.ref, v: sampleTimes ? ts / 1000 : f.vs[i]! });
    }
    return out;
  }

  /** The window of each series in (t - offset - range, t - offset] (closed on the left for Prometheus 2). */
  range(matrix: MatrixSelector, t: number): RangeWindow[] {
    const fetched = this.fetch(matrix.selector, matrix.rangeMs);
    const [start, end] = this.window(matrix, t);
    const closed = this.#options.prometheus2;
    const out: RangeWindow[] = [];
    for (const f of fetched) {
      const hi = lastAtOrBefore(f.ts, end) + 1;
      const lo = closed ? firstAtOrAfter(f.ts, start) : lastAtOrBefore(f.ts, start) + 1;
      if (hi > lo) out.push({ ref: f.ref, ts: f.ts, vs: f.vs, lo, hi, startMs: start, endMs: end, rangeMs: matrix.rangeMs, t });
    }
    return out;
  }

  /** The [start, end] milliseconds of a range selector's window at step t. */
  window(matrix: MatrixSelector, t: number): [number, number] {
    const end = t - matrix.selector.offsetMs;
    return [end - matrix.rangeMs, end];
  }
}

/** Index of the last timestamp <= t, or -1. */
function lastAtOrBefore(ts: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Index of the first timestamp >= t (ts.length when none). */
function firstAtOrAfter(ts: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Prometheus refuses a vector holding one label set twice (after `__name__` was dropped, say). */
export function assertUniqueLabels(samples: readonly InstantSample[]): void {
  if (samples.length < 2) return;
  const seen = new Set<SeriesRef>();
  for (const s of samples) {
    if (seen.has(s.ref)) {
      throw new LabError('LAB_PROMQL_EXECUTION', `vector cannot contain metrics with the same labelset: ${JSON.stringify(s.ref.labels)}`);
    }
    seen.add(s.ref);
  }
}
