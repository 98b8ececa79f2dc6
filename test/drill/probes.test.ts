/**
 * Probes against real parts: http against a real HTTP server, promql against a real
 * hub (createHub, gauges pushed over OTLP/HTTP JSON, read back through its Prometheus
 * API). A probe that cannot run (refused, PromQL error, no data) is a failure with its
 * reason, never a throw. SQL probes run against embedded Postgres in sql.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { runProbe } from '../../src/drill/index.js';
import type { HttpProbe, Probe, PromqlProbe, ProbeTargets } from '../../src/drill/index.js';
import { startHub } from './helpers/hub.js';
import { startTarget } from './helpers/target.js';

const http = (over: Partial<HttpProbe>): HttpProbe => ({ kind: 'http', name: 'menu', url: null, path: '/menu', method: 'GET', status: 200, bodyIncludes: null, maxLatencyMs: null, noData: 'fail', ...over });
const promql = (query: string, over: Partial<PromqlProbe> = {}): PromqlProbe => ({ kind: 'promql', name: 'q', query, tolerance: { max: 0.5 }, noData: 'fail', ...over });

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('http probes: status, body and latency checked against a real server', async (t) => {
  const target = await startTarget(t);
  const targets: ProbeTargets = { edgeUrl: target.url, hubUrl: null, sql: null };
  const run = (p: Probe): ReturnType<typeof runProbe> => runProbe(p, 'before', targets);

  const ok = await run(http({ bodyIncludes: 'Espresso', maxLatencyMs: 5000 }));
  assert.equal(ok.ok, true, ok.reason ?? '');
  assert.match(String(ok.value), /^200 in \d+ ms$/);
  assert.equal(ok.tolerance, 'status 200, body includes "Espresso", <= 5000 ms');
  assert.equal(ok.phase, 'before');
  assert.equal(target.hits.get('/menu'), 1);

  const broken = await run(http({ path: '/broken' }));
  assert.equal(broken.ok, false);
  assert.equal(broken.reason, 'status 503, expected 200');

  const anyOk = await run(http({ path: '/broken', status: null }));
  assert.equal(anyOk.reason, 'status 503, expected 2xx');

  const body = await run(http({ bodyIncludes: 'Latte' }));
  assert.equal(body.reason, 'the body lacks "Latte"');

  target.slowMs = 60;
  const slow = await run(http({ path: '/slow', maxLatencyMs: 20 }));
  assert.equal(slow.ok, false);
  assert.match(slow.reason ?? '', /^\d+ ms, over 20 ms$/);

  const absolute = await run(http({ path: null, url: `${target.url}/menu` }));
  assert.equal(absolute.ok, true);
});

test('an http probe that cannot connect fails with the reason, and never throws', async (t) => {
  const port = await closedPort();
  const r = await runProbe(http({}), 'method', { edgeUrl: `http://127.0.0.1:${port}`, hubUrl: null, sql: null });
  assert.equal(r.ok, false);
  assert.equal(r.value, null);
  assert.match(r.reason ?? '', new RegExp(`^GET http://127\\.0\\.0\\.1:${port}/menu failed: .*ECONNREFUSED`));
  const noEdge = await runProbe(http({}), 'method', { edgeUrl: null, hubUrl: null, sql: null });
  assert.match(noEdge.reason ?? '', /no edge/);
  t.diagnostic(r.reason ?? '');
});

test('promql probes read a real hub: within, above, below, equals and every series', async (t) => {
  const hub = await startHub(t);
  await hub.push('drill_error_ratio', 0.02);
  await hub.push('drill_latency_seconds', 0.3, { route: '/menu' });
  await hub.push('drill_latency_seconds', 1.7, { route: '/orders' });
  const targets: ProbeTargets = { edgeUrl: null, hubUrl: hub.queryUrl, sql: null };

  const within = await runProbe(promql('drill_error_ratio', { tolerance: { max: 0.05 } }), 'before', targets);
  assert.deepEqual([within.ok, within.value, within.tolerance, within.reason], [true, 0.02, '<= 0.05', null]);

  const above = await runProbe(promql('drill_error_ratio', { tolerance: { max: 0.01 } }), 'before', targets);
  assert.deepEqual([above.ok, above.value, above.reason], [false, 0.02, '0.02 is above the maximum 0.01']);

  const below = await runProbe(promql('drill_error_ratio * 100', { tolerance: { min: 5 } }), 'before', targets);
  assert.deepEqual([below.ok, below.value, below.reason], [false, 2, '2 is below the minimum 5']);

  const equals = await runProbe(promql('count(drill_latency_seconds)', { tolerance: { equals: 2 } }), 'before', targets);
  assert.deepEqual([equals.ok, equals.value, equals.tolerance], [true, 2, '= 2']);

  const scalar = await runProbe(promql('scalar(drill_error_ratio)', { tolerance: { min: 0, max: 1 } }), 'before', targets);
  assert.deepEqual([scalar.ok, scalar.value, scalar.tolerance], [true, 0.02, 'between 0 and 1']);

  // Every series must hold: /orders is over.
  const series = await runProbe(promql('drill_latency_seconds', { tolerance: { max: 1 } }), 'method', targets);
  assert.equal(series.ok, false);
  assert.equal(series.value, 1.7);
  assert.match(series.reason ?? '', /route="\/orders".*1\.7 is above the maximum 1/);
});

test('promql probes that cannot run, and no data: fail by default, pass when the probe says so', async (t) => {
  const hub = await startHub(t);
  await hub.push('drill_zero', 0);
  const targets: ProbeTargets = { edgeUrl: null, hubUrl: hub.queryUrl, sql: null };

  const bad = await runProbe(promql('sum(rate(x[30s]'), 'method', targets);
  assert.equal(bad.ok, false);
  assert.match(bad.reason ?? '', /^PromQL error \(bad_data\): /);

  const none = await runProbe(promql('drill_never_pushed'), 'method', targets);
  assert.deepEqual([none.ok, none.value, none.reason], [false, null, 'no data: the query matched no series']);

  const nan = await runProbe(promql('drill_zero / drill_zero'), 'method', targets);
  assert.deepEqual([nan.ok, nan.reason], [false, 'no data: the query gives NaN (0/0, no traffic?)']);

  const pass = await runProbe(promql('drill_never_pushed', { noData: 'pass' }), 'method', targets);
  assert.deepEqual([pass.ok, pass.reason], [true, 'no data: the query matched no series (no_data: pass)']);

  const matrix = await runProbe(promql('drill_zero[1m]'), 'method', targets);
  assert.match(matrix.reason ?? '', /gives a matrix where a number or an instant vector was expected/);

  const port = await closedPort();
  const down = await runProbe(promql('up'), 'method', { edgeUrl: null, hubUrl: `http://127.0.0.1:${port}`, sql: null });
  assert.match(down.reason ?? '', /^the query API did not answer: .*ECONNREFUSED/);
});
