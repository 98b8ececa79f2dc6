/** writeReports(): the JSON summary at `out`, and the HTML report beside it. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LabError } from '../../errors.js';
import type { RunSummary } from '../types.js';
import { renderHtml } from './html.js';

/** `report.json` -> `report.html`; any other name gets `.html` appended. */
export function htmlPathFor(out: string): string {
  return /\.json$/i.test(out) ? out.replace(/\.json$/i, '.html') : `${out}.html`;
}

export async function writeReports(summary: RunSummary, outFile: string): Promise<{ json: string; html: string }> {
  const html = htmlPathFor(outFile);
  try {
    await mkdir(dirname(outFile), { recursive: true });
    await writeFile(outFile, `${JSON.stringify(summary, null, 2)}\n`);
    await writeFile(html, renderHtml(summary));
  } catch (err) {
    throw new LabError('LAB_LOAD_REPORT_WRITE_FAILED', `the load report cannot be written to "${outFile}": ${(err as Error).message}; fix: pass --out with a writable path`, { cause: err });
  }
  return { json: outFile, html };
}

/** Reads a JSON summary written by writeReports (for --compare). */
export async function readSummary(file: string): Promise<RunSummary> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new LabError('LAB_LOAD_REPORT_INVALID', `the load report "${file}" cannot be read: ${(err as Error).message}`, { cause: err });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new LabError('LAB_LOAD_REPORT_INVALID', `the load report "${file}" is not JSON: ${(err as Error).message}; fix: pass a file that cloudlab load --out wrote`, { cause: err });
  }
  const s = parsed as Partial<RunSummary> | null;
  if (!s || typeof s !== 'object' || typeof s.requests !== 'number' || !Array.isArray(s.tasks) || typeof s.responseTime !== 'object') {
    throw new LabError('LAB_LOAD_REPORT_INVALID', `the load report "${file}" must be a summary that cloudlab load --out wrote (with requests, responseTime and tasks)`);
  }
  return parsed as RunSummary;
}
