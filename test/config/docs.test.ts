/** docs/config.md: every key of the schema is documented, and its standalone examples load. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configJsonSchema, parseConfig } from '../../src/config/index.js';
import { tempDir } from './fixtures.js';

// Compiled to dist/test/config/: the package root is three levels up.
const DOC = readFileSync(new URL('../../../docs/config.md', import.meta.url), 'utf8');

/** Every property name anywhere in the JSON Schema. */
function keys(schema: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const item of schema) keys(item, out);
  else if (schema !== null && typeof schema === 'object') {
    for (const [key, value] of Object.entries(schema as Record<string, unknown>)) {
      if (key === 'properties' && value !== null && typeof value === 'object') for (const name of Object.keys(value)) out.add(name);
      keys(value, out);
    }
  }
  return out;
}

test('docs/config.md documents every key of the schema', () => {
  const all = keys(configJsonSchema());
  assert.ok(all.size > 40, `found ${all.size} keys`);
  const missing = [...all].filter((key) => !DOC.includes(`\`${key}\``) && !DOC.includes(`.${key}\``));
  assert.deepEqual(missing, [], 'keys without a row or mention in docs/config.md');
});

test('the standalone YAML examples of docs/config.md load', async (t) => {
  const blocks = [...DOC.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  // Fragments (indented) and the demo with <pkg> placeholders are not whole files.
  const whole = blocks.filter((b) => !b.includes('<pkg>') && !/^\s/.test(b.split('\n').find((l) => l.trim() !== '' && !l.startsWith('#')) ?? ''));
  assert.ok(whole.length >= 6, `found ${whole.length} examples`);
  const file = join(await tempDir(t), 'cloudlab.yaml');
  for (const text of whole) {
    assert.doesNotThrow(() => parseConfig(text, { file, env: {} }), text);
  }
  const example = whole.find((b) => b.startsWith('# cloudlab.yaml'));
  assert.ok(example, 'the complete example is there');
  const config = parseConfig(example, { file, env: {} });
  assert.deepEqual(config.services['hello']?.environment, { GREETING: 'lab' });
  assert.equal(config.services['hello']?.replicas, 2);
});
