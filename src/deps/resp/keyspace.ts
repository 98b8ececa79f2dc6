/**
 * The built-in cache's data: string values with optional expiry times (unix ms).
 * Expiry is lazy (a read of an expired key deletes it) plus a bounded sweep the
 * server runs periodically, as Redis's active expiry does. Keys are the latin1
 * decoding of their bytes, which maps every byte string to a distinct JS string.
 */

export type Clock = () => number;

export class Keyspace {
  readonly #values = new Map<string, Buffer>();
  readonly #expires = new Map<string, number>();
  readonly #clock: Clock;
  #sweepCursor: Iterator<[string, number]> | undefined;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  now(): number {
    return this.#clock();
  }

  /** Deletes `key` when its time has come; true when it is (still) there. */
  #alive(key: string, now: number): boolean {
    const at = this.#expires.get(key);
    if (at !== undefined && at <= now) {
      this.#values.delete(key);
      this.#expires.delete(key);
      return false;
    }
    return this.#values.has(key);
  }

  get(key: string, now = this.#clock()): Buffer | undefined {
    return this.#alive(key, now) ? this.#values.get(key) : undefined;
  }

  has(key: string, now = this.#clock()): boolean {
    return this.#alive(key, now);
  }

  /**
   * Stores `value`. `expireAt` is a unix time in ms, null to clear any expiry,
   * or 'keep' to keep the key's current one (KEEPTTL, INCR).
   */
  set(key: string, value: Buffer, expireAt: number | null | 'keep'): void {
    this.#values.set(key, value);
    if (expireAt === null) this.#expires.delete(key);
    else if (expireAt !== 'keep') this.#expires.set(key, expireAt);
  }

  delete(key: string, now = this.#clock()): boolean {
    if (!this.#alive(key, now)) return false;
    this.#values.delete(key);
    this.#expires.delete(key);
    return true;
  }

  /** The key's expiry time (unix ms), or undefined when it has none. The key must exist. */
  expireAt(key: string): number | undefined {
    return this.#expires.get(key);
  }

  setExpire(key: string, at: number): void {
    if (this.#values.has(key)) this.#expires.set(key, at);
  }

  /** Keys held, expired ones not yet removed included (as Redis's DBSIZE counts). */
  get size(): number {
    return this.#values.size;
  }

  get volatileCount(): number {
    return this.#expires.size;
  }

  /** Mean remaining time to live (ms) of the keys with an expiry, 0 when none. */
  averageTtlMs(now = this.#clock()): number {
    if (this.#expires.size === 0) return 0;
    let total = 0;
    for (const at of this.#expires.values()) total += Math.max(0, at - now);
    return Math.round(total / this.#expires.size);
  }

  clear(): void {
    this.#values.clear();
    this.#expires.clear();
    this.#sweepCursor = undefined;
  }

  /**
   * Looks at up to `budget` keys with an expiry, resuming where the last sweep
   * stopped, and deletes the expired ones. Returns how many it deleted.
   */
  sweep(budget: number, now = this.#clock()): number {
    let deleted = 0;
    let wrapped = false;
    for (let seen = 0; seen < budget && this.#expires.size > 0; seen++) {
      this.#sweepCursor ??= this.#expires.entries();
      const step = this.#sweepCursor.next();
      if (step.done === true) {
        this.#sweepCursor = undefined;
        if (wrapped) break;
        wrapped = true;
        continue;
      }
      const [key, at] = step.value;
      if (at <= now) {
        this.#values.delete(key);
        this.#expires.delete(key);
        deleted++;
      }
    }
    return deleted;
  }
}
