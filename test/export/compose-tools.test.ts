/**
 * The generated files against the real tools: Debian's docker-compose 1.29 (`config`
 * parses, validates and merges without a Docker daemon) and promtool.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { parse } from 'yaml';
import { systemBinary } from '../helpers/binaries.js';
import { renderedTo } from './compose-helpers.js';

const run = promisify(execFile);

interface ComposeConfig {
  services: Record<string, { environment?: Record<string, string>; depends_on?: Record<string, { condition: string }>; deploy?: { replicas?: number }; build?: { context: string; dockerfile: string; target?: string }; healthcheck?: { test: string[] } }>;
}

async function composeConfig(bin: string, dir: string, files: string[], env: NodeJS.ProcessEnv): Promise<ComposeConfig> {
  const args = files.flatMap((f) => ['-f', f]).concat(['config']);
  // No .env in the directory: the variables come from the environment, as a user's .env would set them.
  const { stdout } = await run(bin, args, { cwd: dir, env: { PATH: process.env['PATH'], ...env } });
  return parse(stdout) as ComposeConfig;
}

const SECRETS = { POSTGRES_PASSWORD: 's3cret', GRAFANA_ADMIN_PASSWORD: 'admin-pw' };

test('docker-compose config accepts the default (cafe) export, alone and with the demo overlay', async (t) => {
  const bin = systemBinary(t, 'docker-compose', 'docker-compose');
  if (!bin) return;
  const { outDir } = await renderedTo(t, 'default');

  const base = await composeConfig(bin, outDir, ['docker-compose.yml'], SECRETS);
  assert.deepEqual(Object.keys(base.services).sort(), ['cafe', 'edge', 'payments', 'postgres', 'valkey']);
  const cafe = base.services['cafe']!;
  assert.equal(cafe.deploy?.replicas, 2);
  assert.equal(cafe.environment?.['DATABASE_URL'], 'postgres://cloudlab:s3cret@postgres:5432/cafe');
  assert.equal(cafe.environment?.['VALKEY_URL'], 'redis://valkey:6379');
  assert.equal(cafe.environment?.['PAYMENTS_URL'], 'http://payments:8080');
  assert.equal(cafe.environment?.['OTEL_SDK_DISABLED'], 'true', 'tracing is off by default');
  assert.equal(cafe.environment?.['CAFE_FLAGS_FILE'], undefined, 'the lab-only flag file path is left out');
  assert.equal(cafe.build?.target, 'cafe');
  assert.equal(cafe.depends_on?.['postgres']?.condition, 'service_healthy');
  assert.equal(cafe.depends_on?.['valkey']?.condition, 'service_healthy');

  const merged = await composeConfig(bin, outDir, ['docker-compose.yml', 'docker-compose.demo.yml'], { ...SECRETS, OTEL_SDK_DISABLED: 'false' });
  for (const name of ['toxiproxy', 'prometheus', 'grafana', 'jaeger', 'redis-commander']) assert.ok(merged.services[name], `the overlay adds ${name}`);
  const routed = merged.services['cafe']!;
  assert.equal(routed.environment?.['DATABASE_URL'], 'postgres://cloudlab:s3cret@toxiproxy:5432/cafe', 'the overlay points the services through Toxiproxy');
  assert.equal(routed.environment?.['VALKEY_URL'], 'redis://toxiproxy:6379');
  assert.equal(routed.environment?.['PAYMENTS_URL'], 'http://toxiproxy:8081');
  assert.equal(routed.environment?.['OTEL_SDK_DISABLED'], 'false', 'the toggle turns tracing on');
  assert.equal(routed.depends_on?.['toxiproxy']?.condition, 'service_started');
  assert.equal(merged.services['cafe']!.deploy?.replicas, 2, 'the overlay keeps the base settings');
});

test('docker-compose config refuses to run without the Postgres password: it is never hard-coded', async (t) => {
  const bin = systemBinary(t, 'docker-compose', 'docker-compose');
  if (!bin) return;
  const { outDir } = await renderedTo(t, 'default');
  await assert.rejects(composeConfig(bin, outDir, ['docker-compose.yml'], {}), (err: Error & { stderr?: string }) => {
    assert.match(err.stderr ?? '', /POSTGRES_PASSWORD/);
    return true;
  });
});

test('docker-compose config accepts a user config export (3 replicas, postgres, no cache)', async (t) => {
  const bin = systemBinary(t, 'docker-compose', 'docker-compose');
  if (!bin) return;
  const { outDir } = await renderedTo(t, 'user');
  const base = await composeConfig(bin, outDir, ['docker-compose.yml'], SECRETS);
  assert.deepEqual(Object.keys(base.services).sort(), ['api', 'edge', 'postgres', 'worker']);
  const api = base.services['api']!;
  assert.equal(api.deploy?.replicas, 3);
  assert.equal(api.build?.dockerfile, 'Dockerfile', "a user service builds from its own Dockerfile in its directory");
  assert.match(api.build?.context ?? '', /fixtures\/compose-user\/api$/);
  assert.equal(api.environment?.['DATABASE_URL'], 'postgres://cloudlab:s3cret@postgres:5432/shop');
  assert.equal(api.environment?.['WORKER_URL'], 'http://worker:8080');
  assert.equal(api.environment?.['VALKEY_URL'], undefined, 'no cache, no cache URL');
  assert.equal(api.environment?.['GREETING'], 'hello $$world', 'a literal $ stays a literal (compose prints it escaped)');
  assert.ok(api.healthcheck?.test.some((s) => s.includes('/ready')), 'the healthcheck path comes from the config');

  const merged = await composeConfig(bin, outDir, ['docker-compose.yml', 'docker-compose.demo.yml'], SECRETS);
  assert.equal(merged.services['redis-commander'], undefined, 'no cache, no Redis Commander');
  assert.equal(merged.services['api']!.environment?.['DATABASE_URL'], 'postgres://cloudlab:s3cret@toxiproxy:15432/shop', "the lab's proxy port is kept");
  assert.equal(merged.services['api']!.environment?.['WORKER_URL'], 'http://toxiproxy:8082');
});

test('promtool check config accepts the generated prometheus.yml', async (t) => {
  const bin = systemBinary(t, 'promtool', 'prometheus');
  if (!bin) return;
  for (const which of ['default', 'user'] as const) {
    const { outDir } = await renderedTo(t, which);
    const { stdout, stderr } = await run(bin, ['check', 'config', join(outDir, 'prometheus', 'prometheus.yml')]);
    assert.match(stdout + stderr, /SUCCESS/, `${which}: ${stdout}${stderr}`);
  }
});
