/**
 * A scenario's data with the positions of its keys: YAML and JSON text (parsed with
 * `yaml`, which reads JSON too, so both get line numbers), or an object (a JS module,
 * a built-in) located by its label alone.
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node } from 'yaml';
import { LabError } from '../../errors.js';
import type { KeyPath, Locate } from './problems.js';

export interface ScenarioSource {
  readonly data: unknown;
  /** How messages name the scenario: the file as given, or `built-in:<name>`. */
  readonly label: string;
  readonly locate: Locate;
}

/** Parses YAML or JSON text; throws LAB_LOAD_SCENARIO_INVALID, with line and column, for text that is neither. */
export function readTextSource(text: string, label: string): ScenarioSource {
  const lineCounter = new LineCounter();
  // logLevel 'error': a map used as a key (an unquoted {{uuid}}) is reported by the task checks, not as a process warning.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const at = (offset: number): string => {
    const { line, col } = lineCounter.linePos(offset);
    return `${label}:${line}:${col}`;
  };
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((e) => {
      const reason = e.message.replace(/\s+/g, ' ').trim().replace(/ at line \d+, column \d+:?.*$/, '');
      return `${at(e.pos[0])} is not valid YAML: ${reason}; fix: check the indentation, colons and quotes there (a value with {{ must be quoted)`;
    });
    throw new LabError('LAB_LOAD_SCENARIO_INVALID', lines.join('\n'));
  }
  return { data: doc.toJS({ maxAliasCount: 1000 }), label, locate: (path) => at(offsetOf(doc, path)) };
}

/** An object scenario (a JS module's default export, a built-in): problems name the label. */
export function objectSource(data: unknown, label: string): ScenarioSource {
  return { data, label, locate: () => label };
}

function keyOf(node: unknown): string {
  return isScalar(node) ? String(node.value) : String(node);
}

/** The offset of a key path's value (its key when the value is empty; the nearest parent when missing). */
function offsetOf(doc: Document, path: KeyPath): number {
  let node: unknown = doc.contents;
  let fallback = (node as Node | null)?.range?.[0] ?? 0;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => keyOf(p.key) === String(part));
      if (!pair) return fallback;
      fallback = (pair.key as Node | null)?.range?.[0] ?? fallback;
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number' && node.items[part] !== undefined) {
      node = node.items[part];
    } else {
      return fallback;
    }
    const range = (node as Node | null)?.range;
    const empty = isScalar(node) && node.value === null && node.source === '';
    if (range && !empty) fallback = range[0];
  }
  return fallback;
}
