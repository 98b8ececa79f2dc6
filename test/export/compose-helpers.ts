/** Shared setup of the compose export tests: the two configs and their rendered files in a temp dir. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import { exportModel, renderCompose, writeExport } from '../../src/export/index.js';
import type { ExportFile, ExportModel } from '../../src/export/index.js';

// Compiled to dist/test/export/: the repository root is three levels up.
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');
export const USER_FIXTURE = join(ROOT, 'test', 'export', 'fixtures', 'compose-user');

export interface Rendered {
  model: ExportModel;
  files: ExportFile[];
  outDir: string;
}

export async function tempDir(t: TestContext, prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `cloudlab-${prefix}-`));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The built-in cafe demo, for a lab in `cwd` (a directory without cloudlab.yaml). */
export async function renderDefault(cwd: string, outDir: string): Promise<Rendered> {
  const config = await loadConfig({ cwd, env: {} });
  const model = exportModel(config, { packageRoot: ROOT });
  return { model, files: renderCompose(model, { outDir }), outDir };
}

export async function renderUser(outDir: string): Promise<Rendered> {
  const config = await loadConfig({ cwd: USER_FIXTURE, file: 'cloudlab.yaml', env: {} });
  const model = exportModel(config, { packageRoot: ROOT });
  return { model, files: renderCompose(model, { outDir }), outDir };
}

export async function renderedTo(t: TestContext, which: 'default' | 'user'): Promise<Rendered> {
  const outDir = await tempDir(t, `export-${which}`);
  const rendered = which === 'default' ? await renderDefault(outDir, outDir) : await renderUser(outDir);
  await writeExport(outDir, rendered.files);
  return rendered;
}

export function file(files: readonly ExportFile[], path: string): string {
  const found = files.find((f) => f.path === path);
  if (!found) throw new Error(`no ${path} among ${files.map((f) => f.path).join(', ')}`);
  return found.content;
}
