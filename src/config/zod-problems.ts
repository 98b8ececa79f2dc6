/** Turns zod issues into problems that name the key path, the value received and the fix. */
import type { z } from 'zod';
import { describeValue } from '../errors.js';
import { readRule } from './rules.js';
import { unknownKeyFix } from './suggest.js';
import { describeReceived, valueAt } from './problem.js';
import type { KeyPath, Problem } from './problem.js';

type Issue = z.core.$ZodIssue;

export function problemsFromIssues(issues: readonly Issue[], data: unknown, prefix: KeyPath = []): Problem[] {
  return issues.flatMap((issue) => fromIssue(issue, data, [...prefix, ...(issue.path as KeyPath)]));
}

function fromIssue(issue: Issue, data: unknown, path: KeyPath): Problem[] {
  const rule = readRule(issue.message);
  if (issue.code === 'unrecognized_keys') {
    const what = rule?.kind === 'keys' ? rule.what : 'this map';
    const known = rule?.kind === 'keys' ? rule.known : [];
    return issue.keys.map((key) => ({ path: [...path, key], at: 'key' as const, expected: `is not a key of ${what}`, fix: unknownKeyFix(key, known) }));
  }
  if (issue.code === 'invalid_union') {
    // A branch whose every issue lies below this value matched the value's type: its issues are the real ones.
    const deep = issue.errors.filter((branch) => branch.length > 0 && branch.every((i) => i.path.length > 0));
    const best = deep.sort((a, b) => a.length - b.length)[0];
    if (best) return problemsFromIssues(best, data, path);
  }
  if (issue.code === 'invalid_key') {
    const inner = issue.issues.map((i) => readRule(i.message)).find((r) => r?.kind === 'rule');
    const key = path[path.length - 1];
    return [
      {
        path,
        at: 'key',
        expected: inner?.kind === 'rule' ? `is not a valid name: it ${inner.expected}` : 'is not a valid name',
        received: describeValue(key),
        fix: inner?.kind === 'rule' ? inner.fix : 'rename it',
      },
    ];
  }
  const received = describeReceived(path, valueAt(data, path));
  if (rule?.kind === 'rule') return [{ path, at: 'value', expected: rule.expected, received, fix: rule.fix }];
  return [{ path, at: 'value', expected: `is invalid (${issue.message})`, received, fix: 'see docs/config.md for this key' }];
}
