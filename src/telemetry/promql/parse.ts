/**
 * From PromQL text to the AST: @prometheus-io/lezer-promql parses (it is
 * error-tolerant, so error nodes become LAB_PROMQL_BAD_QUERY with their position),
 * then this walks the syntax tree and check.ts applies Prometheus's type rules.
 */
import { parser } from '@prometheus-io/lezer-promql';
import { LabError } from '../../errors.js';
import type { Matcher } from '../contracts.js';
import type { AggregateOp, BinaryOp, Expr, VectorMatching, VectorSelector } from './ast.js';
import { checkExpr } from './check.js';
import { AGGREGATIONS, FUNCTIONS, UNSUPPORTED_AGGREGATIONS, UNSUPPORTED_FUNCTIONS } from './catalog.js';
import { parseDurationMs, parseNumber, unquote } from './literals.js';
import { compileRegex } from './regex.js';

type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

const BINARY_OPS: Record<string, BinaryOp> = {
  Pow: '^', Mul: '*', Div: '/', Mod: '%', Atan2: 'atan2', Add: '+', Sub: '-', Eql: '==', Neq: '!=', Gtr: '>',
  Lss: '<', Gte: '>=', Lte: '<=', And: 'and', Or: 'or', Unless: 'unless',
};
const MATCH_OPS: Record<string, Matcher['type']> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };

/** line:col (1-based) of an offset, as Prometheus prefixes its parse errors. */
function position(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - (before.lastIndexOf('\n') + 1) + 1;
  return `${line}:${col}`;
}

class Walker {
  readonly #text: string;
  /** Where each AST node starts in the text, for type errors found after the walk. */
  readonly positions = new WeakMap<Expr, number>();

  constructor(text: string) {
    this.#text = text;
  }

  fail(node: SyntaxNode | number, message: string): never {
    const at = typeof node === 'number' ? node : node.from;
    throw new LabError('LAB_PROMQL_BAD_QUERY', `${position(this.#text, at)}: parse error: ${message}`);
  }

  unsupported(node: SyntaxNode, what: string): never {
    throw new LabError('LAB_PROMQL_UNSUPPORTED', `${position(this.#text, node.from)}: ${what} is not supported by the hub's PromQL evaluator`);
  }

  text(node: SyntaxNode): string {
    return this.#text.slice(node.from, node.to);
  }

  children(node: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
    return out;
  }

  exprChildren(node: SyntaxNode): SyntaxNode[] {
    return this.children(node).filter((c) => c.type.is('Expr'));
  }

  string(node: SyntaxNode): string {
    try {
      return unquote(this.text(node));
    } catch (err) {
      return this.fail(node, (err as Error).message);
    }
  }

  duration(node: SyntaxNode, what: string): number {
    const kids = this.children(node);
    const lit = kids[0];
    if (kids.length !== 1 || lit?.name !== 'NumberDurationLiteralInDurationContext') {
      return this.unsupported(node, `the duration expression ${JSON.stringify(this.text(node))} in ${what}`);
    }
    const text = this.text(lit);
    const ms = parseDurationMs(text) ?? (/^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : null);
    if (ms === null) return this.fail(lit, `bad duration ${JSON.stringify(text)}`);
    return Math.round(ms);
  }

  expr(node: SyntaxNode): Expr {
    const expr = this.#expr(node);
    if (!this.positions.has(expr)) this.positions.set(expr, node.from);
    return expr;
  }

  #expr(node: SyntaxNode): Expr {
    switch (node.name) {
      case 'PromQL': {
        const [only] = this.exprChildren(node);
        if (!only) return this.fail(node.to, 'no expression found in input');
        return this.expr(only);
      }
      case 'NumberDurationLiteral': {
        const value = parseNumber(this.text(node).replace(/\s+/g, ''));
        if (value === null) return this.fail(node, `bad number or duration syntax: ${JSON.stringify(this.text(node))}`);
        return { kind: 'number', value };
      }
      case 'StringLiteral':
        return { kind: 'string', value: this.string(node) };
      case 'VectorSelector':
        return this.selector(node);
      case 'MatrixSelector': {
        const [inner] = this.exprChildren(node);
        const range = node.getChild('DurationExpr');
        if (!inner || !range) return this.fail(node, 'bad range selector');
        const selector = this.expr(inner);
        if (selector.kind !== 'vector') return this.fail(node, 'ranges only allowed for vector selectors');
        if (selector.offsetMs !== 0) return this.fail(node, 'no offset modifiers allowed before range');
        const rangeMs = this.duration(range, 'a range selector');
        if (rangeMs <= 0) return this.fail(range, 'range must be greater than 0');
        return { kind: 'matrix', selector, rangeMs };
      }
      case 'OffsetExpr':
        return this.offset(node);
      case 'FunctionCall':
        return this.call(node);
      case 'AggregateExpr':
        return this.aggregate(node);
      case 'BinaryExpr':
        return this.binary(node);
      case 'UnaryExpr': {
        const [operand] = this.exprChildren(node);
        if (!operand) return this.fail(node, 'unary operator without operand');
        const op = this.text(node.getChild('UnaryOp') ?? node).trim() === '+' ? '+' : '-';
        const expr = this.expr(operand);
        // Prometheus folds a signed number literal into the number.
        if (expr.kind === 'number') return { kind: 'number', value: op === '-' ? -expr.value : expr.value };
        return { kind: 'unary', op, expr };
      }
      case 'ParenExpr': {
        const [inner] = this.exprChildren(node);
        if (!inner) return this.fail(node, 'empty parentheses');
        return { kind: 'paren', expr: this.expr(inner) };
      }
      case 'SubqueryExpr':
        return this.unsupported(node, 'a subquery');
      case 'StepInvariantExpr':
        return this.unsupported(node, 'the @ modifier');
      case 'AnchoredExpr':
      case 'SmoothedExpr':
        return this.unsupported(node, `the ${node.name === 'AnchoredExpr' ? 'anchored' : 'smoothed'} modifier`);
      default:
        return this.fail(node, `unexpected ${JSON.stringify(this.text(node))}`);
    }
  }

  selector(node: SyntaxNode): VectorSelector {
    const ident = node.getChild('Identifier');
    const name = ident ? this.text(ident) : '';
    const matchers: Matcher[] = [];
    const list = node.getChild('LabelMatchers');
    let nameInBraces: string | null = null;
    for (const m of list ? this.children(list) : []) {
      if (m.name === 'QuotedLabelName') {
        nameInBraces = this.string(m.firstChild ?? m);
        matchers.push({ name: '__name__', type: '=', value: nameInBraces });
        continue;
      }
      if (m.name !== 'UnquotedLabelMatcher' && m.name !== 'QuotedLabelMatcher') continue;
      const labelNode = m.firstChild;
      const opNode = m.getChild('MatchOp')?.firstChild;
      const valueNode = m.getChild('StringLiteral');
      if (!labelNode || !opNode || !valueNode) return this.fail(m, 'bad label matcher');
      const label = m.name === 'QuotedLabelMatcher' ? this.string(labelNode.firstChild ?? labelNode) : this.text(labelNode);
      const type = MATCH_OPS[opNode.name];
      if (!type) return this.fail(opNode, `unexpected ${JSON.stringify(this.text(opNode))} in label matching`);
      const value = this.string(valueNode);
      if (type === '=~' || type === '!~') {
        try {
          compileRegex(value);
        } catch (err) {
          return this.fail(valueNode, (err as Error).message);
        }
      }
      matchers.push({ name: label, type, value });
    }
    if (name) {
      if (nameInBraces !== null || matchers.some((mm) => mm.name === '__name__')) {
        const other = nameInBraces ?? matchers.find((mm) => mm.name === '__name__')?.value ?? '';
        return this.fail(node, `metric name must not be set twice: ${JSON.stringify(name)} or ${JSON.stringify(other)}`);
      }
      matchers.unshift({ name: '__name__', type: '=', value: name });
    }
    if (!matchers.some((mm) => !matchesEmpty(mm))) {
      return this.fail(node, 'vector selector must contain at least one non-empty matcher');
    }
    return { kind: 'vector', name: name || nameInBraces || '', matchers, offsetMs: 0 };
  }

  offset(node: SyntaxNode): Expr {
    const [inner] = this.exprChildren(node);
    const durNode = node.getChild('OffsetDurationExpr');
    if (!inner || !durNode) return this.fail(node, 'bad offset');
    let sign = 1;
    let d: SyntaxNode = durNode;
    while (d.getChild('UnaryOp') && d.getChild('OffsetDurationExpr')) {
      if (this.text(d.getChild('UnaryOp')!).trim() === '-') sign = -sign;
      d = d.getChild('OffsetDurationExpr')!;
    }
    const offsetMs = sign * this.duration(d, 'an offset');
    const target = this.expr(inner);
    const selector = target.kind === 'vector' ? target : target.kind === 'matrix' ? target.selector : null;
    if (!selector) return this.fail(node, 'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery');
    if (selector.offsetMs !== 0) return this.fail(node, 'offset may not be set multiple times');
    selector.offsetMs = offsetMs;
    return target;
  }

  call(node: SyntaxNode): Expr {
    const ident = node.getChild('FunctionIdentifier');
    const body = node.getChild('FunctionCallBody');
    if (!ident || !body) return this.fail(node, 'bad function call');
    const func = this.text(ident);
    if (UNSUPPORTED_FUNCTIONS.has(func)) return this.unsupported(ident, `the function ${func}()`);
    if (!FUNCTIONS.has(func)) return this.fail(ident, `unknown function with name ${JSON.stringify(func)}`);
    return { kind: 'call', func, args: this.exprChildren(body).map((a) => this.expr(a)) };
  }

  aggregate(node: SyntaxNode): Expr {
    const opNode = node.getChild('AggregateOp');
    const body = node.getChild('FunctionCallBody');
    if (!opNode || !body) return this.fail(node, 'bad aggregation');
    const opName = this.text(opNode);
    if (UNSUPPORTED_AGGREGATIONS.has(opName)) return this.unsupported(opNode, `the aggregation ${opName}`);
    if (!AGGREGATIONS.has(opName)) return this.fail(opNode, `unknown aggregation ${JSON.stringify(opName)}`);
    const op = opName as AggregateOp;
    const modifier = node.getChild('AggregateModifier');
    const without = modifier?.getChild('Without') != null;
    const grouping = modifier ? this.groupingLabels(modifier.getChild('GroupingLabels')) : [];
    const args = this.exprChildren(body).map((a) => this.expr(a));
    const wantsParam = AGGREGATIONS.get(op) !== null;
    if (args.length !== (wantsParam ? 2 : 1)) {
      return this.fail(body, wantsParam ? `wrong number of arguments for aggregate expression provided, expected 2, got ${args.length}` : `wrong number of arguments for aggregate expression provided, expected 1, got ${args.length}`);
    }
    const expr = args[args.length - 1]!;
    const param = wantsParam ? args[0]! : null;
    return { kind: 'aggregate', op, expr, param, grouping, without };
  }

  groupingLabels(node: SyntaxNode | null): string[] {
    if (!node) return [];
    return this.children(node)
      .filter((c) => c.name === 'LabelName' || c.name === 'QuotedLabelName')
      .map((c) => (c.name === 'QuotedLabelName' ? this.string(c.firstChild ?? c) : this.text(c)));
  }

  binary(node: SyntaxNode): Expr {
    const operands = this.exprChildren(node);
    const opNode = this.children(node).find((c) => BINARY_OPS[c.name] !== undefined && !c.type.is('Expr'));
    if (operands.length !== 2 || !opNode) return this.fail(node, 'bad binary expression');
    const op = BINARY_OPS[opNode.name]!;
    if (node.getChild('FillModifier')) return this.unsupported(node.getChild('FillModifier')!, 'the fill modifier');
    const returnBool = node.getChild('BoolModifier') != null;
    const clause = node.getChild('MatchingModifierClause');
    let matching: VectorMatching | null = null;
    if (clause) {
      const groups = clause.getChildren('GroupingLabels');
      const card = clause.getChild('GroupLeft') ? 'many-to-one' : clause.getChild('GroupRight') ? 'one-to-many' : 'one-to-one';
      matching = {
        card,
        on: clause.getChild('On') != null,
        labels: this.groupingLabels(groups[0] ?? null),
        include: this.groupingLabels(groups[1] ?? null),
      };
    }
    const lhs = this.expr(operands[0]!);
    const rhs = this.expr(operands[1]!);
    return { kind: 'binary', op, lhs, rhs, returnBool, matching };
  }
}

function matchesEmpty(m: Matcher): boolean {
  switch (m.type) {
    case '=': return m.value === '';
    case '!=': return m.value !== '';
    case '=~': return compileRegex(m.value).test('');
    case '!~': return !compileRegex(m.value).test('');
  }
}

function firstError(tree: ReturnType<typeof parser.parse>): number | null {
  let at: number | null = null;
  tree.iterate({
    enter(n) {
      if (at !== null) return false;
      if (n.type.isError) at = n.from;
      return undefined;
    },
  });
  return at;
}

/** Parses and type-checks a PromQL expression; throws LabError (BAD_QUERY or UNSUPPORTED). */
export function parseQuery(query: string): Expr {
  const walker = new Walker(query);
  if (query.trim() === '') walker.fail(0, 'no expression found in input');
  const tree = parser.parse(query);
  const errorAt = firstError(tree);
  if (errorAt !== null) {
    // An identifier followed by "(" that the grammar does not know is a function name it lacks.
    const call = /([a-zA-Z_][a-zA-Z0-9_]*)\s*\($/.exec(query.slice(0, errorAt + 1).trimEnd()) ?? /([a-zA-Z_][a-zA-Z0-9_]*)\s*$/.exec(query.slice(0, errorAt));
    if (call && /^\s*\(/.test(query.slice(call.index + call[1]!.length))) {
      const name = call[1]!;
      if (UNSUPPORTED_FUNCTIONS.has(name)) {
        throw new LabError('LAB_PROMQL_UNSUPPORTED', `${position(query, call.index)}: the function ${name}() is not supported by the hub's PromQL evaluator`);
      }
      if (!FUNCTIONS.has(name) && !AGGREGATIONS.has(name)) walker.fail(call.index, `unknown function with name ${JSON.stringify(name)}`);
    }
    const rest = query.slice(errorAt).trim();
    walker.fail(errorAt, rest === '' ? 'unexpected end of input' : `unexpected ${JSON.stringify(rest.slice(0, 20))}`);
  }
  const expr = walker.expr(tree.topNode);
  checkExpr(expr, (node, message) => walker.fail(walker.positions.get(node) ?? 0, message));
  return expr;
}

/** Parses a series selector (`/api/v1/series?match[]=...`) into its matchers. */
export function parseSeriesSelector(text: string): Matcher[] {
  const expr = parseQuery(text);
  if (expr.kind !== 'vector' || expr.offsetMs !== 0) {
    throw new LabError('LAB_PROMQL_BAD_QUERY', `invalid series selector ${JSON.stringify(text)}: expected a vector selector such as up{job="api"}`);
  }
  return expr.matchers;
}
