/**
 * Label matchers with Prometheus semantics: a missing label matches as the empty
 * string; `=~` and `!~` are RE2 expressions anchored at both ends. RE2 syntax is
 * mapped onto JavaScript's: leading inline flags `(?i)`/`(?s)` become flags,
 * `(?P<name>` becomes `(?<name>`, POSIX classes inside brackets (`[[:digit:]]`)
 * are expanded, and `.` matches a newline as in Prometheus 3.
 */
import { LabError } from '../../errors.js';
import type { Matcher } from '../contracts.js';

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const cache = new Map<string, RegExp>();
const CACHE_LIMIT = 1000;

/** Compiles an RE2-style pattern, fully anchored; throws LAB_PROMQL_BAD_QUERY when it is invalid. */
export function compileRegex(pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let source = pattern;
  let flags = 's';
  const lead = /^\(\?([imsU]+)\)/.exec(source);
  if (lead) {
    if (lead[1]!.includes('i')) flags += 'i';
    if (lead[1]!.includes('U')) throw new LabError('LAB_PROMQL_UNSUPPORTED', `regular expression flag U (ungreedy) is not supported: ${JSON.stringify(pattern)}`);
    source = source.slice(lead[0].length);
  }
  source = source
    .replace(/\(\?P</g, '(?<')
    .replace(/\[:(\^?)([a-z]+):\]/g, (whole, neg: string, name: string) => {
      const cls = POSIX_CLASSES[name];
      if (cls === undefined || neg) return whole;
      return cls;
    })
    .replace(/\\z/g, '$')
    .replace(/\\A/g, '^');
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${source})$`, `${flags}u`);
  } catch {
    try {
      re = new RegExp(`^(?:${source})$`, flags);
    } catch (err) {
      throw new LabError('LAB_PROMQL_BAD_QUERY', `invalid regular expression ${JSON.stringify(pattern)}: ${(err as Error).message}`, { cause: err });
    }
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, re);
  return re;
}

/** A predicate on a label's value ('' when the series lacks the label), for one matcher. */
export function compileMatcher(matcher: Matcher): (value: string) => boolean {
  const { type, value } = matcher;
  switch (type) {
    case '=': return (v) => v === value;
    case '!=': return (v) => v !== value;
    case '=~': {
      if (value === '.*') return () => true;
      const re = compileRegex(value);
      return (v) => re.test(v);
    }
    case '!~': {
      if (value === '.*') return () => false;
      const re = compileRegex(value);
      return (v) => !re.test(v);
    }
  }
}

/**
 * The literal values a regex matcher can only match, when the pattern is a plain
 * alternation like `a|b|c` (what Grafana's multi-value variables produce); else null.
 */
export function literalAlternatives(pattern: string): string[] | null {
  if (pattern === '' || /[\\.^$*+?()[\]{}]/.test(pattern)) return null;
  return pattern.split('|');
}
