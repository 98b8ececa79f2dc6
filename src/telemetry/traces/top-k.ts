/**
 * The k largest items of a stream by a numeric key, largest first, in O(n log k)
 * without sorting the whole stream: what a "newest first, at most `limit`" search
 * needs when most of the store matches.
 */
export class TopK<T> {
  readonly #k: number;
  readonly #key: (item: T) => number;
  /** Largest key first; ties keep the order in which items were offered. */
  readonly #items: T[] = [];
  readonly #keys: number[] = [];

  constructor(k: number, key: (item: T) => number) {
    this.#k = Math.max(0, k);
    this.#key = key;
  }

  offer(item: T): void {
    const key = this.#key(item);
    const keys = this.#keys;
    if (keys.length === this.#k && (this.#k === 0 || key <= (keys[keys.length - 1] ?? -Infinity))) return;
    // First position whose key is smaller than this one: after every equal key.
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((keys[mid] ?? -Infinity) >= key) lo = mid + 1;
      else hi = mid;
    }
    keys.splice(lo, 0, key);
    this.#items.splice(lo, 0, item);
    if (keys.length > this.#k) {
      keys.pop();
      this.#items.pop();
    }
  }

  /** The items kept, largest key first. */
  items(): T[] {
    return this.#items.slice();
  }
}
