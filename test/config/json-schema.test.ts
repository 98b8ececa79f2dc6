/** schema/cloudlab.schema.json: in sync with the zod schema, and shaped for editors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { configJsonSchema, configJsonSchemaText, DEFAULTS, SCHEMA_FILE } from '../../src/config/index.js';

// Compiled to dist/test/config/: the package root is three levels up.
const ROOT = new URL('../../../', import.meta.url);

type Schema = { properties?: Record<string, Schema>; anyOf?: Schema[]; additionalProperties?: unknown; default?: unknown; description?: string; [key: string]: unknown };

/** The object branch of a property that may also be null or false. */
function objectOf(schema: Schema | undefined): Schema {
  const find = (s: Schema | undefined): Schema | undefined => (s?.properties ? s : s?.anyOf?.map(find).find((b) => b !== undefined));
  const branch = find(schema);
  assert.ok(branch, 'an object branch');
  return branch;
}

test(`${SCHEMA_FILE} is in sync with src/config/schema.ts`, () => {
  const committed = readFileSync(new URL(SCHEMA_FILE, ROOT), 'utf8');
  assert.ok(
    committed === configJsonSchemaText(),
    `${SCHEMA_FILE} is out of date: regenerate it with \`npm run schema\` (that is: npx tsc -b && node dist/src/config/write-schema.js) and commit it`,
  );
});

test('the JSON Schema refuses unknown keys, allows x- keys, and carries descriptions and defaults', () => {
  const schema = configJsonSchema() as Schema;
  assert.equal(schema['$schema'], 'http://json-schema.org/draft-07/schema#');
  assert.equal(schema.additionalProperties, false);
  assert.deepEqual(schema['patternProperties'], { '^x-': {} });
  assert.deepEqual(Object.keys(schema.properties ?? {}), ['name', 'state_dir', 'host', 'dependencies', 'services', 'proxies', 'hub', 'toxiproxy', 'console', 'edge', 'scenarios']);
  const hub = objectOf(schema.properties?.['hub']);
  assert.equal(hub.additionalProperties, false);
  assert.equal(hub.properties?.['scrape_interval']?.default, DEFAULTS.hub.scrape_interval);
  assert.equal(hub.properties?.['otlp_grpc_port']?.default, 4317);
  const services = schema.properties?.['services']?.anyOf?.find((b) => b['type'] === 'object');
  assert.equal((services?.['propertyNames'] as Schema | undefined)?.['pattern'], '^[a-z][a-z0-9-]*$');
  const service = services?.additionalProperties as Schema;
  assert.deepEqual(Object.keys(service.properties ?? {}), ['command', 'cwd', 'replicas', 'environment', 'port_env', 'healthcheck', 'restart', 'depends_on', 'ports', 'proxy']);
  assert.equal(service.properties?.['replicas']?.default, 1);
  assert.deepEqual(service.properties?.['restart']?.['enum'], ['no', 'always', 'on-failure', 'unless-stopped']);
  for (const [key, property] of Object.entries(service.properties ?? {})) assert.ok(property.description, `services.*.${key} has a description`);
  const postgres = objectOf(objectOf(schema.properties?.['dependencies']).properties?.['postgres']);
  assert.equal(postgres.properties?.['proxy']?.description !== undefined, true);
  assert.equal(objectOf(postgres.properties?.['proxy']).properties?.['listen']?.default, 5432);
});
