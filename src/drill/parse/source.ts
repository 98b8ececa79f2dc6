/**
 * A drill file's data with the positions of its keys, so every problem names its
 * line and column (`drill.yaml:12:7`). YAML (JSON is YAML too).
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node } from 'yaml';
import { LabError } from '../../errors.js';
import type { KeyPath, Locate } from './problems.js';

export interface DrillSource {
  readonly data: unknown;
  readonly locate: Locate;
}

/** Parses the text; a YAML error is LAB_DRILL_FILE_INVALID with its line and column. */
export function readDrillSource(text: string, label: string): DrillSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const at = (offset: number): string => {
    const { line, col } = lineCounter.linePos(offset);
    return `${label}:${line}:${col}`;
  };
  const first = doc.errors[0];
  if (first !== undefined) {
    // The first error only: the rest are usually the parser losing its way after it.
    const reason = first.message.replace(/\s+/g, ' ').trim().replace(/ at line \d+, column \d+:?.*$/, '');
    const line = text.split('\n')[lineCounter.linePos(first.pos[0]).line - 1] ?? '';
    const fix = /\{[^}]*\$\{/.test(line) || /^\s*[\w-]+:\s*\$\{[^}]*\}\s*[,}]/.test(line)
      ? "inside { ... } a parameter must be quoted: write at: '${outage_at}', or use one key per line"
      : 'check the indentation, colons and quotes there (quote a value that holds ": " or starts with {, [ or *)';
    throw new LabError('LAB_DRILL_FILE_INVALID', `${at(first.pos[0])} is not valid YAML: ${reason}; fix: ${fix}`);
  }
  return { data: doc.toJS({ maxAliasCount: 100 }), locate: (path) => at(offsetOf(doc, path)) };
}

function keyText(node: unknown): string {
  return isScalar(node) ? String(node.value) : String(node);
}

/** The offset of a key path's value (the nearest parent's when it is missing). */
function offsetOf(doc: Document, path: KeyPath): number {
  let node: unknown = doc.contents;
  let found = (node as Node | null)?.range?.[0] ?? 0;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === String(part));
      if (!pair) return found;
      found = (pair.key as Node | null)?.range?.[0] ?? found;
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number' && node.items[part] !== undefined) {
      node = node.items[part];
    } else {
      return found;
    }
    const range = (node as Node | null)?.range;
    const empty = isScalar(node) && node.value === null && node.source === '';
    if (range && !empty) found = range[0];
  }
  return found;
}
