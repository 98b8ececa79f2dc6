/**
 * The Prometheus scraper: pulls the text exposition format from configured targets
 * on their intervals into a TelemetrySink, with `job`/`instance` labels and an `up`
 * series per target, as a Prometheus scrape job with default settings.
 */
export { createScraper, SCRAPER_USER_AGENT, DEFAULT_MAX_BODY_BYTES } from './scraper.js';
export type { Scraper, ScraperOptions, ScrapeResult, ScrapeTargetHealth } from './scraper.js';
export { resolveTargets, DEFAULT_JOB, DEFAULT_SCRAPE_TIMEOUT_MS } from './targets.js';
export type { ScrapeTarget, ScrapeTargetOptions } from './targets.js';
export { parseExposition, parseSampleValue } from './exposition.js';
export type { Exposition, ExposedSample, MetricMetadata } from './exposition.js';
