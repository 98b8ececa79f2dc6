import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LabError } from '../../../src/errors.js';
import { evaluateThresholds, parseThreshold } from '../../../src/load/scenario/index.js';
import type { LatencySummary, RunSummary } from '../../../src/load/types.js';

function latency(p95: number): LatencySummary {
  return { count: 100, min: 1, mean: p95 / 2, p50: p95 / 3, p90: p95 - 10, p95, p99: p95 + 50, p999: p95 + 100, max: p95 + 200 };
}

// 1000 requests over 10s, 20 errors; menu is fast and clean, orders slow and failing, burst had arrivals dropped (not counted in requests).
const SUMMARY: RunSummary = {
  scenario: 'hand-made',
  target: 'http://h:1',
  model: 'closed',
  startedAtMs: 0,
  durationMs: 10_000,
  requests: 1000,
  requestsPerSecond: 100,
  errors: { http_5xx: 15, timeout: 5 },
  errorRatio: 0.02,
  responseTime: latency(240),
  serviceTime: latency(200),
  tasks: [
    { name: 'menu', requests: 900, errors: {}, responseTime: latency(100), serviceTime: latency(90) },
    { name: 'order', requests: 100, errors: { http_5xx: 15, timeout: 5 }, responseTime: latency(600), serviceTime: latency(500) },
    { name: 'burst', requests: 8, errors: { dropped: 2 }, responseTime: latency(10), serviceTime: latency(10) },
  ],
  intervals: [],
  thresholds: [],
  interrupted: false,
  environment: { node: 'v20', os: 'linux', cpus: 2, workers: 1, cloudlabVersion: '0.1.0' },
};

function verdicts(pairs: Array<[string, string]>): Array<[string, string, boolean, number]> {
  const thresholds = pairs.map(([key, expression]) => parseThreshold(key, expression));
  return evaluateThresholds(thresholds, SUMMARY).map((v) => [v.metric, v.threshold, v.passed, v.actual]);
}

test('latency thresholds read the response time, overall or by task', () => {
  assert.deepEqual(
    verdicts([
      ['http_req_duration', 'p(95)<250'],
      ['http_req_duration', 'p(95)<240'],
      ['http_req_duration', 'p(95)<=240'],
      ['http_req_duration', 'p(99) < 300'],
      ['http_req_duration', 'p(50)<100'],
      ['http_req_duration', 'p(90)>=230'],
      ['http_req_duration', 'p(99.9)<341'],
      ['http_req_duration', 'avg<120'],
      ['http_req_duration', 'med<80'],
      ['http_req_duration', 'min>0'],
      ['http_req_duration', 'max!=440'],
      ['http_req_duration{task:menu}', 'p(99)<400'],
      ['http_req_duration{task:order}', 'p(99)<400'],
    ]),
    [
      ['http_req_duration', 'p(95)<250', true, 240],
      ['http_req_duration', 'p(95)<240', false, 240],
      ['http_req_duration', 'p(95)<=240', true, 240],
      ['http_req_duration', 'p(99) < 300', true, 290],
      ['http_req_duration', 'p(50)<100', true, 80],
      ['http_req_duration', 'p(90)>=230', true, 230],
      ['http_req_duration', 'p(99.9)<341', true, 340],
      ['http_req_duration', 'avg<120', false, 120],
      ['http_req_duration', 'med<80', false, 80],
      ['http_req_duration', 'min>0', true, 1],
      ['http_req_duration', 'max!=440', false, 440],
      ['http_req_duration{task:menu}', 'p(99)<400', true, 150],
      ['http_req_duration{task:order}', 'p(99)<400', false, 650],
    ],
  );
});

test('error ratio and request thresholds, overall and by task; a task without requests counts as zeros', () => {
  assert.deepEqual(
    verdicts([
      ['http_req_failed', 'rate<0.01'],
      ['http_req_failed', 'rate<0.05'],
      ['http_req_failed{task:menu}', 'rate==0'],
      ['http_req_failed{task:order}', 'rate<0.1'],
      ['http_req_failed{task:burst}', 'rate<=0.2'],
      ['http_reqs', 'count>=1000'],
      ['http_reqs', 'rate>100'],
      ['http_reqs{task:order}', 'rate>=10'],
      ['http_reqs{task:order}', 'count==100'],
      ['http_reqs{task:missing}', 'count>0'],
      ['http_req_duration{task:missing}', 'p(95)<1'],
    ]),
    [
      ['http_req_failed', 'rate<0.01', false, 0.02],
      ['http_req_failed', 'rate<0.05', true, 0.02],
      ['http_req_failed{task:menu}', 'rate==0', true, 0],
      ['http_req_failed{task:order}', 'rate<0.1', false, 0.2],
      ['http_req_failed{task:burst}', 'rate<=0.2', true, 0.2],
      ['http_reqs', 'count>=1000', true, 1000],
      ['http_reqs', 'rate>100', false, 100],
      ['http_reqs{task:order}', 'rate>=10', true, 10],
      ['http_reqs{task:order}', 'count==100', true, 100],
      ['http_reqs{task:missing}', 'count>0', false, 0],
      ['http_req_duration{task:missing}', 'p(95)<1', true, 0],
    ],
  );
});

test('parseThreshold gives the k6 parts, and names the key of a bad one', () => {
  assert.deepEqual(parseThreshold('http_req_duration{task:menu}', ' p(99.9)>=1.5 '), {
    metric: 'http_req_duration',
    task: 'menu',
    expression: 'p(99.9)>=1.5',
    aggregate: 'p',
    percentile: 99.9,
    op: '>=',
    value: 1.5,
  });
  const bad: Array<[string, string, string]> = [
    ['http_req_durtion', 'p(95)<1', 'thresholds.http_req_durtion is not a known threshold metric, received "http_req_durtion"; fix: did you mean http_req_duration? write one of http_req_duration, http_req_failed, http_reqs, optionally with {task:<name>}'],
    ['http_req_failed', 'rate<<1', 'thresholds.http_req_failed[0] must be an expression such as rate<0.01, received "rate<<1"; fix: write rate<0.01'],
    ['http_reqs', 'avg<1', 'thresholds.http_reqs[0] uses avg, which http_reqs does not have, received "avg<1"; fix: write one of count>100, rate>100'],
  ];
  for (const [key, expression, message] of bad) {
    assert.throws(() => parseThreshold(key, expression), (error: unknown) => error instanceof LabError && error.code === 'LAB_LOAD_SCENARIO_INVALID' && error.message === message);
  }
  assert.throws(() => parseThreshold('http_reqs{task:x}', 'count>1', ['y']), { message: /names task "x", which is not among the tasks/ });
});
