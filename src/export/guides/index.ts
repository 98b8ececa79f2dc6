/**
 * The guides written beside every export: docs/local-setup.md, docs/demo-guide.md and
 * docs/aws-migration.md as shipped in this package (docs/ is in package.json "files"),
 * each under a one-line header naming the project. Public API of export/guides.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabError } from '../../errors.js';
import type { ExportFile, ExportModel } from '../model.js';

/** This package's root: the compiled file is dist/src/export/guides/, four levels below. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** The guides, in the order a team reads them. */
export const GUIDE_NAMES = ['local-setup.md', 'demo-guide.md', 'aws-migration.md'] as const;

export interface RenderGuidesOptions {
  /** Where cloudlab is installed (its docs/ folder is read); default: this package. */
  readonly packageRoot?: string;
}

function readGuide(docsDir: string, name: string): string {
  const path = join(docsDir, name);
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new LabError(
      'LAB_EXPORT_WRITE_FAILED',
      `cannot read the guide ${path} (${(err as Error).message}); cloudlab ships docs/ in its package, so reinstall cloudlab or pass the package root that has docs/${name}`,
      { cause: err },
    );
  }
}

function header(model: ExportModel, name: string): string {
  return `> Guide for the project "${model.project}", written by \`cloudlab export\` from cloudlab's docs/${name}; its relative links point into cloudlab's docs/ folder.\n\n`;
}

/** The three guides as export files under `guides/`. Reads the package's docs/; writes nothing. */
export function renderGuides(model: ExportModel, options: RenderGuidesOptions = {}): ExportFile[] {
  const docsDir = join(resolve(options.packageRoot ?? PACKAGE_ROOT), 'docs');
  return GUIDE_NAMES.map((name) => ({ path: `guides/${name}`, content: header(model, name) + readGuide(docsDir, name) }));
}
