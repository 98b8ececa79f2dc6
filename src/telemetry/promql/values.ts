/**
 * The evaluator's values. Every label set met during one query is interned into a
 * SeriesRef, so that label sets compare by identity and everything derived from a
 * series (its key, its labels without `__name__`, its group in an aggregation) is
 * computed once per query rather than once per step.
 */
import type { Labels } from '../model.js';

/** The labels of a (frozen, long-lived) label set without `__name__`, so their key is cached too. */
const noNameCache = new WeakMap<object, Readonly<Labels>>();

export class SeriesRef {
  /** Dense per-query number, for array-indexed memo tables. */
  readonly id: number;
  readonly labels: Readonly<Labels>;
  readonly key: string;
  readonly #interner: Interner;
  #noName: SeriesRef | undefined;

  constructor(id: number, labels: Readonly<Labels>, key: string, interner: Interner) {
    this.id = id;
    this.labels = labels;
    this.key = key;
    this.#interner = interner;
  }

  get name(): string | undefined {
    return this.labels['__name__'];
  }

  /** The same series without `__name__`, as functions and arithmetic return it. */
  dropName(): SeriesRef {
    if (this.#noName) return this.#noName;
    if (this.labels['__name__'] === undefined) this.#noName = this;
    else {
      let rest = noNameCache.get(this.labels);
      if (!rest) {
        const others = { ...this.labels };
        delete others['__name__'];
        rest = Object.freeze(others);
        noNameCache.set(this.labels, rest);
      }
      this.#noName = this.#interner.intern(rest);
    }
    return this.#noName;
  }
}

const keyCache = new WeakMap<object, string>();

/**
 * A canonical key of a label set: its pairs sorted by name, empty values left out
 * (as Prometheus does). Cached per label object, so the store's (frozen, long-lived)
 * label sets are keyed once, not once per query.
 */
export function labelsKey(labels: Readonly<Labels>): string {
  const cached = keyCache.get(labels);
  if (cached !== undefined) return cached;
  const names = Object.keys(labels);
  // Insertion sort: label sets are small, and Array.prototype.sort allocates.
  for (let i = 1; i < names.length; i++) {
    const n = names[i]!;
    let j = i - 1;
    while (j >= 0 && names[j]! > n) {
      names[j + 1] = names[j]!;
      j--;
    }
    names[j + 1] = n;
  }
  let key = '';
  for (const n of names) {
    const v = labels[n]!;
    if (v === '') continue;
    // Names cannot hold the separators; a value that does is JSON-quoted behind a
    // \u0002 marker (which a raw value therefore never starts with).
    const quoted = v.includes('\u0000') || v.includes('\u0001') || v.includes('\u0002');
    key += `${n}\u0000${quoted ? `\u0002${JSON.stringify(v)}` : v}\u0001`;
  }
  if (Object.isFrozen(labels)) keyCache.set(labels, key);
  return key;
}

export class Interner {
  readonly #refs = new Map<string, SeriesRef>();

  intern(labels: Readonly<Labels>): SeriesRef {
    const key = labelsKey(labels);
    let ref = this.#refs.get(key);
    if (!ref) {
      let clean: Readonly<Labels> = labels;
      if (!Object.isFrozen(labels) || Object.values(labels).includes('')) {
        const copy: Labels = {};
        for (const n of Object.keys(labels).sort()) if (labels[n] !== '') copy[n] = labels[n]!;
        clean = Object.freeze(copy);
        keyCache.set(clean, key);
      }
      ref = new SeriesRef(this.#refs.size, clean, key, this);
      this.#refs.set(key, ref);
    }
    return ref;
  }
}

/** Label sets in Prometheus's order: pair by pair over the sorted names, then by length. */
export function compareLabels(a: Readonly<Labels>, b: Readonly<Labels>): number {
  const an = Object.keys(a).sort();
  const bn = Object.keys(b).sort();
  const n = Math.min(an.length, bn.length);
  for (let i = 0; i < n; i++) {
    const x = an[i]!;
    const y = bn[i]!;
    if (x !== y) return x < y ? -1 : 1;
    const xv = a[x]!;
    const yv = b[y]!;
    if (xv !== yv) return xv < yv ? -1 : 1;
  }
  return an.length - bn.length;
}

export interface InstantSample {
  ref: SeriesRef;
  v: number;
}

/** The samples of one series inside a range selector's window: ts/vs[lo..hi). */
export interface RangeWindow {
  ref: SeriesRef;
  ts: ArrayLike<number>;
  vs: ArrayLike<number>;
  lo: number;
  hi: number;
  /** The selector's window (startMs, endMs] at evaluation time t, and its length. */
  startMs: number;
  endMs: number;
  rangeMs: number;
  t: number;
  /** Set when the caller knows no value in the window drops (no counter reset to scan for). */
  noResets?: boolean;
}

export type Value =
  | { type: 'scalar'; v: number }
  | { type: 'string'; s: string }
  | { type: 'vector'; samples: InstantSample[] }
  | { type: 'matrix'; windows: RangeWindow[] };

/** Neumaier's compensated addition, as Prometheus's kahansum.Inc. */
export function kahanInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (!Number.isFinite(t) && !Number.isNaN(t)) return [t, 0];
  if (Math.abs(sum) >= Math.abs(inc)) return [t, c + (sum - t) + inc];
  return [t, c + (inc - t) + sum];
}
