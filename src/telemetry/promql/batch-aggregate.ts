/**
 * Aggregations (sum, avg, min, max, count, group, stddev, stdvar) over batched
 * columns: all steps of a range query in one pass over the input series, with the
 * same arithmetic, in the same order, as the step-by-step path in aggregate.ts.
 */
import type { Aggregate } from './ast.js';
import type { Column } from './batch.js';
import { allocateColumns } from './batch.js';
import { takeF64, takeU8 } from './arena.js';
import type { Evaluator } from './evaluator.js';
import type { SeriesRef } from './values.js';

export const BATCH_AGGREGATIONS = new Set(['sum', 'avg', 'min', 'max', 'count', 'group', 'stddev', 'stdvar']);

interface Acc {
  ref: SeriesRef;
  value: Float64Array;
  c: Float64Array;
  count: Float64Array;
  mean: Float64Array;
  present: Uint8Array;
}

export function batchAggregate(ev: Evaluator, node: Aggregate, input: readonly Column[], groupOf: (ref: SeriesRef) => SeriesRef): Column[] {
  const n = ev.stepTimes().length;
  const op = node.op;
  const groups = new Map<SeriesRef, Acc>();
  for (const col of input) {
    const ref = groupOf(col.ref);
    let g = groups.get(ref);
    if (!g) {
      g = {
        ref,
        value: takeF64(n),
        c: takeF64(n).fill(0),
        count: takeF64(n),
        mean: takeF64(n),
        present: takeU8(n),
      };
      groups.set(ref, g);
    }
    const { value, c, count, mean, present } = g;
    const vs = col.values;
    const has = col.present;
    for (let s = 0; s < n; s++) {
      if (has[s] !== 1) continue;
      const v = vs[s]!;
      if (present[s] !== 1) {
        present[s] = 1;
        value[s] = op === 'group' ? 1 : v;
        count[s] = 1;
        mean[s] = v;
        continue;
      }
      const k = ++count[s]!;
      switch (op) {
        case 'sum':
        case 'avg': {
          const sum = value[s]!;
          const next = sum + v;
          if (next === Infinity || next === -Infinity) c[s] = 0;
          else if (Math.abs(sum) >= Math.abs(v)) c[s]! += sum - next + v;
          else c[s]! += v - next + sum;
          value[s] = next;
          break;
        }
        case 'min':
          if (value[s]! > v || Number.isNaN(value[s]!)) value[s] = v;
          break;
        case 'max':
          if (value[s]! < v || Number.isNaN(value[s]!)) value[s] = v;
          break;
        case 'stddev':
        case 'stdvar': {
          const delta = v - mean[s]!;
          mean[s]! += delta / k;
          value[s] = (k === 2 ? 0 : value[s]!) + delta * (v - mean[s]!);
          break;
        }
        default:
          break;
      }
    }
  }
  const accs = [...groups.values()];
  const out = allocateColumns(accs.map((g) => g.ref), n);
  accs.forEach((g, i) => {
    const values = out[i]!.values;
    out[i]!.present.set(g.present);
    for (let s = 0; s < n; s++) {
      if (g.present[s] !== 1) continue;
      const v = g.value[s]!;
      const k = g.count[s]!;
      switch (op) {
        case 'sum': values[s] = v === Infinity || v === -Infinity ? v : v + g.c[s]!; break;
        case 'avg': values[s] = v === Infinity || v === -Infinity ? v / k : v / k + g.c[s]! / k; break;
        case 'count': values[s] = k; break;
        case 'group': values[s] = 1; break;
        case 'stdvar': values[s] = k === 1 ? 0 : v / k; break;
        case 'stddev': values[s] = k === 1 ? 0 : Math.sqrt(v / k); break;
        default: values[s] = v;
      }
    }
  });
  return out;
}
