/** writeExport: creates directories, never half-writes, refuses changed files unless forced. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdir, access } from 'node:fs/promises';
import { join } from 'node:path';
import { writeExport } from '../../src/export/index.js';
import { LabError } from '../../src/errors.js';
import { tempDir } from './compose-helpers.js';

test('a changed file stops the write before any file is written, naming it; force overwrites', async (t) => {
  const dir = await tempDir(t, 'write');
  await mkdir(join(dir, 'b'));
  await writeFile(join(dir, 'b', 'two.txt'), 'mine\n');
  const files = [{ path: 'a/one.txt', content: '1\n' }, { path: 'b/two.txt', content: '2\n' }];
  await assert.rejects(writeExport(dir, files), (err: unknown) => {
    assert.ok(err instanceof LabError);
    assert.equal(err.code, 'LAB_EXPORT_FILE_CHANGED');
    assert.match(err.message, /b\/two\.txt exists with other content.*--force/);
    return true;
  });
  await assert.rejects(access(join(dir, 'a', 'one.txt')), 'nothing written when one file conflicts');

  const seen: string[] = [];
  const written = await writeExport(dir, files, { force: true, onFile: (path, status) => seen.push(`${status} ${path.slice(dir.length + 1)}`) });
  assert.deepEqual(seen, ['created a/one.txt', 'updated b/two.txt']);
  assert.deepEqual(written.map((w) => w.status), ['created', 'updated']);
  assert.equal(await readFile(join(dir, 'b', 'two.txt'), 'utf8'), '2\n');
  const again = await writeExport(dir, files);
  assert.deepEqual(again.map((w) => w.status), ['unchanged', 'unchanged']);
});

test('a path outside the output directory is refused', async (t) => {
  const dir = await tempDir(t, 'write-escape');
  await assert.rejects(writeExport(dir, [{ path: '../evil.txt', content: 'x' }]), (err: unknown) => {
    assert.ok(err instanceof LabError);
    assert.equal(err.code, 'LAB_EXPORT_WRITE_FAILED');
    assert.match(err.message, /must stay inside the output directory, received "\.\.\/evil\.txt"/);
    return true;
  });
});
