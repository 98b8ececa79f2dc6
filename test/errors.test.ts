import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, LabError, describeValue } from '../src/errors.js';

// Compiled to dist/test/errors.test.js; the sources sit two levels up.
const root = new URL('../../', import.meta.url).pathname;

function documented(): Map<string, number> {
  const rows = new Map<string, number>();
  const text = readFileSync(join(root, 'docs/errors.md'), 'utf8');
  for (const match of text.matchAll(/^\| `(LAB_[A-Z_]+)` \| (\d{3}) \|/gm)) rows.set(match[1]!, Number(match[2]));
  return rows;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') ? [readFileSync(path, 'utf8')] : [];
  });
}

test('docs/errors.md lists every code with its status, and nothing else', () => {
  const docs = documented();
  const code = new Map(Object.entries(ERROR_CODES));
  assert.ok(code.size > 0);
  assert.deepEqual([...docs.keys()].sort(), [...code.keys()].sort());
  for (const [name, status] of code) assert.equal(docs.get(name), status, `${name}: status in docs/errors.md`);
});

test('every code is raised somewhere in src/', () => {
  const text = sources(join(root, 'src'))
    .join('\n')
    .replace(/export const ERROR_CODES = \{[^}]*\}/, '');
  const unused = Object.keys(ERROR_CODES).filter((c) => !text.includes(`'${c}'`));
  assert.deepEqual(unused, [], 'codes defined but never raised: remove them before release, or retire them in docs/errors.md');
});

test('LabError carries code, status, cause and the API error shape', () => {
  const cause = new Error('boom');
  const err = new LabError('LAB_PROXY_NOT_FOUND', 'proxy not found: db', { cause });
  assert.equal(err.code, 'LAB_PROXY_NOT_FOUND');
  assert.equal(err.statusCode, 404);
  assert.equal(err.cause, cause);
  assert.deepEqual(JSON.parse(JSON.stringify(err)), { error: { code: 'LAB_PROXY_NOT_FOUND', message: 'proxy not found: db' } });
  assert.equal(new LabError('LAB_PROXY_NOT_FOUND', 'x', { statusCode: 410 }).statusCode, 410);
});

test('describeValue quotes strings, shows JSON and cuts long values', () => {
  assert.equal(describeValue('8080'), '"8080"');
  assert.equal(describeValue(-1), '-1');
  assert.equal(describeValue(undefined), 'nothing');
  assert.equal(describeValue({ a: 1 }), '{"a":1}');
  assert.equal(describeValue(10n), '10n');
  const cyclic: Record<string, unknown> = {};
  cyclic['self'] = cyclic;
  assert.equal(describeValue(cyclic), 'an object with a cycle');
  const long = describeValue('x'.repeat(200));
  assert.equal(long.length, 80);
  assert.ok(long.endsWith('...'));
});
