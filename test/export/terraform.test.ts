/**
 * `renderTerraform` on the built-in cafe demo: every .tf file parses as HCL and every
 * reference resolves, no secret is a literal, the YAML files parse, and the files match
 * the snapshot.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { parse as parseYaml } from 'yaml';
import { loadConfig } from '../../src/config/index.js';
import { exportModel, renderTerraform } from '../../src/export/index.js';
import { parseTerraform, referenceErrors, secretLiteralErrors } from './terraform-check.js';
import { compareSnapshot } from './terraform-snapshot.js';

type Json = Record<string, unknown>;

// The cafe demo: an empty directory has no cloudlab.yaml.
const demoDir = mkdtempSync(join(tmpdir(), 'cloudlab-tf-'));
const files = renderTerraform(exportModel(await loadConfig({ cwd: demoDir, env: {} })));
rmSync(demoDir, { recursive: true, force: true });
const modules = await parseTerraform(files);
const content = (path: string): string => {
  const file = files.find((f) => f.path === path);
  assert.ok(file, `${path} is generated`);
  return file.content;
};
const root = modules.get('')!;
const call = (name: string): Json => root.modules.get(name) as Json;

test('the root module and every module are written, each with main, variables and outputs', () => {
  for (const path of ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf', 'backend.tf', 'terraform.tfvars.example', 'adot-collector.yaml', '.github/workflows/deploy.yml', 'README.md']) content(path);
  for (const mod of ['vpc', 'alb', 'ecs-service', 'ecr', 'rds', 'elasticache', 'observability', 'iam']) {
    for (const file of ['main.tf', 'variables.tf', 'outputs.tf']) content(`modules/${mod}/${file}`);
  }
  assert.deepEqual([...root.modules.keys()].sort(), ['alb', 'ecr', 'elasticache', 'iam', 'observability', 'rds', 'service_cafe', 'service_payments', 'vpc']);
});

test('every variable, local, data source, resource, module source and module output reference resolves', () => {
  assert.deepEqual(referenceErrors(modules), []);
});

test('the checker itself finds a broken reference of each kind', async () => {
  // A hand-broken copy of the export: proves the checks above can fail.
  const broken = files.map((f) => (f.path === 'modules/vpc/main.tf' ? { ...f, content: `${f.content}\nresource "aws_eip" "x" {\n  tags = { a = var.nope, b = aws_vpc.missing.id, c = local.none }\n}\n` } : f))
    .concat({ path: 'extra.tf', content: 'module "ghost" {\n  source = "./modules/ghost"\n}\noutput "o" {\n  value = module.vpc.no_such_output\n}\n' });
  const errors = referenceErrors(await parseTerraform(broken));
  assert.ok(errors.includes('modules/vpc: var.nope is not declared'), errors.join('\n'));
  assert.ok(errors.includes('modules/vpc: aws_vpc.missing is not a resource of this module'));
  assert.ok(errors.includes('modules/vpc: local.none is not defined'));
  assert.ok(errors.includes('(root): module "ghost" source ./modules/ghost is not a generated module'));
  assert.ok(errors.includes('(root): module.vpc.no_such_output: modules/vpc has no such output'));
  const leaked = await parseTerraform([{ path: 'x.tf', content: 'resource "aws_db_instance" "d" {\n  password = "hunter2hunter2"\n}\n' }]);
  assert.deepEqual(secretLiteralErrors(leaked), ['(root): .resource.aws_db_instance.d[0].password is a literal']);
});

test('no secret is a literal: the password is generated and reaches tasks as ECS secrets only', () => {
  assert.deepEqual(secretLiteralErrors(modules), []);
  const rds = modules.get('modules/rds')!;
  assert.ok(rds.resources.has('random_password.master'));
  assert.ok(rds.resources.has('aws_secretsmanager_secret_version.password'));
  for (const name of ['service_cafe', 'service_payments']) {
    const svc = call(name);
    assert.equal((svc['environment'] as Json)['DATABASE_URL'], undefined, `${name}: DATABASE_URL is not plain`);
    assert.equal((svc['environment'] as Json)['POSTGRES_PASSWORD'], undefined);
  }
  assert.deepEqual(call('service_cafe')['secrets'], { DATABASE_URL: '${module.rds.url_secret_arn}', POSTGRES_PASSWORD: '${module.rds.password_secret_arn}' });
  assert.deepEqual(call('iam')['secret_arns'], ['${module.rds.url_secret_arn}', '${module.rds.password_secret_arn}']);
  assert.doesNotMatch(files.map((f) => f.content).join('\n'), /aws_access_key_id|aws-secret-access-key|AKIA[0-9A-Z]{16}/i);
});

test('versions pin Terraform >= 1.6 and aws 5.x; the backend is S3 with DynamoDB locking', () => {
  const tf = (modules.get('')!.bodies.find((b) => 'terraform' in b && JSON.stringify(b).includes('required_version'))!['terraform'] as Json[])[0]!;
  assert.equal(tf['required_version'], '>= 1.6');
  const aws = ((tf['required_providers'] as Json[])[0]!['aws']) as Json;
  assert.equal(aws['source'], 'hashicorp/aws');
  assert.match(String(aws['version']), /^~> 5\.\d+$/);
  assert.match(content('backend.tf'), /backend "s3" \{[\s\S]*dynamodb_table\s+= "CHANGE_ME-terraform-locks"[\s\S]*encrypt\s+= true/);
});

test('services: the ALB health-checks cafe on /health; internal services have no target group; URLs use Cloud Map', () => {
  const services = call('alb')['services'] as Json;
  assert.deepEqual(Object.keys(services), ['cafe']);
  assert.equal((services['cafe'] as Json)['health_path'], '/health');
  assert.equal(call('service_cafe')['target_group_arn'], '${module.alb.target_group_arns["cafe"]}');
  assert.equal(call('service_payments')['target_group_arn'], null);
  const env = call('service_cafe')['environment'] as Json;
  assert.equal(env['PAYMENTS_URL'], 'http://payments.${aws_service_discovery_private_dns_namespace.this.name}:8080');
  assert.equal(env['VALKEY_URL'], '${module.elasticache.url}');
  assert.equal(env['OTEL_EXPORTER_OTLP_ENDPOINT'], 'http://localhost:4318');
  assert.equal(env['OTEL_SDK_DISABLED'], 'false');
  assert.equal(call('service_cafe')['desired_count'], 2);
  assert.equal(call('service_cafe')['max_capacity'], 6);
});

test('ecs-service: the task has the app and an ADOT sidecar; CPU autoscaling; a log group', () => {
  const ecs = content('modules/ecs-service/main.tf');
  assert.match(ecs, /container_definitions\s+= jsonencode\(\[local\.app, local\.adot\]\)/);
  assert.match(ecs, /name\s+= "adot-collector"/);
  assert.match(ecs, /predefined_metric_type = "ECSServiceAverageCPUUtilization"/);
  const mod = modules.get('modules/ecs-service')!;
  for (const r of ['aws_cloudwatch_log_group.this', 'aws_ecs_task_definition.this', 'aws_ecs_service.this', 'aws_appautoscaling_policy.cpu']) assert.ok(mod.resources.has(r), r);
});

test('observability and IAM: AMP, the three alarms, and a deploy role only the repository can assume', () => {
  const obs = modules.get('modules/observability')!;
  for (const r of ['aws_prometheus_workspace.this', 'aws_cloudwatch_metric_alarm.alb_5xx', 'aws_cloudwatch_metric_alarm.alb_p95', 'aws_cloudwatch_metric_alarm.rds_cpu']) assert.ok(obs.resources.has(r), r);
  assert.match(content('modules/observability/main.tf'), /extended_statistic\s+= "p95"/);
  const iam = content('modules/iam/main.tf');
  assert.match(iam, /"repo:\$\{var\.github_repository\}:ref:refs\/heads\/\$\{var\.github_branch\}"/);
  assert.match(iam, /actions\s+= \["aps:RemoteWrite"\]\n\s+resources = \[var\.amp_workspace_arn\]/);
  assert.doesNotMatch(iam, /AdministratorAccess|"\*:\*"/);
});

test('terraform.tfvars.example parses and sets only root variables', async () => {
  const tfvars = (await parseHcl('terraform.tfvars', content('terraform.tfvars.example'))) as Json;
  for (const key of Object.keys(tfvars)) assert.ok(root.variables.has(key), `${key} is a root variable`);
  for (const key of ['region', 'account_id', 'domain', 'github_repository', 'image_tags']) assert.ok(key in tfvars, key);
  assert.deepEqual(Object.keys(tfvars['image_tags'] as Json).sort(), ['cafe', 'payments']);
});

test('the workflow assumes the role through OIDC, pushes to ECR, plans and applies; no keys', () => {
  const text = content('.github/workflows/deploy.yml');
  assert.doesNotMatch(text, /^\s*-? ?[&*]a\d+/m, 'no YAML anchors or aliases');
  const wf = parseYaml(text) as Json;
  assert.deepEqual(wf['permissions'], { 'id-token': 'write', contents: 'read' });
  const jobs = wf['jobs'] as Record<string, { steps: Json[] }>;
  const steps = Object.values(jobs).flatMap((j) => j.steps);
  const creds = steps.filter((s) => String(s['uses']).startsWith('aws-actions/configure-aws-credentials@'));
  assert.equal(creds.length, 2);
  for (const s of creds) assert.deepEqual(Object.keys(s['with'] as Json).sort(), ['aws-region', 'role-to-assume']);
  const runs = steps.map((s) => (typeof s['run'] === 'string' ? s['run'] : '')).join('\n');
  assert.match(runs, /docker push "\$REGISTRY\/cafe-demo-cafe:\$IMAGE_TAG"/);
  assert.match(runs, /terraform plan/);
  assert.match(runs, /terraform apply -input=false tfplan/);
  assert.deepEqual(JSON.parse(String((wf['env'] as Json)['TF_VAR_image_tags']).replaceAll('${{ github.sha }}', 'sha')), { cafe: 'sha', payments: 'sha' });
});

test('the ADOT config: OTLP in, traces to X-Ray, metrics to AMP, every pipeline part defined', () => {
  const adot = parseYaml(content('adot-collector.yaml')) as Json;
  const pipelines = (adot['service'] as Json)['pipelines'] as Record<string, Record<string, string[]>>;
  assert.deepEqual(pipelines['traces']!['exporters'], ['awsxray']);
  assert.deepEqual(pipelines['metrics']!['exporters'], ['prometheusremotewrite']);
  for (const pipeline of Object.values(pipelines)) {
    for (const kind of ['receivers', 'processors', 'exporters']) {
      for (const name of pipeline[kind]!) assert.ok(name in (adot[kind] as Json), `${kind}.${name} is defined`);
    }
  }
  assert.deepEqual(((adot['exporters'] as Json)['prometheusremotewrite'] as Json)['auth'], { authenticator: 'sigv4auth' });
});

test('the files match the snapshot (CLOUDLAB_UPDATE_SNAPSHOTS=1 updates it)', () => {
  assert.deepEqual(compareSnapshot('demo', files), { missing: [], extra: [], changed: [] });
});
