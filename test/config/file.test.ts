/** Loading a cloudlab.yaml: every key, defaults, compose's alternative forms. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { configDir, tempDir, yaml } from './fixtures.js';
import { EVERY_KEY, expectedEveryKey } from './every-key.js';

test('a file with every key loads into the typed config', async (t) => {
  const { dir, file } = await configDir(t, EVERY_KEY);
  const config = await loadConfig({ cwd: dir, env: {} });
  assert.deepEqual(config, expectedEveryKey(dir, file));
});

test('--file is read relative to cwd, and relative paths in it relative to its own directory', async (t) => {
  const cwd = await tempDir(t);
  await mkdir(join(cwd, 'lab'));
  await writeFile(join(cwd, 'lab', 'my-lab.yaml'), EVERY_KEY);
  const config = await loadConfig({ cwd, file: 'lab/my-lab.yaml', env: {} });
  assert.equal(config.dir, join(cwd, 'lab'));
  assert.equal(config.stateDir, join(cwd, 'lab', 'var/lab'));
  assert.equal(config.services['orders']!.cwd, join(cwd, 'lab', 'orders'));
  assert.equal(config.source.file, join(cwd, 'lab', 'my-lab.yaml'));
});

test('a minimal file: defaults everywhere, no dependencies, the name from the directory', async (t) => {
  const { dir } = await configDir(t, yaml('services:', '  web:', '    command: node server.js'));
  const config = await loadConfig({ cwd: dir, env: {} });
  assert.equal(config.name, basename(dir).toLowerCase().replace(/[^a-z0-9_-]/g, ''));
  assert.equal(config.stateDir, join(dir, '.cloudlab'));
  assert.deepEqual(config.dependencies, { postgres: null, cache: null });
  assert.deepEqual(config.services['web'], {
    name: 'web',
    command: ['node', 'server.js'],
    cwd: dir,
    replicas: 1,
    environment: {},
    portEnv: 'PORT',
    healthcheck: { kind: 'http', path: '/health', intervalMs: 2000, timeoutMs: 1000, retries: 3, startPeriodMs: 30_000 },
    restart: 'on-failure',
    dependsOn: [],
    ports: [],
    proxy: null,
  });
});

test('an empty file is a lab with nothing in it; an empty dependency key means its defaults', async (t) => {
  const empty = await configDir(t, '');
  const nothing = await loadConfig({ cwd: empty.dir, env: {} });
  assert.deepEqual(nothing.services, {});
  assert.deepEqual(nothing.dependencies, { postgres: null, cache: null });

  const deps = await configDir(t, yaml('dependencies:', '  postgres:', '  cache:'));
  const config = await loadConfig({ cwd: deps.dir, env: {} });
  assert.deepEqual(config.dependencies.postgres, {
    engine: 'embedded',
    database: 'app',
    user: 'cloudlab',
    password: 'cloudlab',
    port: 0,
    proxy: { listen: { host: '127.0.0.1', port: 5432 } },
  });
  assert.deepEqual(config.dependencies.cache, { engine: 'auto', port: 0, proxy: { listen: { host: '127.0.0.1', port: 6379 } } });
});

test('external dependencies take a url; listeners follow the top-level host', async (t) => {
  const { dir } = await configDir(
    t,
    yaml(
      'host: 0.0.0.0',
      'dependencies:',
      '  postgres: { engine: external, url: "postgres://app:secret@db.internal:5432/app" }',
      '  cache: { engine: external, url: "rediss://cache.internal:6380", proxy: { listen: 16379 } }',
    ),
  );
  const config = await loadConfig({ cwd: dir, env: {} });
  assert.deepEqual(config.dependencies.postgres, { engine: 'external', url: 'postgres://app:secret@db.internal:5432/app', proxy: { listen: { host: '0.0.0.0', port: 5432 } } });
  assert.deepEqual(config.dependencies.cache, { engine: 'external', url: 'rediss://cache.internal:6380', proxy: { listen: { host: '0.0.0.0', port: 16379 } } });
});

test('compose forms: environment list with pass-through, x- extension keys with anchors and merge keys', async (t) => {
  const { dir } = await configDir(
    t,
    yaml(
      'x-common: &common',
      '  restart: always',
      '  environment: { SHARED: "1" }',
      'services:',
      '  a:',
      '    <<: *common',
      '    command: node a.js',
      '  b:',
      '    command: node b.js',
      '    environment: ["FROM_HOST", "MISSING", "X=1=2"]',
      '  c:',
      '    command: node c.js',
      '    environment: { FROM_HOST: , EXPLICIT: "" }',
    ),
  );
  const config = await loadConfig({ cwd: dir, env: { FROM_HOST: 'host-value' } });
  assert.equal(config.services['a']!.restart, 'always');
  assert.deepEqual(config.services['a']!.environment, { SHARED: '1' });
  assert.deepEqual(config.services['b']!.environment, { FROM_HOST: 'host-value', X: '1=2' }, 'an unset pass-through variable is left out');
  assert.deepEqual(config.services['c']!.environment, { FROM_HOST: 'host-value', EXPLICIT: '' });
});

test('healthcheck: timings alone keep the http check; disable turns checks off', async (t) => {
  const { dir } = await configDir(
    t,
    yaml('services:', '  a: { command: node a.js, healthcheck: { interval: 5s } }', '  b: { command: node b.js, healthcheck: { disable: true } }'),
  );
  const config = await loadConfig({ cwd: dir, env: {} });
  assert.deepEqual(config.services['a']!.healthcheck, { kind: 'http', path: '/health', intervalMs: 5000, timeoutMs: 1000, retries: 3, startPeriodMs: 30_000 });
  assert.equal(config.services['b']!.healthcheck.kind, 'none');
});

test('durations: units, combinations and plain milliseconds', async (t) => {
  const { dir } = await configDir(t, yaml('hub: { scrape_interval: 1m30s, retention: 90000 }', 'edge: { health_interval: 0.5s, health_timeout: 1h }'));
  const config = await loadConfig({ cwd: dir, env: {} });
  assert.equal(config.hub.scrapeIntervalMs, 90_000);
  assert.equal(config.hub.retentionMs, 90_000);
  assert.equal(config.edge.healthIntervalMs, 500);
  assert.equal(config.edge.healthTimeoutMs, 3_600_000);
});
