/** label_replace, label_join and absent's labels. */
import { LabError } from '../../errors.js';
import type { Call, Expr, VectorSelector } from './ast.js';
import type { Evaluator } from './evaluator.js';
import { assertUniqueLabels } from './evaluator.js';
import { compileRegex } from './regex.js';
import type { InstantSample, SeriesRef } from './values.js';
import type { Labels } from '../model.js';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function stringArg(expr: Expr): string {
  if (expr.kind === 'string') return expr.value;
  if (expr.kind === 'paren') return stringArg(expr.expr);
  throw new LabError('LAB_PROMQL_BAD_QUERY', 'expected a string literal');
}

/** Go's regexp.Expand template: $1, ${1}, $name, ${name}, $$. */
function expand(template: string, match: RegExpExecArray): string {
  return template.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (_all, dollar: string, braced?: string, bare?: string) => {
    if (dollar === '$') return '$';
    const name = braced ?? bare ?? '';
    if (/^\d+$/.test(name)) return match[Number(name)] ?? '';
    return match.groups?.[name] ?? '';
  });
}

function withLabel(ev: Evaluator, ref: SeriesRef, name: string, value: string): SeriesRef {
  const labels: Labels = { ...ref.labels };
  if (value === '') delete labels[name];
  else labels[name] = value;
  return ev.interner.intern(labels);
}

export function labelReplace(ev: Evaluator, call: Call, samples: InstantSample[]): InstantSample[] {
  const [, dstE, replE, srcE, reE] = call.args;
  const dst = stringArg(dstE!);
  const replacement = stringArg(replE!);
  const src = stringArg(srcE!);
  const re = compileRegex(stringArg(reE!));
  if (!LABEL_NAME.test(dst)) throw new LabError('LAB_PROMQL_EXECUTION', `invalid destination label name in label_replace(): ${dst}`);
  const memo = ev.cache<SeriesRef, SeriesRef>(call);
  const out = samples.map((s) => {
    let ref = memo.get(s.ref);
    if (!ref) {
      const match = re.exec(s.ref.labels[src] ?? '');
      ref = match ? withLabel(ev, s.ref, dst, expand(replacement, match)) : s.ref;
      memo.set(s.ref, ref);
    }
    return { ref, v: s.v };
  });
  assertUniqueLabels(out);
  return out;
}

export function labelJoin(ev: Evaluator, call: Call, samples: InstantSample[]): InstantSample[] {
  const [, dstE, sepE, ...srcE] = call.args;
  const dst = stringArg(dstE!);
  const sep = stringArg(sepE!);
  const srcs = srcE.map(stringArg);
  if (!LABEL_NAME.test(dst)) throw new LabError('LAB_PROMQL_EXECUTION', `invalid destination label name in label_join(): ${dst}`);
  for (const src of srcs) {
    if (!LABEL_NAME.test(src)) throw new LabError('LAB_PROMQL_EXECUTION', `invalid source label name in label_join(): ${src}`);
  }
  const memo = ev.cache<SeriesRef, SeriesRef>(call);
  const out = samples.map((s) => {
    let ref = memo.get(s.ref);
    if (!ref) {
      ref = withLabel(ev, s.ref, dst, srcs.map((n) => s.ref.labels[n] ?? '').join(sep));
      memo.set(s.ref, ref);
    }
    return { ref, v: s.v };
  });
  assertUniqueLabels(out);
  return out;
}

/** The labels absent() reports: those of equality matchers other than `__name__`, each named once. */
export function absentLabels(selector: VectorSelector): Labels {
  const labels: Labels = {};
  const seen = new Map<string, number>();
  for (const m of selector.matchers) seen.set(m.name, (seen.get(m.name) ?? 0) + 1);
  for (const m of selector.matchers) {
    if (m.type === '=' && m.name !== '__name__' && seen.get(m.name) === 1) labels[m.name] = m.value;
  }
  return labels;
}
