/**
 * `renderKubernetes` on the built-in cafe demo: every file parses, every Kubernetes object
 * passes the official schemas, every reference resolves, the script is valid bash, and
 * the output matches its snapshot.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import { exportModel, renderKubernetes, type ExportFile } from '../../src/export/index.js';
import { CUSTOM_API_VERSIONS, customResourceErrors, envByName, findObject, kustomizationErrors, parseYamlFiles, pick, pickList, referenceErrors, schemaErrors, type ParsedDoc } from './k8s-check.js';
import { compareSnapshot } from './k8s-snapshot.js';

async function demoFiles(): Promise<ExportFile[]> {
  const cwd = mkdtempSync(join(tmpdir(), 'cloudlab-k8s-'));
  try {
    return renderKubernetes(exportModel(await loadConfig({ cwd, env: {} })));
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

const files = await demoFiles();
const docs = parseYamlFiles(files);

function content(path: string): string {
  const file = files.find((f) => f.path === path);
  assert.ok(file, `${path} is written`);
  return file.content;
}

function objectsOf(kind: string): ParsedDoc['object'][] {
  return docs.filter((d) => d.object['kind'] === kind).map((d) => d.object);
}

test('the layout: kind config, base, dev overlay, ArgoCD, the setup script, relative to the k8s output directory', () => {
  const paths = files.map((f) => f.path).sort();
  assert.deepEqual(paths, [
    'README.md',
    'argocd/application-dev.yaml',
    'base/configmap.yaml',
    'base/ingress.yaml',
    'base/kustomization.yaml',
    'base/namespace.yaml',
    'base/postgres.yaml',
    'base/secret.yaml',
    'base/services/cafe.yaml',
    'base/services/payments.yaml',
    'base/valkey.yaml',
    'kind-config.yaml',
    'overlays/dev/kustomization.yaml',
    'scripts/setup-kind.sh',
  ]);
});

test('every Kubernetes object passes the official OpenAPI schemas; custom resources have their required fields', async () => {
  const kinds = new Set<string>();
  for (const { file, index, object } of docs) {
    const apiVersion = String(object['apiVersion']);
    const errors = CUSTOM_API_VERSIONS.has(apiVersion) ? customResourceErrors(object) : await schemaErrors(object);
    assert.deepEqual(errors, [], `${file} document ${index} (${String(object['kind'])})`);
    kinds.add(`${apiVersion} ${String(object['kind'])}`);
  }
  assert.deepEqual([...kinds].sort(), [
    'apps/v1 Deployment',
    'apps/v1 StatefulSet',
    'argoproj.io/v1alpha1 Application',
    'autoscaling/v2 HorizontalPodAutoscaler',
    'kind.x-k8s.io/v1alpha4 Cluster',
    'kustomize.config.k8s.io/v1beta1 Kustomization',
    'networking.k8s.io/v1 Ingress',
    'v1 ConfigMap',
    'v1 Namespace',
    'v1 Secret',
    'v1 Service',
  ]);
});

test('selectors, HPA and Ingress targets, ConfigMap/Secret keys and kustomization resources all resolve', () => {
  assert.deepEqual(referenceErrors(docs), []);
  assert.deepEqual(kustomizationErrors(files, docs), []);
});

test('each service: replicas, probes on its health path, resources, the OTel variables, env from the ConfigMap and Secret', () => {
  const cafe = findObject(docs, 'Deployment', 'cafe');
  assert.equal(pick(cafe, 'spec.replicas'), 2);
  const c = pick(cafe, 'spec.template.spec.containers.0');
  assert.equal(pick(c, 'image'), 'cafe-demo-cafe:latest');
  assert.equal(pick(c, 'readinessProbe.httpGet.path'), '/health');
  assert.equal(pick(c, 'livenessProbe.httpGet.path'), '/health');
  assert.deepEqual(pick(c, 'resources.requests'), { cpu: '100m', memory: '128Mi' });
  const env = envByName(c);
  assert.equal(pick(env.get('OTEL_SERVICE_NAME'), 'value'), 'cafe');
  assert.equal(pick(env.get('OTEL_EXPORTER_OTLP_ENDPOINT'), 'valueFrom.configMapKeyRef.key'), 'OTEL_EXPORTER_OTLP_ENDPOINT');
  assert.match(String(pick(env.get('OTEL_RESOURCE_ATTRIBUTES'), 'value')), /service\.instance\.id=\$\(POD_NAME\)/);
  assert.equal(pick(env.get('VALKEY_URL'), 'valueFrom.configMapKeyRef.name'), 'cafe-demo-config');
  assert.equal(pick(env.get('PAYMENTS_URL'), 'value'), 'http://payments:8080');
  assert.equal(pick(env.get('CLOUDLAB_POSTGRES_PASSWORD'), 'valueFrom.secretKeyRef.name'), 'cafe-demo-secrets');
  assert.equal(pick(env.get('DATABASE_URL'), 'value'), 'postgres://cloudlab:$(CLOUDLAB_POSTGRES_PASSWORD)@postgres:5432/cafe');
  // $(VAR) is expanded only from entries listed earlier.
  const names = [...env.keys()];
  assert.ok(names.indexOf('CLOUDLAB_POSTGRES_PASSWORD') < names.indexOf('DATABASE_URL'));
  assert.ok(names.indexOf('POD_NAME') < names.indexOf('OTEL_RESOURCE_ATTRIBUTES'));
  // Lab-only paths (the flags file under .cloudlab) are not exported.
  assert.equal(env.has('CAFE_FLAGS_FILE'), false);
  const hpa = findObject(docs, 'HorizontalPodAutoscaler', 'cafe');
  assert.equal(pick(hpa, 'spec.minReplicas'), 2);
  assert.equal(pick(hpa, 'spec.metrics.0.resource.name'), 'cpu');
});

test('the Secret is a template: placeholder values only, marked as such', () => {
  const secret = findObject(docs, 'Secret', 'cafe-demo-secrets');
  assert.deepEqual(pick(secret, 'stringData'), { POSTGRES_PASSWORD: 'CHANGE_ME' });
  const annotations = pick(secret, 'metadata.annotations') as Record<string, string>;
  assert.match(annotations['cloudlab.dev/fill-in'] ?? '', /TEMPLATE/);
  assert.match(content('base/secret.yaml'), /^# TEMPLATE: every value here is a placeholder/m);
  // The lab's own local password never leaves the lab.
  assert.doesNotMatch(files.map((f) => f.content).join('\n'), /password: cloudlab|:cloudlab@/);
});

test('Postgres and Valkey run as StatefulSets with a headless Service and a volumeClaimTemplate', () => {
  const sets = objectsOf('StatefulSet');
  assert.deepEqual(sets.map((s) => pick(s, 'metadata.name')).sort(), ['postgres', 'valkey']);
  for (const s of sets) assert.equal(pick(s, 'spec.volumeClaimTemplates.0.metadata.name'), 'data');
  const headless = objectsOf('Service').filter((s) => pick(s, 'spec.clusterIP') === 'None').map((s) => pick(s, 'metadata.name'));
  assert.deepEqual(headless.sort(), ['postgres', 'valkey']);
});

test('ingress-nginx routes to the published service only; kind maps 80 and 443; ArgoCD syncs the overlay', () => {
  const [ingress] = objectsOf('Ingress');
  assert.equal(pick(ingress, 'spec.ingressClassName'), 'nginx');
  assert.equal(pick(ingress, 'spec.defaultBackend.service.name'), 'cafe');
  assert.deepEqual(pickList(ingress, 'spec.rules').map((r) => pick(r, 'http.paths.0.backend.service.name')), ['cafe']);
  const [cluster] = objectsOf('Cluster');
  assert.deepEqual(pickList(cluster, 'nodes.0.extraPortMappings').map((m) => [pick(m, 'containerPort'), pick(m, 'hostPort')]), [[80, 80], [443, 443]]);
  const [app] = objectsOf('Application');
  assert.equal(pick(app, 'spec.source.path'), 'deploy/k8s/overlays/dev');
  assert.equal(pick(app, 'spec.source.repoURL'), 'https://github.com/YOUR-ORG/YOUR-REPO.git');
  assert.equal(pick(app, 'spec.destination.namespace'), 'cafe-demo');
});

test('setup-kind.sh is valid bash with set -euo pipefail, and loads every image', (t) => {
  const script = content('scripts/setup-kind.sh');
  assert.match(script, /^#!\/usr\/bin\/env bash\n/);
  assert.match(script, /^set -euo pipefail$/m);
  assert.match(script, /kind create cluster --name "\$CLUSTER" --config kind-config\.yaml/);
  assert.match(script, /kubectl --context "\$CONTEXT" apply -k overlays\/dev/);
  assert.match(script, /IMAGES=\('cafe-demo-payments:latest' 'cafe-demo-cafe:latest'\)/);
  const dir = mkdtempSync(join(tmpdir(), 'cloudlab-k8s-sh-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'setup-kind.sh');
  writeFileSync(path, script);
  const result = spawnSync('bash', ['-n', path], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.match(content('README.md'), /chmod \+x scripts\/setup-kind\.sh/);
});

test('no file carries a path of this machine (the state directory, the working directory, the temp dir)', () => {
  const all = files.map((f) => f.content).join('\n');
  for (const local of [process.cwd(), tmpdir(), '.cloudlab']) assert.equal(all.includes(local), false, local);
});

test('the files match the snapshot (CLOUDLAB_UPDATE_SNAPSHOTS=1 updates it)', () => {
  assert.deepEqual(compareSnapshot('default', files), { missing: [], extra: [], changed: [] });
});
