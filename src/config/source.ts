/**
 * A YAML config text with its source positions: parse errors with line and column,
 * `${VAR}` interpolation of string values, and `file:line:col` of any key path.
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, parse as parseYamlText } from 'yaml';
import type { Document, Node } from 'yaml';
import { LabError, describeValue } from '../errors.js';
import { interpolate } from './interpolate.js';
import type { KeyPath, Problem } from './problem.js';

export interface Source {
  /** The file as plain data (after interpolation). */
  readonly data: unknown;
  /** How messages name the file (`cloudlab.yaml`). */
  readonly label: string;
  /** Line and column (from 1) of a key path's key or value (the nearest existing key when the path is missing). */
  locate(path: KeyPath, at: 'key' | 'value'): { line: number; col: number };
  /** Interpolation problems (unset variables, bad `${...}`). */
  readonly problems: readonly Problem[];
}

type Env = Readonly<Record<string, string | undefined>>;

/** Parses YAML text; throws LAB_CONFIG_PARSE for text that is not YAML. */
export function readSource(text: string, label: string, env: Env): Source {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true, uniqueKeys: true });
  const at = (offset: number): string => {
    const { line, col } = lineCounter.linePos(offset);
    return `${label}:${line}:${col}`;
  };
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((e) => `${at(e.pos[0])} is not valid YAML: ${e.message.replace(/\s+/g, ' ').trim()}; fix: check the indentation, colons and quotes there`);
    throw new LabError('LAB_CONFIG_PARSE', lines.join('\n'));
  }
  const problems: Problem[] = [];
  interpolateNode(doc, doc.contents, [], env, problems);
  const data: unknown = doc.toJS({ maxAliasCount: 1000 });
  return {
    data,
    problems,
    label,
    locate: (path, where) => lineCounter.linePos(offsetOf(doc, path, where)),
  };
}

function interpolateNode(doc: Document, node: unknown, path: KeyPath, env: Env, problems: Problem[]): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      interpolateNode(doc, pair.value, [...path, key], env, problems);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => interpolateNode(doc, item, [...path, i], env, problems));
  } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('$')) {
    const original = node.value;
    const result = interpolate(original, env);
    if (!result.ok) {
      problems.push(
        result.kind === 'unset'
          ? {
              path,
              at: 'value',
              expected: `uses \${${result.variable}}, which is ${result.empty ? 'empty' : 'not set'}${result.message === null ? '' : ` (${result.message})`}`,
              received: describeValue(original),
              fix: `set ${result.variable} in the environment, or give a default: \${${result.variable}:-value}`,
            }
          : { path, at: 'value', expected: `has an invalid substitution: ${result.reason}`, received: describeValue(original), fix: 'write ${NAME} or ${NAME:-default}, and $$ for a literal $' },
      );
      return;
    }
    // An unquoted value reads as YAML would read the text written there: port: ${PORT:-5432} is a number.
    node.value = node.type === 'PLAIN' ? plainScalar(result.value) : result.value;
  }
}

function plainScalar(text: string): string | number | boolean {
  if (text.trim() === '') return text;
  try {
    const value: unknown = parseYamlText(text);
    return typeof value === 'number' || typeof value === 'boolean' ? value : text;
  } catch {
    return text;
  }
}

function offsetOf(doc: Document, path: KeyPath, where: 'key' | 'value'): number {
  let node: unknown = doc.contents;
  let keyNode: Node | null = null;
  for (const part of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(part));
      if (!pair) return start(keyNode);
      keyNode = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number' && node.items[part] !== undefined) {
      node = node.items[part];
      keyNode = node as Node;
    } else {
      return start(keyNode);
    }
  }
  if (where === 'key') return start(keyNode);
  const value = node as Node | null;
  const isEmpty = isScalar(value) && value.value === null && value.source === '';
  return value?.range && !isEmpty ? value.range[0] : start(keyNode);
}

function start(node: Node | null): number {
  return node?.range?.[0] ?? 0;
}
