/**
 * An inverted index from label pairs to series, so that selectors with an
 * equality matcher, or a regex over a few values, touch only the series they name.
 */
import type { Matcher } from '../contracts.js';
import type { Labels } from '../model.js';

export interface Indexed {
  readonly labels: Readonly<Labels>;
}

export class LabelIndex<S extends Indexed> {
  readonly #postings = new Map<string, Map<string, Set<S>>>();

  add(series: S): void {
    for (const [name, value] of Object.entries(series.labels)) {
      let values = this.#postings.get(name);
      if (!values) {
        values = new Map();
        this.#postings.set(name, values);
      }
      let set = values.get(value);
      if (!set) {
        set = new Set();
        values.set(value, set);
      }
      set.add(series);
    }
  }

  remove(series: S): void {
    for (const [name, value] of Object.entries(series.labels)) {
      const values = this.#postings.get(name);
      const set = values?.get(value);
      if (!values || !set) continue;
      set.delete(series);
      if (set.size === 0) values.delete(value);
      if (values.size === 0) this.#postings.delete(name);
    }
  }

  names(): string[] {
    return [...this.#postings.keys()];
  }

  values(name: string): string[] {
    return [...(this.#postings.get(name)?.keys() ?? [])];
  }

  /** The series having label `name` with a value accepted by `test`. */
  matching(name: string, test: (value: string) => boolean): Set<S> {
    const values = this.#postings.get(name);
    const out = new Set<S>();
    if (!values) return out;
    for (const [value, set] of values) {
      if (!test(value)) continue;
      for (const s of set) out.add(s);
    }
    return out;
  }

  /**
   * A superset of the series matching all matchers, as small as the index can
   * make it: the smallest equality posting list, else the series whose values
   * pass one matcher that rejects the empty string; null when no matcher narrows
   * (the caller then scans every series).
   */
  candidates(matchers: readonly Matcher[], tests: readonly ((v: string) => boolean)[]): Set<S> | null {
    let best: Set<S> | null = null;
    for (const m of matchers) {
      if (m.type !== '=' || m.value === '') continue;
      const set = this.#postings.get(m.name)?.get(m.value) ?? new Set<S>();
      if (!best || set.size < best.size) best = set;
    }
    if (best) return best;
    for (let i = 0; i < matchers.length; i++) {
      const test = tests[i]!;
      if (test('')) continue;
      return this.matching(matchers[i]!.name, test);
    }
    return null;
  }
}
