/** A journal as a run would write it, for report and listing tests. */
import type { Journal } from '../../../src/drill/index.js';

const T0 = Date.UTC(2025, 0, 15, 9, 30, 0);

export function fixtureJournal(over: Partial<Journal> = {}): Journal {
  const m0 = T0 + 1000;
  return {
    version: 1,
    id: 'database-outage-2025-01-15T09-30-00',
    drill: {
      name: 'database-outage',
      description: 'Postgres goes down for 30 s while customers order.\nNo acknowledged order may be lost.',
      file: '/work/examples/drills/database-outage.yaml',
      parameters: { outage: '30s', rate: 20 },
      hypothesis: [{ kind: 'http', name: 'menu answers', url: null, path: '/menu', method: 'GET', status: 200, bodyIncludes: 'Espresso', maxLatencyMs: 500, noData: 'fail' }],
      recoveryMs: 30_000,
      method: {
        load: { scenario: 'morning-rush', written: 'morning-rush', durationMs: 60_000, vus: 20, rate: null, record: true },
        faults: [{ scenario: 'postgres-outage', value: null, target: null, toxic: null, atMs: 10_000, durationMs: 30_000, instant: false }],
        probes: [{ probe: { kind: 'promql', name: 'orders fail fast', query: 'drill_p95_seconds', tolerance: { max: 1 }, noData: 'fail' }, allowedFailures: 0, fromMs: 12_000, untilMs: 40_000 }],
        probeIntervalMs: 2000,
        capacity: null,
        durationMs: 60_000,
      },
      stopConditions: [{ kind: 'promql', name: 'error ratio above 50%', query: 'drill_error_ratio', tolerance: { max: 0.5 }, noData: 'pass' }],
      rollbacks: [{ kind: 'chaos-reset' }],
      invariants: [{ kind: 'recorded-orders', name: 'every acknowledged order exists exactly once', check: { table: 'orders', keyColumn: 'idempotency_key', acknowledgedStatus: [200, 201] } }],
    },
    startedAtMs: T0,
    endedAtMs: m0 + 75_000,
    methodStartedAtMs: m0,
    methodEndedAtMs: m0 + 60_000,
    phases: [
      { name: 'before', startedAtMs: T0, endedAtMs: m0, status: 'passed', note: null },
      { name: 'method', startedAtMs: m0, endedAtMs: m0 + 60_000, status: 'done', note: null },
      { name: 'rollbacks', startedAtMs: m0 + 60_000, endedAtMs: m0 + 60_100, status: 'done', note: null },
      { name: 'after', startedAtMs: m0 + 60_100, endedAtMs: m0 + 70_000, status: 'passed', note: 'held after 9.9 s' },
      { name: 'invariants', startedAtMs: m0 + 70_000, endedAtMs: m0 + 75_000, status: 'failed', note: null },
    ],
    results: [
      { phase: 'before', name: 'menu answers', timeMs: T0 + 10, ok: true, value: '200 in 12 ms', tolerance: 'status 200, body includes "Espresso", <= 500 ms', reason: null },
      { phase: 'method', name: 'orders fail fast', timeMs: m0 + 12_000, ok: true, value: 0.4, tolerance: '<= 1', reason: null },
      { phase: 'method', name: 'orders fail fast', timeMs: m0 + 14_000, ok: false, value: 1.8, tolerance: '<= 1', reason: '1.8 is above the maximum 1' },
      { phase: 'stop', name: 'error ratio above 50%', timeMs: m0 + 14_000, ok: true, value: 0.2, tolerance: '<= 0.5', reason: null },
      { phase: 'after', name: 'menu answers', timeMs: m0 + 69_000, ok: true, value: '200 in 15 ms', tolerance: 'status 200, body includes "Espresso", <= 500 ms', reason: null },
    ],
    faults: [{ scenario: 'postgres-outage', value: null, target: null, atMs: 10_000, durationMs: 30_000, id: 'f1', detail: 'proxy postgres disabled', injectedAtMs: m0 + 10_100, removedAtMs: m0 + 40_100, removedBy: 'lab', error: null }],
    load: { summary: null, recordFile: '/tmp/orders.jsonl', error: 'the load could not run: target unreachable' },
    capacity: null,
    invariants: [{ name: 'every acknowledged order exists exactly once', ok: false, detail: '3 acknowledged orders missing: k1, k2, k3 (of 120 acknowledged)', value: 3, timeMs: m0 + 71_000 }],
    rollbacks: [{ action: 'chaos: reset', ok: true, detail: '0 active fault(s) removed', timeMs: m0 + 60_050 }],
    verdict: 'failed',
    reasons: ['during the method, orders fail fast failed 1 of 2 samples, 0 allowed (first at 14.0 s): 1.8 is above the maximum 1 (expected <= 1)', 'invariant "every acknowledged order exists exactly once" broken: 3 acknowledged orders missing: k1, k2, k3 (of 120 acknowledged)'],
    charts: {
      probes: [{ name: 'orders fail fast', query: 'drill_p95_seconds', tolerance: { max: 1 }, series: [{ labels: { route: '/orders' }, points: [[m0 + 12_000, 0.4], [m0 + 14_000, 1.8], [m0 + 16_000, 0.9]] }], error: null }],
      load: [{ timeMs: m0 + 1000, rps: 20, p95Ms: 40, errors: 0 }, { timeMs: m0 + 11_000, rps: 18, p95Ms: 900, errors: 5 }],
    },
    ...over,
  };
}
