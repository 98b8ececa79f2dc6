/** One problem found in a config file, and how it reads in an error message. */
import { describeValue } from '../errors.js';
import { formatKeyPath } from '../key-path.js';
import type { KeyPath } from '../key-path.js';

export type { KeyPath } from '../key-path.js';

export interface Problem {
  /** Key path in the file (`['services', 'cafe', 'replicas']`). */
  path: KeyPath;
  /** Point at the key itself (an unknown key) or at its value. */
  at: 'key' | 'value';
  /** What was expected, worded after the path: "must be an integer from 0 to 32". */
  expected: string;
  /** The value received, already described (`"two"`); left out when the key itself is the problem. */
  received?: string;
  fix: string;
}

/** `services.cafe.replicas`, `proxies[0].listen`, `environment["A.B"]`; the root reads `the file`. */
export function formatPath(path: KeyPath): string {
  return formatKeyPath(path, 'the file');
}

/** `cloudlab.yaml:7:15 services.cafe.replicas must be ..., received "two"; fix: write a number such as 2`. */
export function formatProblem(location: string, problem: Problem): string {
  const received = problem.received === undefined ? '' : `, received ${problem.received}`;
  return `${location} ${formatPath(problem.path)} ${problem.expected}${received}; fix: ${problem.fix}`;
}

/** Reads the value at a key path of parsed data; undefined when any step is missing. */
export function valueAt(data: unknown, path: KeyPath): unknown {
  let node = data;
  for (const part of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[part];
  }
  return node;
}

const SECRET_KEY = /password|secret|token/i;

/** Masks the password of a URL ("postgres://u:********@h/db"). */
export function maskUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, '$1********@');
}

/** Describes a received value for a message, without printing secrets. */
export function describeReceived(path: KeyPath, value: unknown): string {
  const last = path[path.length - 1];
  if (typeof last === 'string' && SECRET_KEY.test(last) && value !== undefined && value !== null) return '"********"';
  if (typeof value === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return describeValue(maskUrl(value));
  return describeValue(value);
}
