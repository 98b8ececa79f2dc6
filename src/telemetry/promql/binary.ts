/**
 * Binary operators between scalars and instant vectors, with Prometheus's vector
 * matching (on/ignoring, group_left/group_right), `bool`, and the set operators.
 */
import { LabError } from '../../errors.js';
import type { Binary, BinaryOp, VectorMatching } from './ast.js';
import type { Evaluator } from './evaluator.js';
import { assertUniqueLabels } from './evaluator.js';
import type { InstantSample, SeriesRef, Value } from './values.js';
import type { Labels } from '../model.js';

const COMPARISON = new Set<BinaryOp>(['==', '!=', '>', '<', '>=', '<=']);

/** lhs op rhs for arithmetic; for comparisons, whether the pair is kept. */
function arithmetic(op: BinaryOp, l: number, r: number): number {
  switch (op) {
    case '+': return l + r;
    case '-': return l - r;
    case '*': return l * r;
    case '/': return l / r;
    case '%': return l % r;
    case '^': return Math.pow(l, r);
    case 'atan2': return Math.atan2(l, r);
    default: return NaN;
  }
}

function compare(op: BinaryOp, l: number, r: number): boolean {
  switch (op) {
    case '==': return l === r;
    case '!=': return l !== r;
    case '>': return l > r;
    case '<': return l < r;
    case '>=': return l >= r;
    case '<=': return l <= r;
    default: return false;
  }
}

export function evalBinary(ev: Evaluator, node: Binary, t: number): Value {
  const lhs = ev.eval(node.lhs, t);
  const rhs = ev.eval(node.rhs, t);
  const op = node.op;
  const isComparison = COMPARISON.has(op);
  if (lhs.type === 'scalar' && rhs.type === 'scalar') {
    const v = isComparison ? (compare(op, lhs.v, rhs.v) ? 1 : 0) : arithmetic(op, lhs.v, rhs.v);
    return { type: 'scalar', v };
  }
  if (lhs.type === 'vector' && rhs.type === 'scalar') return vectorScalar(node, lhs.samples, rhs.v, false);
  if (lhs.type === 'scalar' && rhs.type === 'vector') return vectorScalar(node, rhs.samples, lhs.v, true);
  if (lhs.type === 'vector' && rhs.type === 'vector') {
    const matching = node.matching!;
    switch (op) {
      case 'and': return { type: 'vector', samples: setAnd(ev, node, lhs.samples, rhs.samples, true) };
      case 'unless': return { type: 'vector', samples: setAnd(ev, node, lhs.samples, rhs.samples, false) };
      case 'or': return { type: 'vector', samples: setOr(ev, node, lhs.samples, rhs.samples) };
      default: return { type: 'vector', samples: vectorVector(ev, node, matching, lhs.samples, rhs.samples) };
    }
  }
  throw new LabError('LAB_PROMQL_EXECUTION', 'binary expression must contain only scalar and instant vector types');
}

function vectorScalar(node: Binary, samples: InstantSample[], scalar: number, swap: boolean): Value {
  const { op, returnBool } = node;
  const isComparison = COMPARISON.has(op);
  const out: InstantSample[] = [];
  for (const s of samples) {
    const l = swap ? scalar : s.v;
    const r = swap ? s.v : scalar;
    if (isComparison) {
      const keep = compare(op, l, r);
      if (returnBool) out.push({ ref: s.ref.dropName(), v: keep ? 1 : 0 });
      else if (keep) out.push(s);
    } else {
      out.push({ ref: s.ref.dropName(), v: arithmetic(op, l, r) });
    }
  }
  if (!isComparison || returnBool) assertUniqueLabels(out);
  return { type: 'vector', samples: out };
}

/** Signature of a series for matching: the `on` labels' values, or all but the `ignoring` labels and `__name__`. */
function signatureFn(ev: Evaluator, node: Binary, matching: VectorMatching): (ref: SeriesRef) => string {
  const memo = ev.cache<SeriesRef, string>(node);
  const names = [...matching.labels].sort();
  return (ref) => {
    let sig = memo.get(ref);
    if (sig === undefined) {
      if (matching.on) sig = JSON.stringify(names.map((n) => ref.labels[n] ?? ''));
      else {
        const rest: Labels = {};
        for (const [k, v] of Object.entries(ref.labels)) if (k !== '__name__' && !names.includes(k)) rest[k] = v;
        sig = ev.interner.intern(rest).key;
      }
      memo.set(ref, sig);
    }
    return sig;
  };
}

function vectorVector(ev: Evaluator, node: Binary, matching: VectorMatching, lhsIn: InstantSample[], rhsIn: InstantSample[]): InstantSample[] {
  if (lhsIn.length === 0 || rhsIn.length === 0) return [];
  const { op, returnBool } = node;
  const isComparison = COMPARISON.has(op);
  const oneToMany = matching.card === 'one-to-many';
  const [lhs, rhs] = oneToMany ? [rhsIn, lhsIn] : [lhsIn, rhsIn];
  const sigOf = signatureFn(ev, node, matching);
  const rightSigs = new Map<string, InstantSample>();
  for (const rs of rhs) {
    const sig = sigOf(rs.ref);
    const dup = rightSigs.get(sig);
    if (dup) {
      const side = oneToMany ? 'left' : 'right';
      throw new LabError('LAB_PROMQL_EXECUTION', `found duplicate series for the match group ${sig} on the ${side} hand-side of the operation: [${JSON.stringify(rs.ref.labels)}, ${JSON.stringify(dup.ref.labels)}];many-to-many matching not allowed: matching labels must be unique on one side`);
    }
    rightSigs.set(sig, rs);
  }
  const resultMemo = ev.cache<SeriesRef, Map<SeriesRef, SeriesRef>>(node, 'result');
  const matched = new Map<string, Set<SeriesRef> | null>();
  const out: InstantSample[] = [];
  for (const ls of lhs) {
    const sig = sigOf(ls.ref);
    const rs = rightSigs.get(sig);
    if (!rs) continue;
    const [l, r] = oneToMany ? [rs.v, ls.v] : [ls.v, rs.v];
    let value: number;
    if (isComparison) {
      const keep = compare(op, l, r);
      if (!returnBool && !keep) continue;
      value = returnBool ? (keep ? 1 : 0) : l;
    } else value = arithmetic(op, l, r);
    let byRight = resultMemo.get(ls.ref);
    if (!byRight) {
      byRight = new Map();
      resultMemo.set(ls.ref, byRight);
    }
    let metric = byRight.get(rs.ref);
    if (!metric) {
      metric = resultMetric(ev, ls.ref, rs.ref, isComparison && !returnBool, matching);
      byRight.set(rs.ref, metric);
    }
    if (matching.card === 'one-to-one') {
      if (matched.has(sig)) throw new LabError('LAB_PROMQL_EXECUTION', 'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)');
      matched.set(sig, null);
    } else {
      let inserted = matched.get(sig);
      if (!inserted) {
        inserted = new Set();
        matched.set(sig, inserted);
      } else if (inserted.has(metric)) {
        throw new LabError('LAB_PROMQL_EXECUTION', 'multiple matches for matching labels; many-to-one matching must be explicit (group_left/group_right)');
      }
      inserted.add(metric);
    }
    out.push({ ref: metric, v: value });
  }
  return out;
}

/** The result labels: the "many" side's, minus `__name__` (unless a filtering comparison), narrowed by on/ignoring for one-to-one, plus group_x labels from the "one" side. */
function resultMetric(ev: Evaluator, l: SeriesRef, r: SeriesRef, keepName: boolean, matching: VectorMatching): SeriesRef {
  const labels: Labels = { ...l.labels };
  if (!keepName) delete labels['__name__'];
  if (matching.card === 'one-to-one') {
    for (const k of Object.keys(labels)) {
      const listed = matching.labels.includes(k);
      if (matching.on ? !listed : listed) delete labels[k];
    }
  }
  for (const k of matching.include) {
    const v = r.labels[k];
    if (v !== undefined && v !== '') labels[k] = v;
    else delete labels[k];
  }
  return ev.interner.intern(labels);
}

function setAnd(ev: Evaluator, node: Binary, lhs: InstantSample[], rhs: InstantSample[], keepMatches: boolean): InstantSample[] {
  const sigOf = signatureFn(ev, node, node.matching!);
  const right = new Set(rhs.map((s) => sigOf(s.ref)));
  return lhs.filter((s) => right.has(sigOf(s.ref)) === keepMatches);
}

function setOr(ev: Evaluator, node: Binary, lhs: InstantSample[], rhs: InstantSample[]): InstantSample[] {
  const sigOf = signatureFn(ev, node, node.matching!);
  const left = new Set(lhs.map((s) => sigOf(s.ref)));
  return [...lhs, ...rhs.filter((s) => !left.has(sigOf(s.ref)))];
}
