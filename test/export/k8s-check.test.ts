/** The k8s checks themselves catch what they claim to: broken objects are reported, not waved through. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { customResourceErrors, kustomizationErrors, parseYamlFiles, referenceErrors, schemaErrors } from './k8s-check.js';

const pod = { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'a', image: 'a:1', ports: [{ name: 'http', containerPort: 80 }] }] } };
const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a' }, spec: { selector: { matchLabels: { app: 'a' } }, template: pod } };

test('the schema check accepts a valid object and rejects a wrong type, a missing field and an unknown kind', async () => {
  assert.deepEqual(await schemaErrors(deployment), []);
  const badType = { ...deployment, spec: { ...deployment.spec, replicas: 'three' } };
  assert.match((await schemaErrors(badType)).join(), /replicas must be integer/);
  const missing = { ...deployment, spec: { template: pod } };
  assert.match((await schemaErrors(missing)).join(), /selector/);
  assert.match((await schemaErrors({ apiVersion: 'apps/v1', kind: 'Deploymnt' })).join(), /has no kind Deploymnt/);
  assert.match((await schemaErrors({ apiVersion: 'nope/v9', kind: 'X' })).join(), /not a Kubernetes API group/);
});

test('the reference check reports a Service selecting nothing, a missing HPA target, a missing ConfigMap key and a duplicate object', () => {
  const container = { ...pod.spec.containers[0], env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'NOPE' } } }] };
  const withEnv = { ...deployment, spec: { ...deployment.spec, template: { ...pod, spec: { containers: [container] } } } };
  const docs = parseYamlFiles([
    {
      path: 'all.yaml',
      content: [
        JSON.stringify(withEnv),
        JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { YES: '1' } }),
        JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: {} }),
        JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: { app: 'b' }, ports: [{ port: 80 }] } }),
        JSON.stringify({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gone' }, maxReplicas: 2 } }),
      ].join('\n---\n'),
    },
  ]);
  const errors = referenceErrors(docs).join('\n');
  assert.match(errors, /Service s: selector .* matches no Deployment/);
  assert.match(errors, /HorizontalPodAutoscaler h: scaleTargetRef .* names no object/);
  assert.match(errors, /ConfigMap cfg has no key NOPE/);
  assert.match(errors, /v1 ConfigMap cfg: defined twice/);
});

test('the kustomization check reports an unlisted file and a listed file that does not exist', () => {
  const files = [
    { path: 'k8s/base/kustomization.yaml', content: 'resources: [a.yaml, missing.yaml]\n' },
    { path: 'k8s/base/a.yaml', content: 'kind: ConfigMap\n' },
    { path: 'k8s/base/b.yaml', content: 'kind: ConfigMap\n' },
  ];
  const errors = kustomizationErrors(files, parseYamlFiles(files));
  assert.deepEqual(errors, ['k8s/base/kustomization.yaml: resource missing.yaml is not a file of the export', 'k8s/base/kustomization.yaml: does not list b.yaml']);
});

test('YAML errors name the file; custom resources missing required fields are reported', () => {
  assert.throws(() => parseYamlFiles([{ path: 'x.yaml', content: 'a: [1,\n' }]), /x\.yaml document 0/);
  assert.deepEqual(customResourceErrors({ apiVersion: 'kind.x-k8s.io/v1alpha4', kind: 'Cluster', nodes: [{ role: 'worker' }] }), ['nodes needs a control-plane node']);
  assert.match(customResourceErrors({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'a' }, spec: {} }).join(), /spec\.source\.repoURL/);
});

test('the schema check is strict: a key the schema does not have is reported with its path, maps take any key', async () => {
  const container = { ...pod.spec.containers[0], imagePulPolicy: 'Always' };
  const typo = { ...deployment, metadata: { name: 'a', annotations: { 'any/key': 'x' } }, spec: { ...deployment.spec, replica: 2, template: { ...pod, spec: { containers: [container] } } } };
  assert.deepEqual((await schemaErrors(typo)).sort(), [
    'data/spec/replica is not a field of the schema (unknown key "replica")',
    'data/spec/template/spec/containers/0/imagePulPolicy is not a field of the schema (unknown key "imagePulPolicy")',
  ]);
  assert.deepEqual(await schemaErrors({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: 'b' } }, data: { ANY_KEY: '1' }, extra: true }), [
    'data/extra is not a field of the schema (unknown key "extra")',
  ]);
});

test('custom resources are strict too: an unknown field of kind, ArgoCD or kustomize is reported', () => {
  const cluster = { apiVersion: 'kind.x-k8s.io/v1alpha4', kind: 'Cluster', nodes: [{ role: 'control-plane', extraPortMappings: [{ containerPort: 80, hostPort: 80, hostIp: '0.0.0.0' }] }] };
  assert.deepEqual(customResourceErrors(cluster), ['nodes[0].extraPortMappings[0].hostIp is not a field of Cluster (unknown key "hostIp")']);
  const kustomization = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['a.yaml'], commonLabel: { a: 'b' } };
  assert.deepEqual(customResourceErrors(kustomization), ['commonLabel is not a field of Kustomization (unknown key "commonLabel")']);
});
