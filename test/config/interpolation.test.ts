/** ${VAR} interpolation: compose's forms, the loader's environment, types and errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/index.js';
import { interpolate } from '../../src/config/interpolate.js';
import { configDir, rejectsWith, yaml } from './fixtures.js';

const env = { NAME: 'shop', EMPTY: '', PORT: '18000', NESTED: 'inner' };

test('interpolate: compose forms', () => {
  const cases: [string, string][] = [
    ['plain text', 'plain text'],
    ['${NAME}', 'shop'],
    ['$NAME-api', 'shop-api'],
    ['${MISSING:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${EMPTY-fallback}', ''],
    ['${MISSING-fallback}', 'fallback'],
    ['${NAME:+set}', 'set'],
    ['${MISSING:+set}', ''],
    ['${MISSING:-${NESTED}}', 'inner'],
    ['${MISSING:-a ${NESTED} b}', 'a inner b'],
    ['cost: $$5', 'cost: $5'],
    ['$$NAME', '$NAME'],
    ['100$', '100$'],
    ['$ and $1', '$ and $1'],
    ['${NAME}:${PORT}', 'shop:18000'],
  ];
  for (const [input, expected] of cases) assert.deepEqual(interpolate(input, env), { ok: true, value: expected }, input);
});

test('interpolate: unset variables and bad syntax are errors', () => {
  assert.deepEqual(interpolate('x ${MISSING} y', env), { ok: false, kind: 'unset', variable: 'MISSING', message: null, empty: false });
  assert.deepEqual(interpolate('$MISSING', env), { ok: false, kind: 'unset', variable: 'MISSING', message: null, empty: false });
  assert.deepEqual(interpolate('${EMPTY:?must be set}', env), { ok: false, kind: 'unset', variable: 'EMPTY', message: 'must be set', empty: true });
  assert.deepEqual(interpolate('${MISSING?}', env), { ok: false, kind: 'unset', variable: 'MISSING', message: null, empty: false });
  assert.deepEqual(interpolate('${EMPTY?}', env), { ok: true, value: '' });
  const open = interpolate('${NAME', env);
  assert.equal(open.ok, false);
  assert.equal(!open.ok && open.kind, 'syntax');
  const bad = interpolate('${1X}', env);
  assert.equal(!bad.ok && bad.kind, 'syntax');
  const op = interpolate('${NAME#x}', env);
  assert.equal(!op.ok && op.kind, 'syntax');
});

test('string values of the file are interpolated from the env given to the loader', async (t) => {
  const { dir } = await configDir(
    t,
    yaml(
      'name: ${NAME}',
      'services:',
      '  api:',
      '    command: node ${ENTRY:-server.js} --price=$$5',
      '    replicas: ${REPLICAS:-2}',
      '    ports:',
      '      - ${PORT}',
      '    environment:',
      '      QUOTED: "${PORT}"',
      '      FLAG: ${VERBOSE:-true}',
    ),
  );
  const config = await loadConfig({ cwd: dir, env });
  const api = config.services['api']!;
  assert.equal(config.name, 'shop');
  assert.deepEqual(api.command, ['node', 'server.js', '--price=$5']);
  assert.equal(api.replicas, 2, 'an unquoted ${...} reads as YAML would read its value: a number');
  assert.deepEqual(api.ports, [{ host: '127.0.0.1', port: 18000 }]);
  assert.deepEqual(api.environment, { QUOTED: '18000', FLAG: 'true' });
});

test('process.env is the default environment', async (t) => {
  const { dir } = await configDir(t, yaml('name: ${CLOUDLAB_CONFIG_TEST_NAME:-from-default}'));
  const config = await loadConfig({ cwd: dir });
  assert.equal(config.name, process.env['CLOUDLAB_CONFIG_TEST_NAME'] ?? 'from-default');
});

test('an unset variable without a default names the key and the variable, once', async (t) => {
  const { dir } = await configDir(
    t,
    yaml('dependencies:', '  postgres:', '    password: ${PG_PASSWORD}', 'services:', '  api:', '    command: node api.js', '    replicas: ${REPLICAS}', '    cwd: "${APP_DIR:?set it to the app checkout}"'),
  );
  const lines = await rejectsWith(loadConfig({ cwd: dir, env: {} }), 'LAB_CONFIG_INVALID');
  assert.deepEqual(lines, [
    'cloudlab.yaml:3:15 dependencies.postgres.password uses ${PG_PASSWORD}, which is not set, received "${PG_PASSWORD}"; fix: set PG_PASSWORD in the environment, or give a default: ${PG_PASSWORD:-value}',
    'cloudlab.yaml:7:15 services.api.replicas uses ${REPLICAS}, which is not set, received "${REPLICAS}"; fix: set REPLICAS in the environment, or give a default: ${REPLICAS:-value}',
    'cloudlab.yaml:8:10 services.api.cwd uses ${APP_DIR}, which is not set (set it to the app checkout), received "${APP_DIR:?set it to the app checkout}"; fix: set APP_DIR in the environment, or give a default: ${APP_DIR:-value}',
  ]);
});

test('a bad substitution is reported with its key', async (t) => {
  const { dir } = await configDir(t, yaml('name: "${NAME"'));
  const lines = await rejectsWith(loadConfig({ cwd: dir, env }), 'LAB_CONFIG_INVALID');
  assert.deepEqual(lines, ['cloudlab.yaml:1:7 name has an invalid substitution: "${NAME" has no closing }, received "${NAME"; fix: write ${NAME} or ${NAME:-default}, and $$ for a literal $']);
});

test('a value that interpolates to the wrong type is reported like a written one', async (t) => {
  const { dir } = await configDir(t, yaml('services:', '  api:', '    command: node api.js', '    replicas: ${REPLICAS}'));
  const lines = await rejectsWith(loadConfig({ cwd: dir, env: { REPLICAS: 'many' } }), 'LAB_CONFIG_INVALID');
  assert.deepEqual(lines, ['cloudlab.yaml:4:15 services.api.replicas must be an integer from 0 to 32, received "many"; fix: write a number such as 2']);
});
