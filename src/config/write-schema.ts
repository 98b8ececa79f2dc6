/**
 * Writes schema/cloudlab.schema.json from the zod schema:
 *   npx tsc -b && node dist/src/config/write-schema.js
 * test/config/json-schema.test.ts fails when the committed file differs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT } from './package-root.js';
import { SCHEMA_FILE, configJsonSchemaText } from './json-schema.js';

const target = join(PACKAGE_ROOT, SCHEMA_FILE);
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, configJsonSchemaText());
process.stdout.write(`wrote ${target}\n`);
