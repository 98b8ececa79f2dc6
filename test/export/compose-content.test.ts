/**
 * What the compose files say, checked against our own real parts: the dashboards'
 * queries against the lab's hub (its PromQL API), toxiproxy.json through our proxy's
 * config loader, and .env.example against every variable the compose files read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';
import { createHub } from '../../src/telemetry/index.js';
import { createToxiproxyServer, populateFromFile } from '../../src/proxy/index.js';
import { file, renderedTo, renderDefault, tempDir } from './compose-helpers.js';

interface Dashboard {
  title: string;
  panels: Array<{ title: string; targets: Array<{ expr: string; datasource: { uid: string } }> }>;
}

test('every Grafana dashboard query is one the hub answers (its PromQL API parses and runs it)', async (t) => {
  const hub = createHub({ otlpHttpPort: 0, otlpGrpcPort: 0, queryPort: 0 });
  const addresses = await hub.listen();
  t.after(() => hub.close());
  const dir = await tempDir(t, 'dash');
  const { files } = await renderDefault(dir, dir);
  const user = (await renderedTo(t, 'user')).files;
  const dashboards = files.filter((f) => f.path.startsWith('grafana/dashboards/'));
  assert.deepEqual(dashboards.map((f) => f.path).sort(), ['grafana/dashboards/cafe.json', 'grafana/dashboards/payments.json']);
  const userDashboards = user.filter((f) => f.path.startsWith('grafana/dashboards/'));
  assert.deepEqual(userDashboards.map((f) => f.path).sort(), ['grafana/dashboards/api.json', 'grafana/dashboards/worker.json'], 'a user config: one dashboard per service too');
  let queries = 0;
  for (const f of [...dashboards, ...userDashboards]) {
    const dashboard = JSON.parse(f.content) as Dashboard;
    for (const panel of dashboard.panels) {
      for (const target of panel.targets) {
        assert.equal(target.datasource.uid, 'prometheus');
        const url = new URL('/api/v1/query_range', addresses.query.url);
        url.searchParams.set('query', target.expr);
        url.searchParams.set('start', '1700000000');
        url.searchParams.set('end', '1700000600');
        url.searchParams.set('step', '15');
        const res = await fetch(url);
        const body = (await res.json()) as { status: string; error?: string };
        assert.equal(body.status, 'success', `${f.path} "${panel.title}": ${target.expr} -> ${body.error ?? ''}`);
        queries++;
      }
    }
  }
  const cafe = JSON.parse(file(files, 'grafana/dashboards/cafe.json')) as Dashboard;
  const titles = cafe.panels.map((p) => p.title);
  for (const expected of ['requests/s', '5xx ratio', 'p95 latency', 'cache hit ratio', 'database pool', 'circuit breakers']) {
    assert.ok(titles.some((title) => title.includes(expected)), `cafe dashboard has "${expected}"`);
  }
  const api = JSON.parse(file(user, 'grafana/dashboards/api.json')) as Dashboard;
  assert.deepEqual(api.panels.map((p) => p.title), ['api · requests/s by route', 'api · 5xx ratio by route', 'api · p50 latency by route', 'api · p95 latency by route', 'api · p99 latency by route'], "a user service: requests, errors and latency; no cafe-only metrics");
  assert.ok(queries >= 25, `all queries checked (${queries})`);
});

test('the provisioned data sources are Prometheus and Jaeger, with the uids the dashboards use', async (t) => {
  const dir = await tempDir(t, 'ds');
  const { files } = await renderDefault(dir, dir);
  const ds = file(files, 'grafana/provisioning/datasources/datasources.yml');
  assert.match(ds, /uid: prometheus\n\s+type: prometheus/);
  assert.match(ds, /uid: jaeger\n\s+type: jaeger/);
  assert.doesNotMatch(ds, /loki/i, 'logs: none');
});

test("toxiproxy.json loads in our proxy's config loader (Toxiproxy's own format)", async (t) => {
  const { outDir, model } = await renderedTo(t, 'default');
  const entries = JSON.parse(await readFile(join(outDir, 'toxiproxy.json'), 'utf8')) as Array<{ name: string; listen: string; upstream: string; enabled: boolean }>;
  assert.deepEqual(entries.map((e) => [e.name, e.listen, e.upstream]), [
    ['postgres', '0.0.0.0:5432', 'postgres:5432'],
    ['cache', '0.0.0.0:6379', 'valkey:6379'],
    ['payments', '0.0.0.0:8081', 'payments:8080'],
  ]);
  assert.equal(model.proxies.length, 3);
  // The only change before loading: listen on 127.0.0.1:0, since a test may not take fixed or public ports.
  const local = join(outDir, 'toxiproxy.local.json');
  await writeFile(local, JSON.stringify(entries.map((e) => ({ ...e, listen: '127.0.0.1:0' }))));
  const server = createToxiproxyServer({ port: 0 });
  await server.listen();
  t.after(() => server.close());
  const proxies = await populateFromFile(server.collection, local);
  assert.deepEqual(proxies.map((p) => [p.name, p.upstream, p.enabled]), entries.map((e) => [e.name, e.upstream, true]));
});

test('.env.example names every variable the compose files read, with placeholders, and no password is hard-coded', async (t) => {
  for (const which of ['default', 'user'] as const) {
    const { files } = await renderedTo(t, which);
    const env = file(files, '.env.example');
    const defined = new Set([...env.matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    const compose = file(files, 'docker-compose.yml') + file(files, 'docker-compose.demo.yml');
    const used = new Set([...compose.matchAll(/(?<!\$)\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]));
    assert.ok(used.size >= 4, `${which}: variables found (${[...used].join(', ')})`);
    for (const name of used) assert.ok(defined.has(name), `${which}: .env.example defines ${name}`);
    assert.match(env, /^OTEL_SDK_DISABLED=true$/m, 'tracing off by default');
    assert.match(env, /^POSTGRES_PASSWORD=change-me$/m);
    assert.doesNotMatch(compose, /POSTGRES_PASSWORD: (?!\$\{)/, 'the password is always a variable');
  }
});

test('the cafe Dockerfile is multi-stage, non-root, and builds both services from examples/cafe', async (t) => {
  const { files, model } = await renderedTo(t, 'default');
  const dockerfile = file(files, 'cafe/Dockerfile');
  assert.ok((dockerfile.match(/^FROM /gm) ?? []).length >= 4, 'several stages');
  assert.match(dockerfile, /^USER node$/m);
  assert.match(dockerfile, /^FROM runtime AS cafe\nCMD \["node", "dist\/src\/cafe\/main.js"\]$/m);
  assert.match(dockerfile, /^FROM runtime AS payments\nCMD \["node", "dist\/src\/payments\/main.js"\]$/m);
  assert.match(dockerfile, /npm install --omit=dev/);
  assert.match(dockerfile, /lockfile/, 'says why it is npm install and not npm ci');
  for (const service of model.services) assert.equal(service.image, `cafe-demo-${service.name}`);
  assert.match(file(files, 'cafe/Dockerfile.dockerignore'), /^node_modules$/m);
  assert.match(file(files, 'README.md'), /docker compose -f docker-compose.yml -f docker-compose.demo.yml up -d/);
});
