import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHub } from '../../../src/telemetry/index.js';
import { writeLabState } from '../../../src/control/state-file.js';
import type { RunSummary } from '../../../src/load/types.js';
import { httpTarget, load, tempDir } from './helpers.js';

test('inside a running lab, a built-in targets the edge, exports to the hub, marks the lab\'s charts and writes its report under .cloudlab/load', async (t) => {
  const [edge, dir] = await Promise.all([httpTarget(t), tempDir(t)]);
  // The control API is faked here (only POST /api/events, checking the token): the real
  // route is exercised by the lab's end-to-end tests.
  const events: Array<{ auth: string | undefined; body: { kind: string; action: string; detail: string } }> = [];
  const control = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8').on('data', (d: string) => (text += d)).on('end', () => {
      if (req.method === 'POST' && req.url === '/api/events') events.push({ auth: req.headers.authorization, body: JSON.parse(text) as { kind: string; action: string; detail: string } });
      res.writeHead(201, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  t.after(() => control.close());
  const controlUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}`;
  const hub = createHub({ otlpHttpPort: 0, otlpGrpcPort: 0, queryPort: 0 });
  const addresses = await hub.listen();
  t.after(() => hub.close());
  // This test process stands in for the lab: its pid is alive.
  await writeLabState(join(dir, '.cloudlab'), {
    pid: process.pid, name: 'test', startedAtMs: Date.now(), controlUrl, token: 't',
    urls: { 'cafe (edge)': edge, 'hub (OTLP/HTTP)': addresses.otlpHttp.url }, connections: { postgres: null, cache: null },
  });
  const run = load(t, dir, ['steady', '--vus', '2', '--duration', '1s']);
  assert.equal(await run.exited, 0, run.stderr());
  assert.match(run.stdout(), new RegExp(`against ${edge.replace(/\./g, '\\.')}, closed model.*metrics to ${addresses.otlpHttp.url.replace(/\./g, '\\.')}/v1/metrics`));
  const files = await readdir(join(dir, '.cloudlab', 'load'));
  const report = files.find((f) => /^report-.*\.json$/.test(f));
  assert.ok(report, `a report in .cloudlab/load: ${files.join(', ')}`);
  assert.ok(files.includes(report.replace(/\.json$/, '.html')));
  const summary = JSON.parse(await readFile(join(dir, '.cloudlab', 'load', report), 'utf8')) as RunSummary;
  assert.equal(summary.target, edge);
  assert.deepEqual(events.map((e) => [e.auth, e.body.kind, e.body.action]), [['Bearer t', 'load', 'start'], ['Bearer t', 'load', 'stop']]);
  assert.match(events[1]!.body.detail, new RegExp(`steady: ${summary.requests} requests`));
  const res = await fetch(`${addresses.query.url}/api/v1/query?${new URLSearchParams({ query: 'sum(cloudlab_load_requests_total{job="cloudlab-load"})' }).toString()}`);
  const body = (await res.json()) as { data: { result: Array<{ value: [number, string] }> } };
  assert.equal(Number(body.data.result[0]?.value[1]), summary.requests + (summary.errors.dropped ?? 0));
});
