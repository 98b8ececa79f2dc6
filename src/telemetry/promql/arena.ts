/**
 * Scratch typed arrays for one query at a time. Fresh multi-megabyte typed arrays
 * cost page faults on every query (several ms for a dashboard query in a VM); the
 * evaluator instead takes slices of buffers kept between queries and resets them
 * when the next query starts. Queries are synchronous, so two never share them.
 */
const INITIAL = 1 << 16;
/** Buffers past this many elements are not kept after the query that needed them. */
const KEEP_LIMIT = 1 << 23;

class Pool<T extends Float64Array | Uint8Array | Int32Array> {
  #buffer: T;
  #used = 0;
  readonly #make: (n: number) => T;

  constructor(make: (n: number) => T) {
    this.#make = make;
    this.#buffer = make(INITIAL);
  }

  reset(): void {
    this.#used = 0;
    if (this.#buffer.length > KEEP_LIMIT) this.#buffer = this.#make(INITIAL);
  }

  take(n: number): T {
    if (this.#used + n > this.#buffer.length) {
      // Slices handed out earlier keep the old buffer alive; new ones come from a bigger one.
      this.#buffer = this.#make(Math.max(this.#buffer.length * 2, n * 2));
      this.#used = 0;
    }
    const slice = this.#buffer.subarray(this.#used, this.#used + n) as T;
    this.#used += n;
    return slice;
  }
}

const f64 = new Pool((n) => new Float64Array(n));
const u8 = new Pool((n) => new Uint8Array(n));
const i32 = new Pool((n) => new Int32Array(n));

/** Starts a query: everything taken before may be handed out again. */
export function resetArena(): void {
  f64.reset();
  u8.reset();
  i32.reset();
}

/** n doubles, not zeroed. */
export function takeF64(n: number): Float64Array {
  return f64.take(n);
}

/** n bytes, zeroed. */
export function takeU8(n: number): Uint8Array {
  return u8.take(n).fill(0);
}

/** n 32-bit integers, not zeroed. */
export function takeI32(n: number): Int32Array {
  return i32.take(n);
}
