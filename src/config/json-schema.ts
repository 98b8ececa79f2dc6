/** The JSON Schema of cloudlab.yaml for editors, generated from the zod schema. */
import { z } from 'zod';
import { fileSchema } from './schema.js';

export const SCHEMA_FILE = 'schema/cloudlab.schema.json';
export const SCHEMA_ID = 'https://cloudlab.dev/schema/cloudlab.schema.json';

/** The JSON Schema (draft-07, which editors support widely) of the file as written. */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(fileSchema, { io: 'input', target: 'draft-7', unrepresentable: 'any' }) as Record<string, unknown>;
  // compose's extension fields: top-level keys starting with x- are allowed and ignored.
  return { ...schema, $id: SCHEMA_ID, patternProperties: { '^x-': {} } };
}

/** The text of schema/cloudlab.schema.json. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
