/**
 * Scrapes Prometheus /metrics targets on their intervals into a TelemetrySink, as a
 * Prometheus scrape job with default settings does: `job` and `instance` labels
 * (exposed ones renamed `exported_job`/`exported_instance`, honor_labels: false),
 * exposed timestamps honoured (honor_timestamps: true), empty labels dropped, and the
 * report series `up`, `scrape_duration_seconds`, `scrape_samples_scraped`,
 * `scrape_samples_post_metric_relabeling` and `scrape_series_added` per scrape.
 *
 * Each target runs its own loop with its own timeout (an AbortSignal), so a slow or
 * failing target never delays another. A failed scrape is an expected outcome: it
 * writes `up 0` and is returned as `{ ok: false, error }`, never thrown.
 */
import { performance } from 'node:perf_hooks';
import type { Clock, TelemetrySink } from '../contracts.js';
import type { Labels, Sample } from '../model.js';
import { parseExposition } from './exposition.js';
import { ScrapeFailure, fetchExposition } from './fetch-exposition.js';
import type { ExposedSample, MetricMetadata } from './exposition.js';
import { resolveTargets } from './targets.js';
import type { ScrapeTarget, ScrapeTargetOptions } from './targets.js';

export const SCRAPER_USER_AGENT = 'cloudlab-scraper/0.1';
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface ScraperOptions {
  targets: readonly ScrapeTargetOptions[];
  sink: TelemetrySink;
  /** Sample times (ms) for samples without their own timestamp; default Date.now. */
  clock?: Clock;
  /** Per scrape; capped at each target's interval. Default 10 s, as Prometheus. */
  timeoutMs?: number;
  /** A larger body fails the scrape. Default 32 MiB. */
  maxBodyBytes?: number;
}

export type ScrapeResult =
  | { ok: true; target: ScrapeTarget; timeMs: number; durationSeconds: number; samples: number }
  | { ok: false; target: ScrapeTarget; timeMs: number; durationSeconds: number; error: string };

/** A target's state, as Prometheus's /api/v1/targets reports it. */
export interface ScrapeTargetHealth {
  url: string;
  job: string;
  instance: string;
  intervalMs: number;
  timeoutMs: number;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
  lastScrapeMs: number | undefined;
  lastDurationSeconds: number;
  lastSamples: number;
}

export interface Scraper {
  readonly targets: readonly ScrapeTarget[];
  /** Scrapes every target now, then on its interval. Calling it twice does nothing. */
  start(): void;
  /** Stops the loops and aborts scrapes in flight (which then write nothing); resolves when they have ended. */
  stop(): Promise<void>;
  /** One scrape of one target, written to the sink; also what the loops call. */
  scrapeOnce(target: ScrapeTarget): Promise<ScrapeResult>;
  health(): ScrapeTargetHealth[];
  /** HELP and TYPE of every metric family the targets exposed in their last good scrape. */
  metadata(): Map<string, MetricMetadata[]>;
}

interface TargetState {
  health: ScrapeTargetHealth;
  /** Series keys of the last good scrape, for scrape_series_added. */
  series: Set<string>;
  metadata: Map<string, MetricMetadata>;
  timer: NodeJS.Timeout | undefined;
}

class ScrapeAbortedError extends Error {}

function describeError(err: unknown, target: ScrapeTarget, signal: AbortSignal): string {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof ScrapeAbortedError) return reason.message;
    return `scrape timed out after ${target.timeoutMs}ms`;
  }
  return `Get ${JSON.stringify(target.url)}: ${err instanceof Error ? err.message : String(err)}`;
}

/** A series' identity, for counting new series. */
function seriesKey(labels: Labels): string {
  return JSON.stringify(Object.keys(labels).sort().map((k) => [k, labels[k]]));
}

function toSample(exposed: ExposedSample, target: ScrapeTarget, scrapeTimeMs: number): Sample {
  const labels: Labels = {};
  for (const [name, value] of Object.entries(exposed.labels)) {
    if (value === '') continue; // Prometheus: an empty label is no label
    let key = name;
    while (key === 'job' || key === 'instance' || key === '__name__' || (key !== name && key in labels)) key = `exported_${key}`;
    labels[key] = value;
  }
  labels['__name__'] = exposed.name;
  labels['job'] = target.job;
  labels['instance'] = target.instance;
  return { labels, timeMs: exposed.timestampMs ?? scrapeTimeMs, value: exposed.value };
}

export function createScraper(options: ScraperOptions): Scraper {
  const targets = Object.freeze(resolveTargets(options.targets, options.timeoutMs));
  const { sink } = options;
  const clock = options.clock ?? Date.now;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const states = new Map<ScrapeTarget, TargetState>();
  for (const target of targets) {
    states.set(target, {
      health: {
        url: target.url, job: target.job, instance: target.instance, intervalMs: target.intervalMs, timeoutMs: target.timeoutMs,
        health: 'unknown', lastError: '', lastScrapeMs: undefined, lastDurationSeconds: 0, lastSamples: 0,
      },
      series: new Set(),
      metadata: new Map(),
      timer: undefined,
    });
  }
  let running: AbortController | undefined;
  const inFlight = new Set<Promise<unknown>>();

  function stateOf(target: ScrapeTarget): TargetState {
    const state = states.get(target);
    if (!state) throw new TypeError(`scrapeOnce: ${JSON.stringify(target.url)} is not one of this scraper's targets (use scraper.targets[i])`);
    return state;
  }

  function fetchTarget(target: ScrapeTarget, signal: AbortSignal): Promise<string> {
    const headers: Record<string, string> = {
      'user-agent': SCRAPER_USER_AGENT,
      'x-prometheus-scrape-timeout-seconds': String(target.timeoutMs / 1000),
    };
    if (target.authorization !== undefined) headers['authorization'] = target.authorization;
    return fetchExposition(target.url, { headers, signal, maxBodyBytes });
  }

  async function scrapeOnce(target: ScrapeTarget): Promise<ScrapeResult> {
    const state = stateOf(target);
    const timeMs = clock();
    const started = performance.now();
    const signals = [AbortSignal.timeout(target.timeoutMs)];
    if (running) signals.push(running.signal);
    const signal = AbortSignal.any(signals);
    let samples: Sample[] = [];
    let error: string | undefined;
    let metadata: Map<string, MetricMetadata> | undefined;
    try {
      const text = await fetchTarget(target, signal);
      let exposition: ReturnType<typeof parseExposition>;
      try {
        exposition = parseExposition(text);
      } catch (err) {
        throw new ScrapeFailure((err as Error).message);
      }
      samples = exposition.samples.map((s) => toSample(s, target, timeMs));
      metadata = exposition.metadata;
    } catch (err) {
      if (signal.aborted && signal.reason instanceof ScrapeAbortedError) {
        return { ok: false, target, timeMs, durationSeconds: (performance.now() - started) / 1000, error: signal.reason.message };
      }
      error = err instanceof ScrapeFailure ? err.message : describeError(err, target, signal);
    }
    const durationSeconds = (performance.now() - started) / 1000;

    const keys = new Set(samples.map((s) => seriesKey(s.labels)));
    let added = 0;
    for (const key of keys) if (!state.series.has(key)) added++;
    const report = (name: string, value: number): Sample => ({ labels: { __name__: name, job: target.job, instance: target.instance }, timeMs, value });
    sink.addSamples([
      ...samples,
      report('up', error === undefined ? 1 : 0),
      report('scrape_duration_seconds', durationSeconds),
      report('scrape_samples_scraped', samples.length),
      report('scrape_samples_post_metric_relabeling', samples.length),
      report('scrape_series_added', added),
    ]);

    const health = state.health;
    health.lastScrapeMs = timeMs;
    health.lastDurationSeconds = durationSeconds;
    health.lastSamples = samples.length;
    if (error === undefined) {
      state.series = keys;
      if (metadata) state.metadata = metadata;
      health.health = 'up';
      health.lastError = '';
      return { ok: true, target, timeMs, durationSeconds, samples: samples.length };
    }
    health.health = 'down';
    health.lastError = error;
    return { ok: false, target, timeMs, durationSeconds, error };
  }

  function track<T>(promise: Promise<T>): Promise<T> {
    inFlight.add(promise);
    void promise.finally(() => inFlight.delete(promise)).catch(() => undefined);
    return promise;
  }

  function loop(target: ScrapeTarget, controller: AbortController): void {
    const state = stateOf(target);
    const startedAt = performance.now();
    const scrape = scrapeOnce(target).catch((err: unknown) => {
      // Only the sink can throw here; keep the loop alive and say why on the target.
      state.health.health = 'down';
      state.health.lastError = `storing samples failed: ${err instanceof Error ? err.message : String(err)}`;
    });
    void track(scrape).then(() => {
      if (controller.signal.aborted) return;
      // Fixed-rate, as Prometheus's ticker: the next scrape starts one interval after this one started.
      const delay = Math.max(0, startedAt + target.intervalMs - performance.now());
      state.timer = setTimeout(() => loop(target, controller), delay);
      state.timer.unref();
    });
  }

  return {
    targets,
    start() {
      if (running) return;
      const controller = new AbortController();
      running = controller;
      for (const target of targets) loop(target, controller);
    },
    async stop() {
      const controller = running;
      running = undefined;
      if (controller) controller.abort(new ScrapeAbortedError('scraper stopped'));
      for (const state of states.values()) {
        clearTimeout(state.timer);
        state.timer = undefined;
      }
      await Promise.allSettled([...inFlight]);
    },
    scrapeOnce: (target) => track(scrapeOnce(target)),
    health: () => targets.map((t) => ({ ...stateOf(t).health })),
    metadata() {
      const merged = new Map<string, MetricMetadata[]>();
      for (const state of states.values()) {
        for (const [name, meta] of state.metadata) {
          const list = merged.get(name) ?? [];
          if (!list.some((m) => m.type === meta.type && m.help === meta.help && m.unit === meta.unit)) list.push(meta);
          merged.set(name, list);
        }
      }
      return merged;
    },
  };
}
