// Each benchmark owns one section of docs/benchmarks.md between its own markers,
// so a script refreshes its results and leaves the prose and the others' sections alone.
import { readFile, writeFile } from 'node:fs/promises';

/**
 * Replaces the text between `start` and `end`. A file without the markers gets
 * them appended under `heading`; a missing or empty file starts with `intro`.
 */
export async function writeSection(fileUrl, { start, end, heading, intro = '# Benchmarks\n' }, section) {
  let text = '';
  try {
    text = await readFile(fileUrl, 'utf8');
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
  }
  const block = `${start}\n${section}\n${end}`;
  const from = text.indexOf(start);
  const to = text.indexOf(end, from);
  let next;
  if (from >= 0 && to > from) next = `${text.slice(0, from)}${block}${text.slice(to + end.length)}`;
  else if (text.trim() === '') next = `${intro}\n${heading}\n\n${block}\n`;
  else next = `${text.trimEnd()}\n\n${heading}\n\n${block}\n`;
  await writeFile(fileUrl, next);
}
