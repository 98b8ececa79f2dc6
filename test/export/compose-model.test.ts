/** exportModel, the model the compose and Kubernetes exporters share. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { exportModel } from '../../src/export/index.js';
import { ROOT, USER_FIXTURE, tempDir } from './compose-helpers.js';

test('the cafe demo: one generated Dockerfile with a target per service, lab-only paths left out, the OTel toggle added', async (t) => {
  const cwd = await tempDir(t, 'model');
  const model = exportModel(await loadConfig({ cwd, env: {} }), { packageRoot: ROOT });
  assert.equal(model.project, 'cafe-demo');
  assert.equal(model.demo, true);
  const cafe = model.services.find((s) => s.name === 'cafe');
  assert.ok(cafe);
  assert.deepEqual(cafe.build, { context: join(ROOT, 'examples', 'cafe'), dockerfile: { kind: 'generated', path: 'cafe/Dockerfile' }, target: 'cafe' });
  assert.deepEqual(cafe.command, ['node', 'dist/src/cafe/main.js']);
  assert.equal(cafe.replicas, 2);
  assert.equal(cafe.healthPath, '/health');
  const env = new Map(cafe.environment.map((v) => [v.name, v.value]));
  assert.equal(env.has('CAFE_FLAGS_FILE'), false, 'a path into .cloudlab means nothing elsewhere');
  assert.deepEqual(env.get('OTEL_LOGS_EXPORTER'), { kind: 'literal', value: 'none' }, "the service's own environment is kept");
  assert.deepEqual(env.get('DATABASE_URL'), { kind: 'databaseUrl' });
  assert.deepEqual(env.get('PAYMENTS_URL'), { kind: 'serviceUrl', service: 'payments' });
  assert.deepEqual(env.get('OTEL_SDK_DISABLED'), { kind: 'otelDisabled' });
  assert.deepEqual(env.get('PORT'), { kind: 'literal', value: '8080' });
  assert.deepEqual(model.postgres, { name: 'postgres', image: 'postgres:17-alpine', port: 5432, database: 'cafe', user: 'cloudlab', passwordVariable: 'POSTGRES_PASSWORD' });
  assert.deepEqual(model.proxies.map((p) => [p.name, p.upstream, p.listenPort]), [['postgres', 'postgres', 5432], ['cache', 'valkey', 6379], ['payments', 'payments', 8081]]);
});

test("a user config: the service's cwd is the build context with its own Dockerfile, the command relative", async () => {
  const model = exportModel(await loadConfig({ cwd: USER_FIXTURE, file: 'cloudlab.yaml', env: {} }), { packageRoot: ROOT });
  assert.equal(model.project, 'shop-lab');
  assert.equal(model.demo, false);
  assert.equal(model.cache, null);
  const worker = model.services.find((s) => s.name === 'worker');
  assert.ok(worker);
  assert.deepEqual(worker.build, { context: join(USER_FIXTURE, 'worker'), dockerfile: { kind: 'user', path: 'Dockerfile' }, target: null });
  assert.deepEqual(worker.command, ['node', 'worker.mjs']);
  assert.equal(worker.metricsPath, '/metrics', 'every service is scraped on /metrics, as the lab\'s hub does');
  assert.equal(worker.metricsPort, 8080);
  assert.equal(worker.demo, false);
  const api = model.services.find((s) => s.name === 'api');
  assert.equal(api?.image, 'shop-lab-api');
  assert.equal(api?.healthPath, '/ready');
  assert.deepEqual(api?.publishedPorts, [8000]);
  assert.equal(api?.environment.some((v) => v.name === 'VALKEY_URL'), false);
});
