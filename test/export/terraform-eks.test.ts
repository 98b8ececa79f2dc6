/**
 * `renderTerraform(model, { compute: 'eks' })`: the same static checks as on ECS (every .tf
 * parses as HCL, every reference resolves, no literal secret), what EKS adds (cluster,
 * node group, OIDC and IRSA, the platform parts in the cluster, RDS and ElastiCache open to
 * the cluster security group only), the overlay that applies the Kubernetes export on EKS
 * (built with kubectl's kustomize when it is installed), and the snapshot.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { loadConfig } from '../../src/config/index.js';
import { exportModel, renderKubernetes, renderTerraform, type ExportFile } from '../../src/export/index.js';
import { findBinary } from '../helpers/binaries.js';
import { customResourceErrors, parseYamlFiles } from './k8s-check.js';
import { parseTerraform, referenceErrors, secretLiteralErrors } from './terraform-check.js';
import { FIXTURES, compareSnapshot } from './terraform-snapshot.js';

type Json = Record<string, unknown>;
const run = promisify(execFile);

const demoDir = await mkdtemp(join(tmpdir(), 'cloudlab-eks-'));
const model = exportModel(await loadConfig({ cwd: demoDir, env: {} }));
await rm(demoDir, { recursive: true, force: true });
const files = renderTerraform(model, { compute: 'eks' });
const k8sFiles = renderKubernetes(model);
const modules = await parseTerraform(files);
const root = modules.get('')!;
const call = (name: string): Json => root.modules.get(name) as Json;
const content = (path: string): string => {
  const file = files.find((f) => f.path === path);
  assert.ok(file, `${path} is generated`);
  return file.content;
};

async function writeAll(dir: string, prefix: string, list: readonly ExportFile[]): Promise<void> {
  for (const f of list) {
    const path = join(dir, prefix, ...f.path.split('/'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, f.content);
  }
}

test('EKS replaces ECS: modules eks and eks-platform, no ecs-service, no ALB module, no ECS task roles', () => {
  assert.deepEqual([...root.modules.keys()].sort(), ['ecr', 'eks', 'eks_platform', 'elasticache', 'iam', 'observability', 'rds', 'vpc']);
  const dirs = [...new Set(files.filter((f) => f.path.startsWith('modules/')).map((f) => f.path.split('/')[1]))].sort();
  assert.deepEqual(dirs, ['ecr', 'eks', 'eks-platform', 'elasticache', 'iam', 'observability', 'rds', 'vpc']);
  assert.equal(call('iam')['ecs_task_roles'], false);
  assert.equal(call('iam')['eks_cluster_arn'], '${module.eks.cluster_arn}');
  assert.equal(call('observability')['alb_arn_suffix'], null, 'the ALB belongs to the load balancer controller');
  assert.equal(root.variables.has('image_tags'), false, 'kustomize sets the images on EKS');
  for (const p of ['kubernetes', 'helm', 'tls']) assert.match(content('versions.tf'), new RegExp(`source\\s+= "hashicorp/${p}"`));
});

test('every variable, local, data source, resource, module source and module output reference resolves; no literal secret', () => {
  assert.deepEqual(referenceErrors(modules), []);
  assert.deepEqual(secretLiteralErrors(modules), []);
  assert.doesNotMatch(files.map((f) => f.content).join('\n'), /aws_access_key_id|aws-secret-access-key|AKIA[0-9A-Z]{16}/i);
});

test('modules/eks: cluster in the private subnets, managed node group, cluster and node roles, OIDC, IRSA roles bound to their service accounts', () => {
  const eks = modules.get('modules/eks')!;
  for (const r of ['aws_eks_cluster.this', 'aws_eks_node_group.default', 'aws_iam_role.cluster', 'aws_iam_role.node', 'aws_iam_openid_connect_provider.cluster', 'aws_iam_role.irsa', 'aws_iam_role_policy.adot', 'aws_iam_role_policy.lb_controller', 'aws_eks_addon.this']) assert.ok(eks.resources.has(r), r);
  assert.equal(call('eks')['subnet_ids'], '${module.vpc.private_subnet_ids}');
  const main = content('modules/eks/main.tf');
  assert.match(main, /values\s+= \["system:serviceaccount:\$\{each\.value\.namespace\}:\$\{each\.value\.service_account\}"\]/);
  assert.match(main, /adot\s+= \{ namespace = var\.observability_namespace, service_account = "adot-collector" \}/);
  assert.match(main, /actions\s+= \["aps:RemoteWrite"\]\n\s+resources = \[var\.amp_workspace_arn\]/);
  assert.doesNotMatch(main, /AdministratorAccess|"\*:\*"|"elasticloadbalancing:\*"/);
  assert.equal(call('eks')['amp_workspace_arn'], '${module.observability.amp_workspace_arn}');
});

test('RDS and ElastiCache admit the cluster security group only; the subnets are tagged for load balancers', () => {
  for (const name of ['rds', 'elasticache']) {
    assert.equal(call(name)['allow_vpc_cidr'], false, name);
    assert.deepEqual(call(name)['client_security_group_ids'], ['${module.eks.cluster_security_group_id}'], name);
  }
  assert.deepEqual(call('vpc')['public_subnet_tags'], { 'kubernetes.io/role/elb': '1' });
  assert.deepEqual(call('vpc')['private_subnet_tags'], { 'kubernetes.io/role/internal-elb': '1' });
});

test('eks-platform fills exactly the ConfigMap and Secret keys the Kubernetes export reads, from RDS and ElastiCache', () => {
  const docs = parseYamlFiles(k8sFiles);
  const cm = docs.find((d) => d.object['kind'] === 'ConfigMap')!.object;
  const secret = docs.find((d) => d.object['kind'] === 'Secret')!.object;
  const platform = call('eks_platform');
  assert.equal(platform['config_map_name'], (cm['metadata'] as Json)['name']);
  assert.equal(platform['secret_name'], (secret['metadata'] as Json)['name']);
  const configKeys = Object.keys(cm['data'] as Json).filter((k) => !k.startsWith('OTEL_')).sort();
  assert.deepEqual(Object.keys(platform['config_data'] as Json).sort(), configKeys);
  assert.equal((platform['config_data'] as Json)['POSTGRES_HOST'], '${module.rds.address}');
  assert.equal((platform['config_data'] as Json)['VALKEY_URL'], '${module.elasticache.url}');
  assert.deepEqual(platform['secret_data'], { POSTGRES_PASSWORD: '${module.rds.password}' });
  assert.deepEqual(Object.keys(platform['secret_data'] as Json), Object.keys(secret['stringData'] as Json));
  const main = content('modules/eks-platform/main.tf');
  assert.match(main, /OTEL_EXPORTER_OTLP_ENDPOINT = "http:\/\/adot-collector\.\$\{var\.observability_namespace\}\.svc\.cluster\.local:4318"/);
  for (const r of ['helm_release.lb_controller', 'kubernetes_daemon_set_v1.adot', 'kubernetes_service_account_v1.adot', 'kubernetes_secret_v1.app', 'kubernetes_config_map_v1.app']) assert.ok(modules.get('modules/eks-platform')!.resources.has(r), r);
  assert.match(main, /"eks\.amazonaws\.com\/role-arn" = var\.adot_role_arn/);
  assert.match(content('modules/eks-platform/variables.tf'), /variable "secret_data" \{\n(?: {2}.*\n)* {2}sensitive\s+= true\n\}/);
});

test('the ADOT collector config: OTLP in, each service scraped as its own job, traces to X-Ray, metrics to AMP', () => {
  const adot = parseYaml(content('adot-collector.yaml')) as Json;
  const pipelines = (adot['service'] as Json)['pipelines'] as Record<string, Record<string, string[]>>;
  assert.deepEqual(pipelines['traces']!['exporters'], ['awsxray']);
  assert.deepEqual(pipelines['metrics']!['exporters'], ['prometheusremotewrite']);
  for (const pipeline of Object.values(pipelines)) {
    for (const kind of ['receivers', 'processors', 'exporters']) for (const name of pipeline[kind]!) assert.ok(name in (adot[kind] as Json), `${kind}.${name}`);
  }
  const jobs = ((((adot['receivers'] as Json)['prometheus'] as Json)['config'] as Json)['scrape_configs'] as Json[]).map((j) => j['job_name']);
  assert.deepEqual(jobs.sort(), ['cafe', 'payments']);
});

test('k8s-eks overlay: the base of the Kubernetes export, minus what Terraform and AWS own, with the ALB and ECR', async (t) => {
  const [doc] = parseYamlFiles(files.filter((f) => f.path === 'k8s-eks/kustomization.yaml'));
  assert.ok(doc);
  assert.deepEqual(customResourceErrors(doc.object), []);
  assert.deepEqual(doc.object['resources'], ['../../k8s/base']);
  const base = parseYamlFiles(k8sFiles).map((d) => d.object);
  const patches = (doc.object['patches'] as Array<{ patch: string; target?: Json }>).map((p) => ({ ...p, body: parseAllDocuments(p.patch)[0]!.toJS() as unknown }));
  const deleted = patches.filter((p) => !Array.isArray(p.body) && (p.body as Json)['$patch'] === 'delete').map((p) => `${String((p.body as Json)['kind'])}/${String(((p.body as Json)['metadata'] as Json)['name'])}`);
  assert.deepEqual(deleted.sort(), ['ConfigMap/cafe-demo-config', 'Namespace/cafe-demo', 'Secret/cafe-demo-secrets', 'Service/postgres', 'Service/valkey', 'StatefulSet/postgres', 'StatefulSet/valkey']);
  for (const d of deleted) assert.ok(base.some((o) => `${String(o['kind'])}/${String((o['metadata'] as Json | undefined)?.['name'])}` === d), `${d} is an object of the Kubernetes export`);
  const images = (doc.object['images'] as Json[]).map((i) => i['name']);
  const deploymentImages = base.filter((o) => o['kind'] === 'Deployment').map((o) => String(((((o['spec'] as Json)['template'] as Json)['spec'] as Json)['containers'] as Json[])[0]!['image']).replace(/:[^:]*$/, ''));
  assert.deepEqual(images.sort(), deploymentImages.sort());

  const kubectl = findBinary('kubectl');
  // kubectl (with its built-in kustomize) is optional here: the structural checks above run
  // everywhere; Debian's kubernetes-client (1.20) carries a kustomize too old for this overlay.
  if (kubectl === undefined) {
    t.diagnostic('kubectl not on PATH: the overlay was checked structurally, not built with kustomize');
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'cloudlab-eks-kustomize-'));
  try {
    await writeAll(dir, 'k8s', k8sFiles);
    await writeAll(dir, 'terraform', files);
    const { stdout } = await run(kubectl, ['kustomize', join(dir, 'terraform', 'k8s-eks')]);
    const built = parseAllDocuments(stdout).map((d) => d.toJS() as Json);
    const kinds = built.map((o) => `${String(o['kind'])}/${String((o['metadata'] as Json)['name'])}`).sort();
    assert.deepEqual(kinds, ['Deployment/cafe', 'Deployment/payments', 'HorizontalPodAutoscaler/cafe', 'HorizontalPodAutoscaler/payments', 'Ingress/cafe-demo', 'Service/cafe', 'Service/payments']);
    const ingress = built.find((o) => o['kind'] === 'Ingress')!;
    assert.equal((ingress['spec'] as Json)['ingressClassName'], 'alb');
    assert.equal(((ingress['metadata'] as Json)['annotations'] as Json)['alb.ingress.kubernetes.io/target-type'], 'ip');
    const cafe = built.find((o) => o['kind'] === 'Service' && (o['metadata'] as Json)['name'] === 'cafe')!;
    assert.equal(((cafe['metadata'] as Json)['annotations'] as Json)['alb.ingress.kubernetes.io/healthcheck-path'], '/health');
    for (const o of built) assert.equal((o['metadata'] as Json)['namespace'], 'cafe-demo');
    assert.match(stdout, /image: ACCOUNT_ID\.dkr\.ecr\.REGION\.amazonaws\.com\/cafe-demo-cafe:latest/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the workflow: OIDC only, then kubectl apply -k of the overlay with the images of the commit', () => {
  const wf = parseYaml(content('.github/workflows/deploy.yml')) as Json;
  const jobs = wf['jobs'] as Record<string, { steps: Json[]; needs?: string }>;
  assert.deepEqual(Object.keys(jobs), ['images', 'terraform', 'kubernetes']);
  assert.equal(jobs['kubernetes']!.needs, 'terraform');
  const steps = Object.values(jobs).flatMap((j) => j.steps);
  const creds = steps.filter((s) => String(s['uses']).startsWith('aws-actions/configure-aws-credentials@'));
  assert.equal(creds.length, 3);
  for (const s of creds) assert.deepEqual(Object.keys(s['with'] as Json).sort(), ['aws-region', 'role-to-assume']);
  const runs = jobs['kubernetes']!.steps.map((s) => (typeof s['run'] === 'string' ? s['run'] : '')).join('\n');
  assert.match(runs, /aws eks update-kubeconfig --name cafe-demo/);
  assert.match(runs, /kustomize edit set image .*cafe-demo-cafe="\$REGISTRY\/cafe-demo-cafe:\$IMAGE_TAG"/);
  assert.match(runs, /kubectl apply -k deploy\/terraform\/k8s-eks/);
  assert.match(runs, /rollout status deployment\/payments/);
  assert.equal((wf['env'] as Json)['TF_VAR_image_tags'], undefined);
});

test('the README says the workloads come from the Kubernetes export', () => {
  assert.match(content('README.md'), /the workloads come from the\s+Kubernetes export/);
  assert.match(content('README.md'), /cloudlab export all --compute eks/);
});

test('terraform fmt -check passes on the ECS and EKS exports (when terraform is installed)', async (t) => {
  const terraform = findBinary('terraform');
  // terraform is optional here (Debian does not package it); HCL parsing above runs everywhere.
  if (terraform === undefined) {
    t.skip('terraform not on PATH');
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'cloudlab-tf-fmt-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeAll(dir, 'eks', files.filter((f) => f.path.endsWith('.tf')));
  await writeAll(dir, 'ecs', renderTerraform(model).filter((f) => f.path.endsWith('.tf')));
  const { stdout } = await run(terraform, ['fmt', '-check', '-recursive', dir], { env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null' } });
  assert.equal(stdout, '', 'files terraform fmt would change');
});

test('a user config on EKS (no cache, one public service): references resolve, no ElastiCache, the overlay keeps the data stores it has', async () => {
  const userModel = exportModel(await loadConfig({ cwd: join(FIXTURES, 'compose-user'), env: {} }));
  const userFiles = renderTerraform(userModel, { compute: 'eks' });
  const userModules = await parseTerraform(userFiles);
  assert.deepEqual(referenceErrors(userModules), []);
  assert.deepEqual(secretLiteralErrors(userModules), []);
  assert.equal(userModules.get('')!.modules.has('elasticache'), false);
  assert.deepEqual(Object.keys((userModules.get('')!.modules.get('eks_platform') as Json)['config_data'] as Json).sort(), ['POSTGRES_DB', 'POSTGRES_HOST', 'POSTGRES_PORT', 'POSTGRES_USER']);
  const overlay = userFiles.find((f) => f.path === 'k8s-eks/kustomization.yaml')!.content;
  assert.doesNotMatch(overlay, /valkey/);
  assert.match(overlay, /alb\.ingress\.kubernetes\.io\/healthcheck-path: \/ready/);
});

test('the files match the snapshot (CLOUDLAB_UPDATE_SNAPSHOTS=1 updates it)', () => {
  assert.deepEqual(compareSnapshot('eks-demo', files), { missing: [], extra: [], changed: [] });
});
