/**
 * File snapshots for the Kubernetes export: each generated file is kept as is under
 * test/export/__snapshots__/k8s/<name>/, so a change shows up as a plain diff in review.
 * CLOUDLAB_UPDATE_SNAPSHOTS=1 rewrites them.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExportFile } from '../../src/export/index.js';

/** The repository's test/export, from dist/test/export where the compiled test runs. */
const SOURCE_DIR = fileURLToPath(new URL('../../../test/export/', import.meta.url));
export const SNAPSHOT_ROOT = join(SOURCE_DIR, '__snapshots__', 'k8s');
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

export interface SnapshotDiff {
  missing: string[];
  extra: string[];
  changed: string[];
}

/** Compares (or, when updating, rewrites) the snapshot `name` with the files. */
export function compareSnapshot(name: string, files: readonly ExportFile[], update = process.env['CLOUDLAB_UPDATE_SNAPSHOTS'] === '1'): SnapshotDiff {
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
  const diff: SnapshotDiff = { missing: [], extra: [], changed: [] };
  for (const f of files) {
    const old = stored.get(f.path);
    if (old === undefined) diff.extra.push(f.path);
    else if (old !== f.content) diff.changed.push(f.path);
  }
  const generated = new Set(files.map((f) => f.path));
  for (const path of stored.keys()) if (!generated.has(path)) diff.missing.push(path);
  return diff;
}
