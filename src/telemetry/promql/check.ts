/** Prometheus's parse-time type rules (promql/parser's checkAST), over our AST. */
import type { Expr, ValueType, VectorMatching } from './ast.js';
import { typeOf } from './ast.js';
import { AGGREGATIONS, FUNCTIONS } from './catalog.js';

const TYPE_NAMES: Record<ValueType, string> = {
  scalar: 'scalar',
  string: 'string',
  vector: 'instant vector',
  matrix: 'range vector',
};

const COMPARISONS = new Set(['==', '!=', '>', '<', '>=', '<=']);
const SET_OPS = new Set(['and', 'or', 'unless']);

export type Fail = (node: Expr, message: string) => never;

export function checkExpr(expr: Expr, fail: Fail): void {
  switch (expr.kind) {
    case 'number':
    case 'string':
    case 'vector':
    case 'matrix':
      return;
    case 'paren':
      checkExpr(expr.expr, fail);
      return;
    case 'unary': {
      checkExpr(expr.expr, fail);
      const t = typeOf(expr.expr);
      if (t !== 'scalar' && t !== 'vector') fail(expr, 'unary expression only allowed on expressions of type scalar or instant vector');
      return;
    }
    case 'call': {
      const sig = FUNCTIONS.get(expr.func)!;
      const n = expr.args.length;
      const min = sig.args.length - sig.optional;
      if (sig.variadic) {
        if (n < min) fail(expr, `expected at least ${min} argument(s) in call to ${JSON.stringify(expr.func)}, got ${n}`);
      } else if (sig.optional > 0) {
        if (n < min) fail(expr, `expected at least ${min} argument(s) in call to ${JSON.stringify(expr.func)}, got ${n}`);
        if (n > sig.args.length) fail(expr, `expected at most ${sig.args.length} argument(s) in call to ${JSON.stringify(expr.func)}, got ${n}`);
      } else if (n !== sig.args.length) {
        fail(expr, `expected ${sig.args.length} argument(s) in call to ${JSON.stringify(expr.func)}, got ${n}`);
      }
      expr.args.forEach((arg, i) => {
        checkExpr(arg, fail);
        const want = sig.args[Math.min(i, sig.args.length - 1)]!;
        const got = typeOf(arg);
        if (got !== want) {
          fail(arg, `expected type ${TYPE_NAMES[want]} in call to function ${JSON.stringify(expr.func)}, got ${TYPE_NAMES[got]}`);
        }
      });
      return;
    }
    case 'aggregate': {
      checkExpr(expr.expr, fail);
      const got = typeOf(expr.expr);
      if (got !== 'vector') fail(expr.expr, `expected type instant vector in aggregation expression, got ${TYPE_NAMES[got]}`);
      const want = AGGREGATIONS.get(expr.op) ?? null;
      if (want !== null && expr.param) {
        checkExpr(expr.param, fail);
        const p = typeOf(expr.param);
        if (p !== want) fail(expr.param, `expected type ${TYPE_NAMES[want]} in aggregation parameter, got ${TYPE_NAMES[p]}`);
      }
      return;
    }
    case 'binary': {
      checkExpr(expr.lhs, fail);
      checkExpr(expr.rhs, fail);
      const l = typeOf(expr.lhs);
      const r = typeOf(expr.rhs);
      if ((l !== 'scalar' && l !== 'vector') || (r !== 'scalar' && r !== 'vector')) {
        fail(expr, 'binary expression must contain only scalar and instant vector types');
      }
      const comparison = COMPARISONS.has(expr.op);
      if (expr.returnBool && !comparison) fail(expr, 'bool modifier can only be used on comparison operators');
      if (comparison && l === 'scalar' && r === 'scalar' && !expr.returnBool) {
        fail(expr, 'comparisons between scalars must use BOOL modifier');
      }
      const setOp = SET_OPS.has(expr.op);
      if (setOp && (l === 'scalar' || r === 'scalar')) {
        fail(expr, `set operator ${JSON.stringify(expr.op)} not allowed in binary scalar expression`);
      }
      if (expr.matching && (l !== 'vector' || r !== 'vector')) {
        fail(expr, 'vector matching only allowed between instant vectors');
      }
      if (l === 'vector' && r === 'vector') {
        const m: VectorMatching = expr.matching ?? { card: 'one-to-one', on: false, labels: [], include: [] };
        if (setOp) {
          if (m.card === 'many-to-one' || m.card === 'one-to-many') fail(expr, `no grouping allowed for ${JSON.stringify(expr.op)} operation`);
          m.card = 'many-to-many';
        }
        if (m.on) {
          for (const label of m.include) {
            if (m.labels.includes(label)) fail(expr, `label ${JSON.stringify(label)} must not occur in ON and GROUP clause at once`);
          }
        }
        expr.matching = m;
      }
      return;
    }
  }
}
