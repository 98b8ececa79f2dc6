import type { Matcher } from '../contracts.js';

/** The four PromQL value types. */
export type ValueType = 'scalar' | 'string' | 'vector' | 'matrix';

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^' | 'atan2';
export type ComparisonOp = '==' | '!=' | '>' | '<' | '>=' | '<=';
export type SetOp = 'and' | 'or' | 'unless';
export type BinaryOp = ArithmeticOp | ComparisonOp | SetOp;

export type AggregateOp =
  | 'sum' | 'avg' | 'min' | 'max' | 'count' | 'group' | 'stddev' | 'stdvar'
  | 'topk' | 'bottomk' | 'quantile' | 'count_values';

/** How two instant vectors are matched: `on(...)`/`ignoring(...)` and `group_left/right(...)`. */
export interface VectorMatching {
  card: 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';
  /** true for `on(...)`, false for `ignoring(...)` (and for no modifier). */
  on: boolean;
  labels: string[];
  /** The extra labels of group_left/group_right, taken from the "one" side. */
  include: string[];
}

export interface NumberLiteral { kind: 'number'; value: number }
export interface StringLiteral { kind: 'string'; value: string }
export interface VectorSelector {
  kind: 'vector';
  /** The metric name when given outside the braces (for messages); matchers hold it too. */
  name: string;
  matchers: Matcher[];
  offsetMs: number;
}
export interface MatrixSelector {
  kind: 'matrix';
  selector: VectorSelector;
  rangeMs: number;
}
export interface Call { kind: 'call'; func: string; args: Expr[] }
export interface Aggregate {
  kind: 'aggregate';
  op: AggregateOp;
  expr: Expr;
  param: Expr | null;
  grouping: string[];
  without: boolean;
}
export interface Binary {
  kind: 'binary';
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  /** `bool` modifier of a comparison. */
  returnBool: boolean;
  /** Set when both sides are instant vectors. */
  matching: VectorMatching | null;
}
export interface Unary { kind: 'unary'; op: '-' | '+'; expr: Expr }
export interface Paren { kind: 'paren'; expr: Expr }

export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | Call
  | Aggregate
  | Binary
  | Unary
  | Paren;

/** The type an expression evaluates to (the parser has already checked it is well-typed). */
export function typeOf(expr: Expr): ValueType {
  switch (expr.kind) {
    case 'number': return 'scalar';
    case 'string': return 'string';
    case 'vector': return 'vector';
    case 'matrix': return 'matrix';
    case 'aggregate': return 'vector';
    case 'paren': return typeOf(expr.expr);
    case 'unary': return typeOf(expr.expr);
    case 'binary':
      return typeOf(expr.lhs) === 'scalar' && typeOf(expr.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'call': return expr.func === 'time' || expr.func === 'scalar' || expr.func === 'pi' ? 'scalar' : 'vector';
  }
}
