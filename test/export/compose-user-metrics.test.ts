/**
 * Every service of a user config that exposes metrics gets a Prometheus scrape job and a
 * Grafana dashboard in the compose demo overlay: /metrics on its port as the lab's hub
 * expects, another port when it sets OTEL_EXPORTER_PROMETHEUS_PORT, none when it turns
 * the Prometheus exporter off.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/index.js';
import { createHub } from '../../src/telemetry/index.js';
import { exportModel, renderCompose, renderTerraform } from '../../src/export/index.js';
import { ROOT, file, tempDir } from './compose-helpers.js';
import { parseTerraform } from './terraform-check.js';

const CONFIG = `name: metrics-lab
services:
  api:
    command: ["node", "api.js"]
    ports: ["8000"]
  sidecar-metrics:
    command: ["node", "worker.js"]
    environment: { OTEL_EXPORTER_PROMETHEUS_PORT: "9464" }
  batch:
    command: ["node", "batch.js"]
    healthcheck: { disable: true }
    environment: { OTEL_METRICS_EXPORTER: none }
`;

interface ScrapeJob {
  job_name: string;
  metrics_path?: string;
  dns_sd_configs?: Array<{ names: string[]; port: number }>;
}

test('a user config: a scrape job and a dashboard per service that exposes metrics', async (t) => {
  const dir = await tempDir(t, 'user-metrics');
  await writeFile(join(dir, 'cloudlab.yaml'), CONFIG);
  const model = exportModel(await loadConfig({ cwd: dir, env: {} }), { packageRoot: ROOT });
  const files = renderCompose(model, { outDir: dir });

  const prometheus = parse(file(files, 'prometheus/prometheus.yml')) as { scrape_configs: ScrapeJob[] };
  const jobs = new Map(prometheus.scrape_configs.map((j) => [j.job_name, j]));
  assert.deepEqual([...jobs.keys()].sort(), ['api', 'prometheus', 'sidecar-metrics']);
  assert.equal(jobs.get('api')!.metrics_path, '/metrics');
  assert.deepEqual(jobs.get('api')!.dns_sd_configs, [{ names: ['api'], type: 'A', port: 8080, refresh_interval: '15s' }]);
  assert.equal(jobs.get('sidecar-metrics')!.dns_sd_configs![0]!.port, 9464, 'the OpenTelemetry Prometheus exporter port the service sets');

  const dashboards = files.filter((f) => f.path.startsWith('grafana/dashboards/')).map((f) => f.path).sort();
  assert.deepEqual(dashboards, ['grafana/dashboards/api.json', 'grafana/dashboards/sidecar-metrics.json']);
  const api = JSON.parse(file(files, 'grafana/dashboards/api.json')) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
  const exprs = api.panels.flatMap((p) => p.targets.map((q) => q.expr));
  assert.ok(exprs.every((e) => e.includes('job="api"')), 'every query selects the service\'s job');
  assert.ok(exprs.some((e) => e.includes('http_response_status_code=~"5.."')), 'an error panel');
  assert.ok(exprs.some((e) => e.startsWith('histogram_quantile(0.95')), 'a latency panel');
});

test("a user service's dashboard queries return its data from the lab's hub (requests, errors, latency)", async (t) => {
  const dir = await tempDir(t, 'user-metrics-hub');
  await writeFile(join(dir, 'cloudlab.yaml'), CONFIG);
  const files = renderCompose(exportModel(await loadConfig({ cwd: dir, env: {} }), { packageRoot: ROOT }), { outDir: dir });
  const dashboard = JSON.parse(file(files, 'grafana/dashboards/api.json')) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };

  const hub = createHub({ otlpHttpPort: 0, otlpGrpcPort: 0, queryPort: 0 });
  const addresses = await hub.listen();
  t.after(() => hub.close());
  // What the OpenTelemetry SDK's HTTP instrumentation of a user service named "api" exports:
  // the cumulative http.server.request.duration histogram, twice, 30 s apart.
  const nowMs = Date.now();
  const point = (atMs: number, status: string, count: number): unknown => ({
    startTimeUnixNano: String(BigInt(nowMs - 120_000) * 1_000_000n),
    timeUnixNano: String(BigInt(atMs) * 1_000_000n),
    count: String(count),
    sum: count * 0.02,
    explicitBounds: [0.01, 0.05, 0.1],
    bucketCounts: [String(count / 2), String(count / 2), '0', '0'],
    attributes: [{ key: 'http.route', value: { stringValue: '/items' } }, { key: 'http.response.status_code', value: { intValue: status } }],
  });
  const body = {
    resourceMetrics: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] },
      scopeMetrics: [{
        scope: { name: '@opentelemetry/instrumentation-http' },
        metrics: [{
          name: 'http.server.request.duration',
          unit: 's',
          histogram: { aggregationTemporality: 2, dataPoints: [point(nowMs - 30_000, '200', 40), point(nowMs - 30_000, '500', 4), point(nowMs, '200', 100), point(nowMs, '500', 10)] },
        }],
      }],
    }],
  };
  const res = await fetch(`${addresses.otlpHttp.url}/v1/metrics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(res.status, 200, await res.text());

  const value = async (expr: string): Promise<number[]> => {
    const url = new URL('/api/v1/query', addresses.query.url);
    url.searchParams.set('query', expr);
    url.searchParams.set('time', String(nowMs / 1000));
    const answer = (await (await fetch(url)).json()) as { status: string; data: { result: Array<{ value: [number, string] }> } };
    assert.equal(answer.status, 'success', expr);
    return answer.data.result.map((r) => Number(r.value[1]));
  };
  const panel = (title: string): string => dashboard.panels.find((p) => p.title === `api · ${title}`)!.targets[0]!.expr;
  const [rate] = await value(panel('requests/s by route'));
  assert.ok(rate !== undefined && rate > 0, `requests/s: ${rate}`);
  const [errors] = await value(panel('5xx ratio by route'));
  assert.ok(errors !== undefined && errors > 0 && errors < 1, `5xx ratio: ${errors}`);
  const [p95] = await value(panel('p95 latency by route'));
  assert.ok(p95 !== undefined && p95 > 0 && p95 <= 0.05, `p95: ${p95}`);
});

test('the same metrics endpoints reach the Terraform exports: the ECS sidecar and the EKS collector scrape what compose scrapes', async (t) => {
  const dir = await tempDir(t, 'user-metrics-tf');
  await writeFile(join(dir, 'cloudlab.yaml'), CONFIG);
  const model = exportModel(await loadConfig({ cwd: dir, env: {} }), { packageRoot: ROOT });
  const root = (await parseTerraform(renderTerraform(model))).get('')!;
  const svc = (name: string): Record<string, unknown> => root.modules.get(name)!;
  assert.equal(svc('service_api')['metrics_path'], '/metrics');
  assert.equal(svc('service_api')['metrics_port'], undefined, 'the container port');
  assert.equal(svc('service_sidecar_metrics')['metrics_port'], 9464);
  assert.equal(svc('service_batch')['metrics_path'], undefined);
  const adot = parse(file(renderTerraform(model, { compute: 'eks' }), 'adot-collector.yaml')) as { receivers: { prometheus: { config: { scrape_configs: Array<{ job_name: string; relabel_configs: Array<{ regex?: string }> }> } } } };
  const jobs = adot.receivers.prometheus.config.scrape_configs;
  assert.deepEqual(jobs.map((j) => j.job_name), ['api', 'sidecar-metrics']);
  assert.equal(jobs[1]!.relabel_configs[0]!.regex, '9464');
});
