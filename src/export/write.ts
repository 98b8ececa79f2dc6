/**
 * Writes an export's files under a directory. A file that exists with other content is
 * not overwritten unless `force`: the first such file stops the write before anything
 * is written, and the error names it.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { LabError } from '../errors.js';
import type { ExportFile } from './model.js';

export interface WriteExportOptions {
  /** Overwrite files whose content differs. */
  readonly force?: boolean;
  /** Called once per file, after it is written (or found unchanged). */
  readonly onFile?: (path: string, status: WrittenStatus) => void;
}

export type WrittenStatus = 'created' | 'updated' | 'unchanged';

export interface WrittenFile {
  /** Absolute path. */
  readonly path: string;
  readonly status: WrittenStatus;
}

async function existing(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new LabError('LAB_EXPORT_WRITE_FAILED', `cannot read ${path} (${(err as Error).message}); check its permissions or pick another --out`, { cause: err });
  }
}

function target(outDir: string, file: ExportFile): string {
  const rel = normalize(file.path);
  if (isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`)) {
    throw new LabError('LAB_EXPORT_WRITE_FAILED', `export file path must stay inside the output directory, received "${file.path}"`);
  }
  return join(outDir, rel);
}

export async function writeExport(outDir: string, files: readonly ExportFile[], options: WriteExportOptions = {}): Promise<WrittenFile[]> {
  const plan: Array<{ path: string; content: string; status: WrittenStatus }> = [];
  for (const file of files) {
    const path = target(outDir, file);
    const before = await existing(path);
    if (before !== null && before !== file.content && options.force !== true) {
      throw new LabError('LAB_EXPORT_FILE_CHANGED', `${path} exists with other content than cloudlab generates; rerun with --force to overwrite it, or pick another --out`);
    }
    plan.push({ path, content: file.content, status: before === null ? 'created' : before === file.content ? 'unchanged' : 'updated' });
  }
  const written: WrittenFile[] = [];
  for (const item of plan) {
    if (item.status !== 'unchanged') {
      try {
        await mkdir(dirname(item.path), { recursive: true });
        await writeFile(item.path, item.content);
      } catch (err) {
        throw new LabError('LAB_EXPORT_WRITE_FAILED', `cannot write ${item.path} (${(err as Error).message}); check the directory's permissions or pick another --out`, { cause: err });
      }
    }
    written.push({ path: item.path, status: item.status });
    options.onFile?.(item.path, item.status);
  }
  return written;
}
