/**
 * File snapshots for the Terraform export, kept as is under
 * test/export/__snapshots__/terraform/<name>/ so a change is a plain diff in review.
 * CLOUDLAB_UPDATE_SNAPSHOTS=1 rewrites them.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExportFile } from '../../src/export/index.js';

/** The repository's test/export, from dist/test/export where the compiled test runs. */
const SOURCE_DIR = fileURLToPath(new URL('../../../test/export/', import.meta.url));
const SNAPSHOT_ROOT = join(SOURCE_DIR, '__snapshots__', 'terraform');
export const FIXTURES = join(SOURCE_DIR, 'fixtures');

function listFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Compares (or, when updating, rewrites) the snapshot `name`: the paths that differ. */
export function compareSnapshot(name: string, files: readonly ExportFile[], update = process.env['CLOUDLAB_UPDATE_SNAPSHOTS'] === '1'): { missing: string[]; extra: string[]; changed: string[] } {
  const dir = join(SNAPSHOT_ROOT, name);
  if (update) {
    rmSync(dir, { recursive: true, force: true });
    for (const f of files) {
      const path = join(dir, ...f.path.split('/'));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, f.content);
    }
  }
  const stored = new Map(listFiles(dir).map((p) => [relative(dir, p).split(sep).join('/'), readFileSync(p, 'utf8')]));
  const generated = new Set(files.map((f) => f.path));
  return {
    missing: [...stored.keys()].filter((p) => !generated.has(p)),
    extra: files.filter((f) => !stored.has(f.path)).map((f) => f.path),
    changed: files.filter((f) => stored.has(f.path) && stored.get(f.path) !== f.content).map((f) => f.path),
  };
}
