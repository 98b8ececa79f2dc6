/**
 * `renderKubernetes` on a user's own config (fixtures/k8s-user: two services, `api` with
 * 3 replicas, a database, no cache): the same validations as the demo, plus what differs.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import { exportModel, renderKubernetes } from '../../src/export/index.js';
import { CUSTOM_API_VERSIONS, customResourceErrors, envByName, findObject, kustomizationErrors, parseYamlFiles, pick, pickList, referenceErrors, schemaErrors } from './k8s-check.js';
import { FIXTURES, compareSnapshot } from './k8s-snapshot.js';

const dir = join(FIXTURES, 'k8s-user');
const files = renderKubernetes(exportModel(await loadConfig({ cwd: dir, env: {} })));
const docs = parseYamlFiles(files);
const named = (kind: string, name: string): unknown => findObject(docs, kind, name);

test('every object passes the schemas and every reference resolves', async () => {
  for (const { file, index, object } of docs) {
    const errors = CUSTOM_API_VERSIONS.has(String(object['apiVersion'])) ? customResourceErrors(object) : await schemaErrors(object);
    assert.deepEqual(errors, [], `${file} document ${index}`);
  }
  assert.deepEqual(referenceErrors(docs), []);
  assert.deepEqual(kustomizationErrors(files, docs), []);
});

test('no cache: no Valkey StatefulSet, no cache URL anywhere', () => {
  assert.equal(files.some((f) => f.path === 'base/valkey.yaml'), false);
  const sets = docs.filter((d) => d.object['kind'] === 'StatefulSet').map((d) => pick(d.object, 'metadata.name'));
  assert.deepEqual(sets, ['postgres']);
  assert.equal(pick(named('ConfigMap', 'shop-config'), 'data.VALKEY_URL'), undefined);
  assert.doesNotMatch(files.map((f) => f.content).join('\n'), /VALKEY_URL|REDIS_URL/);
});

test('api: 3 replicas, an HPA from 3, probes on /ready with the configured timings, published through the Ingress', () => {
  const api = named('Deployment', 'api');
  assert.equal(pick(api, 'spec.replicas'), 3);
  const c = pick(api, 'spec.template.spec.containers.0');
  assert.equal(pick(c, 'image'), 'shop-api:latest');
  assert.deepEqual(pick(c, 'command'), ['node', 'dist/api.js']);
  assert.deepEqual(pick(c, 'readinessProbe'), { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 4 });
  const env = envByName(c);
  assert.equal(pick(env.get('WORKER_URL'), 'value'), 'http://worker:8080');
  assert.equal(pick(env.get('LOG_LEVEL'), 'value'), 'info');
  assert.equal(pick(env.get('DATABASE_URL'), 'value'), 'postgres://shop:$(CLOUDLAB_POSTGRES_PASSWORD)@postgres:5432/shop');
  // The user's own resource attributes come first; the pod's identity is added.
  assert.match(String(pick(env.get('OTEL_RESOURCE_ATTRIBUTES'), 'value')), /^team=checkout,service\.instance\.id=\$\(POD_NAME\),/);
  const hpa = named('HorizontalPodAutoscaler', 'api');
  assert.equal(pick(hpa, 'spec.minReplicas'), 3);
  assert.equal(pick(hpa, 'spec.maxReplicas'), 9);
  const ingress = named('Ingress', 'shop');
  assert.equal(pick(ingress, 'spec.defaultBackend.service.name'), 'api');
  assert.deepEqual(pickList(ingress, 'spec.rules').map((r) => pick(r, 'host')), ['api.shop.example.com']);
});

test('worker: internal (no Ingress rule), a TCP probe, its own port variable', () => {
  const c = pick(named('Deployment', 'worker'), 'spec.template.spec.containers.0');
  assert.deepEqual(pick(c, 'readinessProbe.tcpSocket'), { port: 'http' });
  const env = envByName(c);
  assert.equal(pick(env.get('WORKER_PORT'), 'value'), '8080');
  assert.equal(env.has('PORT'), false);
  assert.equal(pickList(named('Ingress', 'shop'), 'spec.rules').some((r) => String(pick(r, 'host')).startsWith('worker.')), false);
});

test('the files match the snapshot (CLOUDLAB_UPDATE_SNAPSHOTS=1 updates it)', () => {
  assert.deepEqual(compareSnapshot('k8s-user', files), { missing: [], extra: [], changed: [] });
});
