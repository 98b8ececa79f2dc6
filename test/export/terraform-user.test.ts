/**
 * `renderTerraform` on a user's own config (fixtures/compose-user: `api` public with 3
 * replicas and /ready, `worker` internal, a database, no cache): the same reference checks
 * as the demo, plus what differs.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import { exportModel, renderTerraform } from '../../src/export/index.js';
import { parseTerraform, referenceErrors, secretLiteralErrors } from './terraform-check.js';
import { FIXTURES, compareSnapshot } from './terraform-snapshot.js';

type Json = Record<string, unknown>;

const files = renderTerraform(exportModel(await loadConfig({ cwd: join(FIXTURES, 'compose-user'), env: {} })));
const modules = await parseTerraform(files);
const root = modules.get('')!;
const call = (name: string): Json => root.modules.get(name) as Json;

test('every reference resolves and no secret is a literal', () => {
  assert.deepEqual(referenceErrors(modules), []);
  assert.deepEqual(secretLiteralErrors(modules), []);
});

test('no cache: no elasticache module, no cache variable, no cache URL', () => {
  assert.equal(files.some((f) => f.path.startsWith('modules/elasticache/')), false);
  assert.equal(root.modules.has('elasticache'), false);
  assert.equal(root.variables.has('cache_engine'), false);
  assert.doesNotMatch(files.map((f) => f.content).join('\n'), /VALKEY_URL|REDIS_URL|elasticache\.url/);
});

test('api: public behind the ALB on /ready, 3 tasks scaling to 9, its own variables kept literally', () => {
  const alb = call('alb');
  assert.equal(alb['default_service'], 'api');
  assert.deepEqual(Object.keys(alb['services'] as Json), ['api']);
  assert.equal(((alb['services'] as Json)['api'] as Json)['health_path'], '/ready');
  const api = call('service_api');
  assert.equal(api['desired_count'], 3);
  assert.equal(api['min_capacity'], 3);
  assert.equal(api['max_capacity'], 9);
  assert.deepEqual(api['command'], ['node', 'dist/main.js']);
  assert.equal(api['image'], '${module.ecr.repository_urls["shop-lab-api"]}:${lookup(var.image_tags, "api", "latest")}');
  const env = api['environment'] as Json;
  assert.equal(env['GREETING'], 'hello $world');
  assert.equal(env['WORKER_URL'], 'http://worker.${aws_service_discovery_private_dns_namespace.this.name}:8080');
  assert.deepEqual(Object.keys(api['secrets'] as Json).sort(), ['DATABASE_URL', 'POSTGRES_PASSWORD']);
});

test('worker: internal (no target group), the command split, the database name from the config', () => {
  const worker = call('service_worker');
  assert.equal(worker['target_group_arn'], null);
  assert.deepEqual(worker['command'], ['node', 'worker.mjs']);
  assert.equal((worker['environment'] as Json)['PORT'], '8080');
  assert.equal(call('rds')['database'], 'shop');
  assert.deepEqual(call('ecr')['repositories'], ['shop-lab-api', 'shop-lab-worker']);
});

test('the files match the snapshot (CLOUDLAB_UPDATE_SNAPSHOTS=1 updates it)', () => {
  assert.deepEqual(compareSnapshot('compose-user', files), { missing: [], extra: [], changed: [] });
});
