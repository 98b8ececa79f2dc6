/** A RunSummary for the report tests: two tasks, a few seconds, a passed and a failed threshold. */
import type { LatencySummary, RunSummary } from '../../../src/load/types.js';

export function latency(p50: number, scale = 1): LatencySummary {
  return { count: 100, min: p50 / 4, mean: p50 * 1.1, p50, p90: p50 * 1.8 * scale, p95: p50 * 2 * scale, p99: p50 * 3 * scale, p999: p50 * 4 * scale, max: p50 * 5 * scale };
}

export function summary(overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    scenario: 'steady',
    target: 'http://127.0.0.1:8000',
    model: 'closed',
    startedAtMs: Date.UTC(2024, 4, 1, 10, 0, 0),
    durationMs: 3000,
    requests: 300,
    requestsPerSecond: 100,
    errors: { http_5xx: 3, timeout: 1 },
    errorRatio: 4 / 300,
    responseTime: latency(10),
    serviceTime: latency(8),
    tasks: [
      { name: 'menu', requests: 240, errors: { http_5xx: 2 }, responseTime: latency(9), serviceTime: latency(8) },
      { name: 'order', requests: 60, errors: { http_5xx: 1, timeout: 1 }, responseTime: latency(20), serviceTime: latency(18) },
    ],
    intervals: [
      { second: 1, users: 5, requests: 90, errors: {}, p50: 9, p95: 18, p99: 27 },
      { second: 2, users: 10, requests: 110, errors: { http_5xx: 3 }, p50: 10, p95: 20, p99: 30 },
      { second: 3, users: 10, requests: 100, errors: { timeout: 1 }, p50: 11, p95: 22, p99: 33 },
    ],
    thresholds: [
      { threshold: 'p(95)<250', metric: 'http_req_duration', passed: true, actual: 20 },
      { threshold: 'rate<0.01', metric: 'http_req_failed', passed: false, actual: 4 / 300 },
    ],
    interrupted: false,
    environment: { node: 'v20.0.0', os: 'Linux 6.1 x64', cpus: 2, workers: 1, cloudlabVersion: '0.1.0' },
    ...overrides,
  };
}
