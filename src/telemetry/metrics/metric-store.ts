/**
 * The hub's bounded, in-memory metric store. Series are keyed by their sorted
 * label set (empty-valued labels dropped, as Prometheus does) and kept in an
 * inverted index; each series holds its samples in a SampleRing of at most
 * limits.maxSamplesPerSeries. Samples older than limits.retentionMs (by the
 * injected clock) go, and past limits.maxSeries the least recently written
 * series is evicted. stats() counts everything dropped.
 */
import type { Clock, Matcher, SeriesData, SeriesSource, StoreLimits } from '../contracts.js';
import { DEFAULT_LIMITS } from '../contracts.js';
import type { Labels, Sample } from '../model.js';
import { compileMatcher } from '../promql/index.js';
import { LabelIndex } from './label-index.js';
import { SampleRing } from './sample-ring.js';

export interface MetricStoreOptions {
  /** Only maxSeries, maxSamplesPerSeries and retentionMs are used here. */
  limits?: Partial<StoreLimits>;
  clock?: Clock;
  /** How often (by the clock) append() also sweeps expired samples from every series. Default 10 s. */
  pruneIntervalMs?: number;
}

export interface MetricStoreStats {
  series: number;
  samples: number;
  /** Samples accepted since the start. */
  appendedSamples: number;
  droppedSamples: {
    /** Older than the newest sample of their series. */
    outOfOrder: number;
    /** Same time as the newest sample of their series, with another value. */
    duplicate: number;
    /** Already older than the retention when they arrived. */
    tooOld: number;
    /** Aged out past the retention. */
    expired: number;
    /** Overwritten because their series held maxSamplesPerSeries. */
    overwritten: number;
    /** Held by series evicted for maxSeries. */
    evicted: number;
    /** Labels that are not strings, or times or values that are not numbers. */
    invalid: number;
  };
  droppedSeries: {
    /** Least recently written series removed to stay within maxSeries. */
    evicted: number;
    /** Series whose every sample aged out. */
    expired: number;
  };
}

interface StoredSeries {
  readonly key: string;
  readonly labels: Readonly<Labels>;
  readonly ring: SampleRing;
}

/** Canonical key and clean copy of a label set; null when a label is not a string. */
function canonical(labels: Labels): { key: string; labels: Readonly<Labels> } | null {
  const names = Object.keys(labels).sort();
  const clean: Labels = {};
  let key = '';
  for (const name of names) {
    const value = labels[name];
    if (typeof value !== 'string') return null;
    if (value === '') continue;
    clean[name] = value;
    key += `${JSON.stringify(name)}:${JSON.stringify(value)},`;
  }
  return { key, labels: Object.freeze(clean) };
}

export class MetricStore implements SeriesSource {
  readonly limits: Readonly<StoreLimits>;
  readonly #clock: Clock;
  readonly #pruneIntervalMs: number;
  /** In order of last write: the first entry is the least recently written. */
  readonly #series = new Map<string, StoredSeries>();
  readonly #index = new LabelIndex<StoredSeries>();
  #lastPruneMs = -Infinity;
  #samples = 0;
  #appended = 0;
  readonly #dropped = { outOfOrder: 0, duplicate: 0, tooOld: 0, expired: 0, overwritten: 0, evicted: 0, invalid: 0 };
  readonly #droppedSeries = { evicted: 0, expired: 0 };

  constructor(options: MetricStoreOptions = {}) {
    const limits = { ...DEFAULT_LIMITS, ...options.limits };
    limits.maxSeries = Math.max(1, Math.floor(limits.maxSeries));
    limits.maxSamplesPerSeries = Math.max(1, Math.floor(limits.maxSamplesPerSeries));
    this.limits = Object.freeze(limits);
    this.#clock = options.clock ?? Date.now;
    this.#pruneIntervalMs = options.pruneIntervalMs ?? 10_000;
  }

  /** Stores samples; returns how many were accepted. */
  append(samples: readonly Sample[]): number {
    const now = this.#clock();
    if (now - this.#lastPruneMs >= this.#pruneIntervalMs) this.prune();
    const horizon = now - this.limits.retentionMs;
    let accepted = 0;
    for (const sample of samples) {
      const { timeMs, value } = sample;
      if (typeof timeMs !== 'number' || !Number.isFinite(timeMs) || typeof value !== 'number') {
        this.#dropped.invalid++;
        continue;
      }
      if (timeMs < horizon) {
        this.#dropped.tooOld++;
        continue;
      }
      const series = this.#seriesFor(sample.labels);
      if (!series) {
        this.#dropped.invalid++;
        continue;
      }
      const ring = series.ring;
      const last = ring.lastTime;
      if (timeMs < last) {
        this.#dropped.outOfOrder++;
        continue;
      }
      if (timeMs === last) {
        const prev = ring.valueAt(ring.size - 1);
        if (prev !== value && !(Number.isNaN(prev) && Number.isNaN(value))) this.#dropped.duplicate++;
        continue;
      }
      if (ring.push(timeMs, value)) this.#dropped.overwritten++;
      else this.#samples++;
      // Move to the end of the map: the most recently written.
      this.#series.delete(series.key);
      this.#series.set(series.key, series);
      this.#appended++;
      accepted++;
    }
    return accepted;
  }

  #seriesFor(labels: Labels): StoredSeries | null {
    if (labels === null || typeof labels !== 'object') return null;
    const c = canonical(labels);
    if (!c) return null;
    let series = this.#series.get(c.key);
    if (series) return series;
    series = { key: c.key, labels: c.labels, ring: new SampleRing(this.limits.maxSamplesPerSeries) };
    this.#series.set(c.key, series);
    this.#index.add(series);
    while (this.#series.size > this.limits.maxSeries) {
      const oldest = this.#series.values().next().value as StoredSeries;
      this.#remove(oldest);
      this.#droppedSeries.evicted++;
      this.#dropped.evicted += oldest.ring.size;
    }
    return series;
  }

  #remove(series: StoredSeries): void {
    this.#series.delete(series.key);
    this.#index.remove(series);
    this.#samples -= series.ring.size;
  }

  /** Drops samples past the retention, and series left empty. append() calls it every pruneIntervalMs. */
  prune(): void {
    const now = this.#clock();
    this.#lastPruneMs = now;
    const horizon = now - this.limits.retentionMs;
    for (const series of [...this.#series.values()]) {
      if (series.ring.firstTime >= horizon) continue;
      const n = series.ring.dropBefore(horizon);
      this.#samples -= n;
      this.#dropped.expired += n;
      if (series.ring.size === 0) {
        this.#remove(series);
        this.#droppedSeries.expired++;
      }
    }
  }

  #matching(matchers: readonly Matcher[]): Iterable<StoredSeries> {
    const tests = matchers.map((m) => compileMatcher(m));
    const candidates = this.#index.candidates(matchers, tests) ?? this.#series.values();
    const out: StoredSeries[] = [];
    for (const series of candidates) {
      let ok = true;
      for (let i = 0; i < matchers.length; i++) {
        if (!tests[i]!(series.labels[matchers[i]!.name] ?? '')) {
          ok = false;
          break;
        }
      }
      if (ok) out.push(series);
    }
    return out;
  }

  /**
   * Series matching every matcher with their samples in [startMs, endMs] (and
   * within the retention). The arrays may be views of the store's buffers: read
   * them before the next append().
   */
  select(matchers: readonly Matcher[], startMs: number, endMs: number): SeriesData[] {
    const from = Math.max(startMs, this.#clock() - this.limits.retentionMs);
    const out: SeriesData[] = [];
    for (const series of this.#matching(matchers)) {
      const { timestamps, values } = series.ring.window(from, endMs);
      if (timestamps.length === 0) continue;
      out.push({ labels: series.labels, timestamps, values });
    }
    return out;
  }

  #withData(selectors: readonly (readonly Matcher[])[], startMs: number, endMs: number): Iterable<StoredSeries> {
    const from = Math.max(startMs, this.#clock() - this.limits.retentionMs);
    const pools = selectors.length === 0 ? [this.#series.values()] : selectors.map((m) => this.#matching(m));
    const seen = new Set<StoredSeries>();
    for (const pool of pools) {
      for (const series of pool) {
        if (series.ring.size > 0 && series.ring.lastTime >= from && series.ring.firstTime <= endMs) seen.add(series);
      }
    }
    return seen;
  }

  labelNames(selectors: readonly (readonly Matcher[])[], startMs: number, endMs: number): string[] {
    const names = new Set<string>();
    for (const series of this.#withData(selectors, startMs, endMs)) for (const n of Object.keys(series.labels)) names.add(n);
    return [...names].sort();
  }

  labelValues(name: string, selectors: readonly (readonly Matcher[])[], startMs: number, endMs: number): string[] {
    const values = new Set<string>();
    for (const series of this.#withData(selectors, startMs, endMs)) {
      const v = series.labels[name];
      if (v !== undefined) values.add(v);
    }
    return [...values].sort();
  }

  stats(): MetricStoreStats {
    return {
      series: this.#series.size,
      samples: this.#samples,
      appendedSamples: this.#appended,
      droppedSamples: { ...this.#dropped },
      droppedSeries: { ...this.#droppedSeries },
    };
  }
}

export function createMetricStore(options: MetricStoreOptions = {}): MetricStore {
  return new MetricStore(options);
}
