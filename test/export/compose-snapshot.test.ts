/**
 * Snapshots of every file `renderCompose` writes for the default (cafe) config, so a
 * change to the export shows up in review. CLOUDLAB_UPDATE_SNAPSHOTS=1 rewrites them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ROOT, renderDefault, tempDir } from './compose-helpers.js';

const SNAPSHOTS = join(ROOT, 'test', 'export', '__snapshots__', 'compose');
const UPDATE = process.env['CLOUDLAB_UPDATE_SNAPSHOTS'] === '1';

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(join(dir, prefix), { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? listFiles(dir, join(prefix, e.name)) : Promise.resolve(e.isFile() ? [join(prefix, e.name)] : []))));
  return nested.flat().map((p) => p.split('\\').join('/')).sort();
}

test('the default config exports the snapshotted compose files', async (t) => {
  // As if exported to deploy/compose at the repository root: build contexts are then ../../examples/cafe.
  const cwd = await tempDir(t, 'snap');
  const { files } = await renderDefault(cwd, join(ROOT, 'deploy', 'compose'));
  if (UPDATE) {
    await rm(SNAPSHOTS, { recursive: true, force: true });
    for (const f of files) {
      await mkdir(dirname(join(SNAPSHOTS, f.path)), { recursive: true });
      await writeFile(join(SNAPSHOTS, f.path), f.content);
    }
  }
  assert.deepEqual(files.map((f) => f.path).sort(), await listFiles(SNAPSHOTS), 'the same files (CLOUDLAB_UPDATE_SNAPSHOTS=1 to accept a change)');
  for (const f of files) {
    assert.equal(f.content, await readFile(join(SNAPSHOTS, f.path), 'utf8'), `${f.path} differs from its snapshot (CLOUDLAB_UPDATE_SNAPSHOTS=1 to accept a change)`);
  }
  assert.match(files.find((f) => f.path === 'docker-compose.yml')?.content ?? '', /context: \.\.\/\.\.\/examples\/cafe\n\s+dockerfile: \.\.\/\.\.\/deploy\/compose\/cafe\/Dockerfile/);
});
