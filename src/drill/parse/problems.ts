/**
 * Problems found in a drill file. Each names the key path (`method.faults[1].scenario`),
 * what was expected, what arrived and the fix; all of a file's problems are thrown at
 * once as one LAB_DRILL_FILE_INVALID, one line each:
 * `drill.yaml:14:17 method.faults[1].scenario must be a chaos scenario, received "postgres-outge"; fix: did you mean "postgres-outage"?`
 */
import { LabError, describeValue } from '../../errors.js';
import { editDistance } from '../../edit-distance.js';
import { formatKeyPath } from '../../key-path.js';
import type { KeyPath } from '../../key-path.js';

export type { KeyPath } from '../../key-path.js';
export { isRecord } from '../../key-path.js';

/** Where a key path sits in its file: `drill.yaml:4:7`, or the file alone. */
export type Locate = (path: KeyPath) => string;

export interface Problem {
  path: KeyPath;
  expected: string;
  received: unknown;
  fix: string;
}

/** `method.faults[1].scenario`; the root reads `the drill`. */
export function formatPath(path: KeyPath): string {
  return formatKeyPath(path, 'the drill');
}

export class Problems {
  readonly list: Problem[] = [];
  /** Paths already reported (an unknown ${parameter}): later problems there would only repeat it. */
  readonly #muted = new Set<string>();

  /** Records a problem; returns undefined so readers can `return problems.add(...)`. */
  add(path: KeyPath, expected: string, received: unknown, fix: string): undefined {
    if (this.#muted.has(formatPath(path))) return undefined;
    this.list.push({ path, expected, received, fix });
    return undefined;
  }

  /** Records a problem and ignores any later one at the same path. */
  addFinal(path: KeyPath, expected: string, received: unknown, fix: string): undefined {
    this.add(path, expected, received, fix);
    this.#muted.add(formatPath(path));
    return undefined;
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  /** Throws every problem as one LAB_DRILL_FILE_INVALID, in file order. */
  throwIfAny(locate: Locate): void {
    if (this.list.length === 0) return;
    const position = (line: string): number => {
      const m = /:(\d+):(\d+) /.exec(line);
      return m ? Number(m[1]) * 1e6 + Number(m[2]) : 0;
    };
    const lines = this.list.map((p) => `${locate(p.path)} ${formatPath(p.path)} ${p.expected}, received ${describeValue(p.received)}; fix: ${p.fix}`);
    lines.sort((a, b) => position(a) - position(b));
    throw new LabError('LAB_DRILL_FILE_INVALID', lines.join('\n'));
  }
}

/** The closest choice when it is close enough to be a typo, else null. */
export function closest(word: string, choices: readonly string[]): string | null {
  const norm = (s: string): string => s.toLowerCase().replace(/[-_\s]/g, '');
  let best: string | null = null;
  let bestDistance = Math.max(1, Math.min(3, Math.floor(word.length / 3))) + 1;
  for (const choice of choices) {
    const prefix = Math.min(word.length, choice.length) >= 3 && (norm(choice).startsWith(norm(word)) || norm(word).startsWith(norm(choice)));
    const d = norm(word) === norm(choice) ? 0 : prefix ? 1 : editDistance(word.toLowerCase(), choice.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [choice, d];
  }
  return best;
}

/** A fix naming the closest choice, else the list. */
export function choiceFix(word: unknown, choices: readonly string[], what: string): string {
  const near = typeof word === 'string' ? closest(word, choices) : null;
  return near !== null ? `did you mean "${near}"?` : `write one of the ${what}: ${choices.join(', ')}`;
}

/** Records every key of `raw` not in `known`, with a "did you mean". */
export function checkKeys(raw: Record<string, unknown>, path: KeyPath, known: readonly string[], problems: Problems): void {
  for (const key of Object.keys(raw)) {
    if (known.includes(key)) continue;
    const near = closest(key, known);
    problems.add([...path, key], `is not a known key${path.length === 0 ? ' of a drill' : ` of ${formatPath(path)}`}`, raw[key], near !== null ? `did you mean "${near}"?` : `remove it; the known keys are ${known.join(', ')}`);
  }
}
