/**
 * Checks the templates of a task when the scenario loads, so a typo is reported with
 * its line rather than at the first request: {{uuid}}, {{randomInt a b}}, {{vu}},
 * {{iteration}}, {{pick a|b|c}}. The engine renders them.
 */
import { isRecord } from './problems.js';
import type { KeyPath, Problems } from './problems.js';

const TEMPLATE = /\{\{\s*([^}]*?)\s*\}\}/g;
export const TEMPLATE_NAMES = ['uuid', 'randomInt', 'vu', 'iteration', 'pick'] as const;
const FIX = 'use {{uuid}}, {{randomInt 1 8}}, {{vu}}, {{iteration}} or {{pick a|b|c}}';

/** The problem with one expression (the text inside the braces), or null. */
function problemOf(expression: string): string | null {
  const [name = '', ...args] = expression.split(/\s+/);
  switch (name) {
    case 'uuid':
    case 'vu':
    case 'iteration':
      return args.length === 0 ? null : `{{${name}}} takes no arguments`;
    case 'randomInt': {
      const [low, high] = args.map(Number);
      const ok = args.length === 2 && Number.isInteger(low) && Number.isInteger(high) && (low ?? 0) <= (high ?? 0);
      return ok ? null : '{{randomInt a b}} takes two whole numbers a <= b';
    }
    case 'pick':
      return args.join(' ').split('|').some((c) => c === '') ? '{{pick a|b|c}} takes choices separated by |, none empty' : null;
    default:
      return `unknown template {{${expression}}}`;
  }
}

/** Records a problem for each bad template in a string. */
export function checkTemplateString(text: string, path: KeyPath, problems: Problems): void {
  for (const match of text.matchAll(TEMPLATE)) {
    const problem = problemOf(match[1] ?? '');
    if (problem !== null) problems.add(path, `has a bad template: ${problem}`, text, FIX);
  }
}

/** Checks every string in a JSON body, and flags what YAML made of an unquoted {{...}}. */
export function checkTemplateValue(value: unknown, path: KeyPath, problems: Problems): void {
  if (typeof value === 'string') {
    checkTemplateString(value, path, problems);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => checkTemplateValue(item, [...path, i], problems));
  } else if (isRecord(value)) {
    const keys = Object.keys(value);
    // YAML reads an unquoted {{uuid}} as a map whose key is a map: { "{ uuid }": null }.
    if (keys.length === 1 && /^\{.*\}$/.test(keys[0] ?? '') && value[keys[0] ?? ''] === null) {
      problems.add(path, 'looks like an unquoted template', value, `quote it: '{{${(keys[0] ?? '').slice(1, -1).trim()}}}'`);
      return;
    }
    for (const key of keys) checkTemplateValue(value[key], [...path, key], problems);
  }
}
