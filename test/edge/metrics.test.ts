/**
 * The edge's metrics through a real exposition parser (parse-prometheus-text-format),
 * with counts checked against the requests sent and durations from an injected clock.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { DURATION_BUCKETS_SECONDS } from '../../src/edge/index.js';
import { TEST_TIMEOUT_MS, request, startBackend, startEdge } from './edge-lab.js';

type Families = ReturnType<typeof parsePrometheusTextFormat>;

/** name -> [labels, value] for every plain sample of a family. */
function samples(families: Families, name: string): Array<[Record<string, string>, number]> {
  const family = families.find((f) => f.name === name);
  assert.ok(family, `family ${name} is exposed`);
  return family.metrics.map((m) => [m.labels ?? {}, Number(m.value)]);
}

test('metrics count requests by backend and code, time them, and report up, in flight, retries and no-backend', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  let now = 0;
  const a = await startBackend(t, 'cafe-1');
  const b = await startBackend(t, 'cafe-2');
  let duringSlow = '';
  const edge = await startEdge(t, [a, b], { clock: () => now });
  b.handler = (req, res) => {
    if (req.url === '/slow') {
      duringSlow = edge.metrics();
      now += 300;
    }
    b.echo(req, res);
  };

  for (let i = 0; i < 4; i++) assert.equal((await request(edge.port)).status, 200);
  assert.equal((await request(edge.port, { path: '/missing' })).status, 404);
  assert.equal((await request(edge.port, { path: '/slow' })).status, 200);
  edge.markDown('cafe-1');
  edge.markDown('cafe-2');
  assert.equal((await request(edge.port)).status, 503);

  const text = edge.metrics();
  const families = parsePrometheusTextFormat(text);
  assert.deepEqual(
    families.map((f) => `${f.name} ${f.type}`),
    [
      'cloudlab_edge_requests_total COUNTER',
      'cloudlab_edge_request_duration_seconds HISTOGRAM',
      'cloudlab_edge_backend_up GAUGE',
      'cloudlab_edge_backend_failures_total COUNTER',
      'cloudlab_edge_in_flight GAUGE',
      'cloudlab_edge_retries_total COUNTER',
      'cloudlab_edge_no_backend_total COUNTER',
    ],
  );
  assert.ok(families.every((f) => f.help.length > 0), 'every family has HELP');
  assert.deepEqual(samples(families, 'cloudlab_edge_requests_total'), [
    [{ service: 'cafe', backend: 'cafe-1', code: '200' }, 2],
    [{ service: 'cafe', backend: 'cafe-1', code: '404' }, 1],
    [{ service: 'cafe', backend: 'cafe-2', code: '200' }, 3],
    [{ service: 'cafe', backend: 'none', code: '503' }, 1],
  ]);
  assert.deepEqual(samples(families, 'cloudlab_edge_backend_up'), [
    [{ service: 'cafe', backend: 'cafe-1' }, 0],
    [{ service: 'cafe', backend: 'cafe-2' }, 0],
  ]);
  assert.deepEqual(samples(families, 'cloudlab_edge_in_flight'), [[{ service: 'cafe' }, 0]]);
  assert.deepEqual(samples(families, 'cloudlab_edge_retries_total'), [[{ service: 'cafe' }, 0]]);
  assert.deepEqual(samples(families, 'cloudlab_edge_no_backend_total'), [[{ service: 'cafe' }, 1]]);

  // The library folds a labelled histogram into one entry and drops _sum/_count (its issue #13): buckets from it, the rest from the lines.
  const histogram = families.find((f) => f.name === 'cloudlab_edge_request_duration_seconds')?.metrics[0]?.buckets ?? {};
  const expected: Record<string, string> = Object.fromEntries([
    ...DURATION_BUCKETS_SECONDS.map((le): [string, string] => [String(le), le < 0.3 ? '6' : '7']),
    ['+Inf', '7'],
  ]);
  assert.deepEqual(histogram, expected, 'six instant requests, one of 0.3 s');
  assert.match(text, /^cloudlab_edge_request_duration_seconds_count\{service="cafe"\} 7$/m);
  assert.match(text, /^cloudlab_edge_request_duration_seconds_sum\{service="cafe"\} 0\.3$/m);
  assert.match(text, /^cloudlab_edge_request_duration_seconds_bucket\{service="cafe",le="0\.25"\} 6$/m);

  const during = parsePrometheusTextFormat(duringSlow);
  assert.deepEqual(samples(during, 'cloudlab_edge_in_flight'), [[{ service: 'cafe' }, 1]], 'the request at the backend is in flight');
});

test('label values are escaped so a parser reads them back', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const a = await startBackend(t, 'cafe "blue"\\1');
  const name = 'shop\\"x"\n';
  const edge = await startEdge(t, [a], { name });
  assert.equal((await request(edge.port)).status, 200);
  const families = parsePrometheusTextFormat(edge.metrics());
  assert.deepEqual(samples(families, 'cloudlab_edge_requests_total'), [[{ service: name, backend: 'cafe "blue"\\1', code: '200' }, 1]]);
});
