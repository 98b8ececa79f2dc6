/**
 * The samples of one series: parallel Float64Arrays (times in ms, values) used as a
 * ring that grows by doubling up to `capacity`, then overwrites its oldest sample.
 * Samples are appended in time order (the store refuses out-of-order ones), so the
 * ring is always sorted and windows are found by binary search.
 */
const INITIAL_CAPACITY = 16;

export interface RingWindow {
  timestamps: Float64Array;
  values: Float64Array;
}

export class SampleRing {
  readonly capacity: number;
  #ts: Float64Array;
  #vs: Float64Array;
  #start = 0;
  #size = 0;

  constructor(capacity: number) {
    this.capacity = Math.max(1, Math.floor(capacity));
    const initial = Math.min(INITIAL_CAPACITY, this.capacity);
    this.#ts = new Float64Array(initial);
    this.#vs = new Float64Array(initial);
  }

  get size(): number {
    return this.#size;
  }

  /** Time of the i-th oldest sample. */
  timeAt(i: number): number {
    return this.#ts[(this.#start + i) % this.#ts.length]!;
  }

  valueAt(i: number): number {
    return this.#vs[(this.#start + i) % this.#vs.length]!;
  }

  get lastTime(): number {
    return this.#size === 0 ? -Infinity : this.timeAt(this.#size - 1);
  }

  get firstTime(): number {
    return this.#size === 0 ? Infinity : this.timeAt(0);
  }

  /** Appends a sample; returns true when the oldest sample was overwritten to make room. */
  push(timeMs: number, value: number): boolean {
    if (this.#size === this.#ts.length && this.#ts.length < this.capacity) this.#grow();
    const len = this.#ts.length;
    if (this.#size === len) {
      this.#ts[this.#start] = timeMs;
      this.#vs[this.#start] = value;
      this.#start = (this.#start + 1) % len;
      return true;
    }
    const at = (this.#start + this.#size) % len;
    this.#ts[at] = timeMs;
    this.#vs[at] = value;
    this.#size++;
    return false;
  }

  /** Replaces the value of the newest sample. */
  setLastValue(value: number): void {
    if (this.#size > 0) this.#vs[(this.#start + this.#size - 1) % this.#vs.length] = value;
  }

  /** Drops samples older than minTimeMs; returns how many. */
  dropBefore(minTimeMs: number): number {
    const n = this.#lowerBound(minTimeMs);
    if (n > 0) {
      this.#start = (this.#start + n) % this.#ts.length;
      this.#size -= n;
    }
    return n;
  }

  /** The samples with startMs <= time <= endMs, contiguous (a view when they do not wrap, else a copy). */
  window(startMs: number, endMs: number): RingWindow {
    const lo = this.#lowerBound(startMs);
    const hi = this.#lowerBound(endMs, true);
    const n = Math.max(0, hi - lo);
    const len = this.#ts.length;
    const from = (this.#start + lo) % len;
    if (from + n <= len) {
      return { timestamps: this.#ts.subarray(from, from + n), values: this.#vs.subarray(from, from + n) };
    }
    const timestamps = new Float64Array(n);
    const values = new Float64Array(n);
    const first = len - from;
    timestamps.set(this.#ts.subarray(from, len));
    timestamps.set(this.#ts.subarray(0, n - first), first);
    values.set(this.#vs.subarray(from, len));
    values.set(this.#vs.subarray(0, n - first), first);
    return { timestamps, values };
  }

  /** Number of samples before time t (or at or before it, when inclusive). */
  #lowerBound(t: number, inclusive = false): number {
    let lo = 0;
    let hi = this.#size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const x = this.timeAt(mid);
      if (x < t || (inclusive && x === t)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #grow(): void {
    const next = Math.min(this.capacity, this.#ts.length * 2);
    const ts = new Float64Array(next);
    const vs = new Float64Array(next);
    for (let i = 0; i < this.#size; i++) {
      ts[i] = this.timeAt(i);
      vs[i] = this.valueAt(i);
    }
    this.#ts = ts;
    this.#vs = vs;
    this.#start = 0;
  }
}
