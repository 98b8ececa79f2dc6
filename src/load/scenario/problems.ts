/**
 * Problems found in a scenario: each names the key path, what was expected, what
 * arrived and the fix. All problems of a file are thrown at once, as one
 * LAB_LOAD_SCENARIO_INVALID whose lines read
 * `scenario.yaml:4:7 stages[1].duration must be a duration such as 30s, received "fast"; fix: ...`.
 */
import { LabError, describeValue } from '../../errors.js';
import { editDistance } from '../../edit-distance.js';
import { formatKeyPath } from '../../key-path.js';
import type { KeyPath } from '../../key-path.js';

export type { KeyPath } from '../../key-path.js';
export { isRecord } from '../../key-path.js';

export interface Problem {
  path: KeyPath;
  /** Starts with the verb: `must be a duration such as 30s`. */
  expected: string;
  received: unknown;
  fix: string;
}

/** Where a key path sits in its file: `scenario.yaml:4:7`, or the label alone when unknown. */
export type Locate = (path: KeyPath) => string;

export class Problems {
  readonly list: Problem[] = [];

  /** Records a problem; returns undefined so a reader can `return problems.add(...)`. */
  add(path: KeyPath, expected: string, received: unknown, fix: string): undefined {
    this.list.push({ path, expected, received, fix });
    return undefined;
  }

  /** Throws every recorded problem as one LabError. */
  throwIfAny(locate: Locate): void {
    if (this.list.length === 0) return;
    // In file order: by line and column when the location has them (a stable sort keeps the rest as found).
    const position = (line: string): number => {
      const match = /:(\d+):(\d+) /.exec(line);
      return match ? Number(match[1]) * 1e6 + Number(match[2]) : 0;
    };
    const lines = this.list.map((p) => formatProblem(p, locate)).sort((a, b) => position(a) - position(b));
    throw new LabError('LAB_LOAD_SCENARIO_INVALID', lines.join('\n'));
  }
}

/** `tasks[2].check.status`, `thresholds["http_req_duration{task:menu}"][0]`; the root reads `the scenario`. */
export function formatPath(path: KeyPath): string {
  return formatKeyPath(path, 'the scenario');
}

export function formatProblem(problem: Problem, locate: Locate): string {
  const received = problem.received === undefined ? 'nothing' : describeValue(problem.received);
  return `${locate(problem.path)} ${formatPath(problem.path)} ${problem.expected}, received ${received}; fix: ${problem.fix}`;
}

/** The closest of `choices` to `word` (edit distance at most 2, at most 1 for short words), or null. */
export function suggest(word: string, choices: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = word.length <= 4 ? 2 : 3;
  for (const choice of choices) {
    const distance = editDistance(word.toLowerCase(), choice.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [choice, distance];
  }
  return best;
}

/** Records an "unknown key" problem for each key of `raw` outside `known`, with a suggestion. */
export function checkKeys(raw: Record<string, unknown>, path: KeyPath, known: readonly string[], problems: Problems, hint?: (key: string) => string | null): void {
  for (const key of Object.keys(raw)) {
    if (known.includes(key)) continue;
    const special = hint?.(key) ?? null;
    const near = suggest(key, known);
    const fix = special ?? (near === null ? `remove it; the keys here are ${known.join(', ')}` : `did you mean ${near}?`);
    problems.add([...path, key], 'is not a known key', raw[key], fix);
  }
}
