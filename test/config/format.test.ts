/** formatConfig: the file's key names, masked secrets, and YAML that loads back to the same config. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parse } from 'yaml';
import { formatConfig, loadConfig, MASK, parseConfig } from '../../src/config/index.js';
import type { LabConfig } from '../../src/config/index.js';
import { comparable, configDir, tempDir, yaml } from './fixtures.js';
import { EVERY_KEY } from './every-key.js';

async function roundTrip(t: Parameters<typeof tempDir>[0], config: LabConfig): Promise<LabConfig> {
  const elsewhere = await tempDir(t);
  return parseConfig(formatConfig(config, 'yaml'), { file: join(elsewhere, 'cloudlab.yaml'), env: {} });
}

test('YAML output starts with its source and loads back to the same config (every key)', async (t) => {
  const { dir, file } = await configDir(t, EVERY_KEY);
  const config = await loadConfig({ cwd: dir, env: {} });
  const text = formatConfig(config, 'yaml');
  assert.equal(text.split('\n')[0], `# source: ${file}`);
  assert.deepEqual(comparable(await roundTrip(t, config)), comparable(config));
});

test('the built-in demo, with and without free ports, round-trips too', async (t) => {
  const cwd = await tempDir(t);
  for (const freePorts of [false, true]) {
    const config = await loadConfig({ cwd, env: {}, overrides: { freePorts } });
    assert.equal(formatConfig(config, 'yaml').split('\n')[0], '# source: built-in cafe demo');
    assert.deepEqual(comparable(await roundTrip(t, config)), comparable(config));
  }
});

test('secrets are masked: the embedded password and the password in external URLs', async (t) => {
  const embedded = await configDir(t, yaml('dependencies:', '  postgres: { password: hunter2 }'));
  const config = await loadConfig({ cwd: embedded.dir, env: {} });
  for (const format of ['yaml', 'json'] as const) {
    const text = formatConfig(config, format);
    assert.ok(!text.includes('hunter2'), format);
    assert.ok(text.includes(MASK), format);
  }
  const external = await configDir(t, yaml('dependencies:', '  postgres: { engine: external, url: "postgres://app:hunter2@db:5432/app" }', '  cache: { engine: external, url: "redis://:hunter2@cache:6379" }'));
  const shown = JSON.parse(formatConfig(await loadConfig({ cwd: external.dir, env: {} }), 'json')) as { dependencies: Record<string, { url: string }> };
  assert.equal(shown.dependencies['postgres']?.url, 'postgres://app:********@db:5432/app');
  assert.equal(shown.dependencies['cache']?.url, 'redis://:********@cache:6379');
});

test('JSON output uses the file\'s key names and plain values; YAML writes $ as $$ so it loads back', async (t) => {
  const { dir } = await configDir(t, yaml('services:', '  api:', '    command: node api.js --price=$$5', '    environment: { TEMPLATE: "a$$b" }', '    ports: ["127.0.0.2:8000"]'));
  const config = await loadConfig({ cwd: dir, env: {} });
  const json = JSON.parse(formatConfig(config, 'json')) as { services: { api: Record<string, unknown> }; hub: Record<string, unknown> };
  assert.deepEqual(json.services.api['command'], ['node', 'api.js', '--price=$5']);
  assert.deepEqual(json.services.api['environment'], { TEMPLATE: 'a$b' });
  assert.deepEqual(json.services.api['ports'], ['127.0.0.2:8000']);
  assert.equal(json.services.api['port_env'], 'PORT');
  assert.equal(json.hub['scrape_interval'], '5s');

  const doc = parse(formatConfig(config, 'yaml')) as { services: { api: { environment: Record<string, string> } } };
  assert.deepEqual(doc.services.api.environment, { TEMPLATE: 'a$$b' });
  assert.deepEqual(comparable(await roundTrip(t, config)), comparable(config));
});
