/** `cloudlab export terraform` and `cloudlab export all`: the CLI as a user runs it, in a directory of the test's own. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { USER_FIXTURE, tempDir } from './compose-helpers.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

function cloudlab(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { cwd }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

test('export terraform writes the root module, the modules, the workflow and the ADOT config to deploy/terraform', async (t) => {
  const dir = await tempDir(t, 'cli-tf');
  const result = await cloudlab(dir, ['export', 'terraform']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^created\s+deploy\/terraform\/main\.tf$/m);
  assert.match(result.stdout, /^created\s+deploy\/terraform\/modules\/ecs-service\/main\.tf$/m);
  assert.match(result.stdout, /^created\s+deploy\/terraform\/\.github\/workflows\/deploy\.yml$/m);
  assert.match(result.stdout, /^cloudlab export terraform: \d+ files in deploy\/terraform$/m);
  assert.match(await readFile(join(dir, 'deploy', 'terraform', 'main.tf'), 'utf8'), /^module "service_cafe" \{$/m);
  assert.deepEqual((await readdir(join(dir, 'deploy', 'terraform', 'modules'))).sort(), ['alb', 'ecr', 'ecs-service', 'elasticache', 'iam', 'observability', 'rds', 'vpc']);
  const again = await cloudlab(dir, ['export', 'terraform']);
  assert.equal(again.code, 0, again.stderr);
  assert.doesNotMatch(again.stdout, /^(created|updated)/m, 'a second run changes nothing');
});

test('export all writes compose, k8s and terraform, each under <out>/<target>, from a user config', async (t) => {
  const dir = await tempDir(t, 'cli-all');
  const result = await cloudlab(dir, ['export', 'all', '--out', 'out', '--file', join(USER_FIXTURE, 'cloudlab.yaml')]);
  assert.equal(result.code, 0, result.stderr);
  for (const target of ['compose', 'k8s', 'terraform']) assert.match(result.stdout, new RegExp(`^cloudlab export ${target}: \\d+ files in out/${target}$`, 'm'));
  assert.deepEqual((await readdir(join(dir, 'out'))).sort(), ['compose', 'k8s', 'terraform']);
  assert.match(await readFile(join(dir, 'out', 'compose', 'docker-compose.yml'), 'utf8'), /^ {2}api:$/m);
  assert.match(await readFile(join(dir, 'out', 'terraform', 'main.tf'), 'utf8'), /^module "service_api" \{$/m);
  assert.match(await readFile(join(dir, 'out', 'terraform', '.github', 'workflows', 'deploy.yml'), 'utf8'), /docker compose -f deploy\/compose\/docker-compose\.yml build api worker/);
});

test('export all --compute eks writes the EKS Terraform beside the k8s export it applies', async (t) => {
  const dir = await tempDir(t, 'cli-eks');
  const result = await cloudlab(dir, ['export', 'all', '--compute', 'eks', '--file', join(USER_FIXTURE, 'cloudlab.yaml')]);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual((await readdir(join(dir, 'deploy'))).sort(), ['compose', 'k8s', 'terraform']);
  assert.deepEqual((await readdir(join(dir, 'deploy', 'terraform', 'modules'))).sort(), ['ecr', 'eks', 'eks-platform', 'iam', 'observability', 'rds', 'vpc']);
  assert.match(await readFile(join(dir, 'deploy', 'terraform', 'main.tf'), 'utf8'), /^module "eks" \{$/m);
  assert.match(await readFile(join(dir, 'deploy', 'terraform', 'k8s-eks', 'kustomization.yaml'), 'utf8'), /- \.\.\/\.\.\/k8s\/base/);
  assert.match(result.stdout, /^created\s+deploy\/k8s\/base\/kustomization\.yaml$/m, 'the base the overlay reads is written too');
  const ecs = await cloudlab(dir, ['export', 'terraform', '--force']);
  assert.equal(ecs.code, 0, ecs.stderr);
  assert.match(await readFile(join(dir, 'deploy', 'terraform', 'main.tf'), 'utf8'), /^module "service_cafe" \{$/m, 'without --compute: ECS');
});

test('--compute: an unknown value, or a target it does not apply to, is refused with the fix', async (t) => {
  const dir = await tempDir(t, 'cli-compute');
  const unknown = await cloudlab(dir, ['export', 'terraform', '--compute', 'gke']);
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr, /LAB_CLI_BAD_FLAG/);
  assert.match(unknown.stderr, /--compute must be one of ecs, eks, received "gke"; write --compute eks for EKS/);
  const wrongTarget = await cloudlab(dir, ['export', 'k8s', '--compute', 'eks']);
  assert.notEqual(wrongTarget.code, 0);
  assert.match(wrongTarget.stderr, /--compute applies to the terraform and all targets only, received it with k8s; remove it, or run cloudlab export terraform --compute eks/);
  assert.deepEqual(await readdir(dir), [], 'nothing was written');
});
