/** Aggregation operators with `by`/`without`, as Prometheus evaluates them. */
import { LabError } from '../../errors.js';
import type { Aggregate } from './ast.js';
import type { Column } from './batch.js';
import { BATCH_AGGREGATIONS, batchAggregate } from './batch-aggregate.js';
import type { Evaluator } from './evaluator.js';
import { formatValue } from './format.js';
import { quantile } from './stats.js';
import type { InstantSample, SeriesRef, Value } from './values.js';
import type { Labels } from '../model.js';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

interface Group {
  ref: SeriesRef;
  /** Running value: sum (with Kahan compensation c), min, max, count... */
  value: number;
  c: number;
  count: number;
  mean: number;
  samples: InstantSample[];
}

/** The labels of an input series' group: only the `by` labels, or all but the `without` labels and `__name__`. */
function groupLabels(labels: Readonly<Labels>, node: Aggregate): Labels {
  const out: Labels = {};
  if (node.without) {
    for (const [k, v] of Object.entries(labels)) {
      if (k !== '__name__' && !node.grouping.includes(k)) out[k] = v;
    }
  } else {
    for (const k of node.grouping) {
      const v = labels[k];
      if (v !== undefined) out[k] = v;
    }
  }
  return out;
}

function grouper(ev: Evaluator, node: Aggregate): (ref: SeriesRef) => SeriesRef {
  const memo = ev.cache<SeriesRef, SeriesRef>(node);
  return (ref) => {
    let g = memo.get(ref);
    if (!g) {
      g = ev.interner.intern(groupLabels(ref.labels, node));
      memo.set(ref, g);
    }
    return g;
  };
}

/** All steps at once, when the input is batched and the operator has no parameter. */
export function aggregateColumns(ev: Evaluator, node: Aggregate): Column[] | null {
  if (!BATCH_AGGREGATIONS.has(node.op)) return null;
  const input = ev.columns(node.expr);
  return input ? batchAggregate(ev, node, input, grouper(ev, node)) : null;
}

export function evalAggregate(ev: Evaluator, node: Aggregate, t: number): Value {
  const samples = ev.vector(node.expr, t);
  const groupOf = grouper(ev, node);
  const op = node.op;
  if (op === 'topk' || op === 'bottomk' || op === 'quantile' || op === 'count_values') {
    return { type: 'vector', samples: withParam(ev, node, t, samples, groupOf) };
  }
  const groups = new Map<SeriesRef, Group>();
  for (const s of samples) {
    const ref = groupOf(s.ref);
    const g = groups.get(ref);
    const v = s.v;
    if (!g) {
      groups.set(ref, { ref, value: op === 'group' ? 1 : v, c: 0, count: 1, mean: v, samples: [] });
      continue;
    }
    g.count++;
    switch (op) {
      case 'sum':
      case 'avg': {
        // Neumaier-compensated sum (Prometheus's kahansum.Inc), inlined for speed.
        const sum = g.value;
        const next = sum + v;
        if (next === Infinity || next === -Infinity) g.c = 0;
        else if (Math.abs(sum) >= Math.abs(v)) g.c += sum - next + v;
        else g.c += v - next + sum;
        g.value = next;
        break;
      }
      case 'min':
        if (g.value > v || Number.isNaN(g.value)) g.value = v;
        break;
      case 'max':
        if (g.value < v || Number.isNaN(g.value)) g.value = v;
        break;
      case 'stddev':
      case 'stdvar': {
        // Welford: value accumulates the sum of squared deviations.
        const delta = v - g.mean;
        g.mean += delta / g.count;
        g.value = (g.count === 2 ? 0 : g.value) + delta * (v - g.mean);
        break;
      }
      default:
        break;
    }
  }
  const out: InstantSample[] = [];
  for (const g of groups.values()) {
    let v: number;
    switch (op) {
      case 'sum': v = g.value === Infinity || g.value === -Infinity ? g.value : g.value + g.c; break;
      case 'avg': v = g.value === Infinity || g.value === -Infinity ? g.value / g.count : g.value / g.count + g.c / g.count; break;
      case 'count': v = g.count; break;
      case 'group': v = 1; break;
      case 'stdvar': v = g.count === 1 ? 0 : g.value / g.count; break;
      case 'stddev': v = g.count === 1 ? 0 : Math.sqrt(g.value / g.count); break;
      default: v = g.value;
    }
    out.push({ ref: g.ref, v });
  }
  return { type: 'vector', samples: out };
}

function withParam(ev: Evaluator, node: Aggregate, t: number, samples: InstantSample[], groupOf: (r: SeriesRef) => SeriesRef): InstantSample[] {
  const param = node.param!;
  const grouped = new Map<SeriesRef, InstantSample[]>();
  for (const s of samples) {
    const g = groupOf(s.ref);
    const list = grouped.get(g);
    if (list) list.push(s);
    else grouped.set(g, [s]);
  }
  const out: InstantSample[] = [];
  if (node.op === 'count_values') {
    const label = param.kind === 'string' ? param.value : '';
    if (!LABEL_NAME.test(label)) throw new LabError('LAB_PROMQL_EXECUTION', `invalid label name ${JSON.stringify(label)}`);
    for (const [group, list] of grouped) {
      const counts = new Map<string, number>();
      for (const s of list) {
        const key = formatValue(s.v);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      for (const [value, count] of counts) {
        out.push({ ref: ev.interner.intern({ ...group.labels, [label]: value }), v: count });
      }
    }
    return out;
  }
  const p = ev.scalar(param, t);
  if (node.op === 'quantile') {
    for (const [group, list] of grouped) out.push({ ref: group, v: quantile(p, list.map((s) => s.v)) });
    return out;
  }
  // topk / bottomk keep the input series with their labels; NaN ranks last.
  if (Number.isNaN(p)) throw new LabError('LAB_PROMQL_EXECUTION', `Parameter value is NaN for ${node.op}`);
  const k = Math.trunc(p);
  if (k < 1) return out;
  const top = node.op === 'topk';
  for (const list of grouped.values()) {
    const sorted = [...list].sort((a, b) => {
      if (Number.isNaN(a.v)) return Number.isNaN(b.v) ? 0 : 1;
      if (Number.isNaN(b.v)) return -1;
      return top ? b.v - a.v : a.v - b.v;
    });
    out.push(...sorted.slice(0, k));
  }
  return out;
}
