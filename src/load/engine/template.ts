/**
 * Templates in a task's path, headers and JSON body: {{uuid}}, {{randomInt a b}},
 * {{vu}}, {{iteration}}, {{pick a|b|c}}. A string that is exactly one template renders
 * to the value itself (a number for randomInt, vu and iteration). Templates are
 * compiled once per task, so a send only concatenates.
 */
import { randomUUID } from 'node:crypto';

export interface TemplateContext {
  /** The virtual user (1-based; in the open model, the arrival's slot). */
  vu: number;
  /** The user's iteration (0-based; in the open model, the arrival's number). */
  iteration: number;
  /** Uniform in [0, 1); injectable for tests. */
  random?: () => number;
}

type Part = string | ((ctx: TemplateContext) => string | number);

/** A compiled template: a constant, one value, or parts to concatenate. */
export type CompiledTemplate = (ctx: TemplateContext) => unknown;

const TEMPLATE = /\{\{\s*([^}]*?)\s*\}\}/g;
const HAS_TEMPLATE = /\{\{\s*([^}]*?)\s*\}\}/;

function compileExpression(expression: string): (ctx: TemplateContext) => string | number {
  const [name = '', ...args] = expression.split(/\s+/);
  switch (name) {
    case 'uuid':
      return () => randomUUID();
    case 'vu':
      return (ctx) => ctx.vu;
    case 'iteration':
      return (ctx) => ctx.iteration;
    case 'randomInt': {
      const low = Number(args[0]);
      const high = Number(args[1]);
      if (args.length !== 2 || !Number.isInteger(low) || !Number.isInteger(high) || high < low) {
        throw new Error(`{{randomInt a b}} needs two integers a <= b, received "{{${expression}}}"`);
      }
      return (ctx) => low + Math.floor((ctx.random ?? Math.random)() * (high - low + 1));
    }
    case 'pick': {
      const choices = args.join(' ').split('|');
      return (ctx) => choices[Math.floor((ctx.random ?? Math.random)() * choices.length)] ?? '';
    }
    default:
      throw new Error(`unknown template "{{${expression}}}": expected uuid, randomInt a b, vu, iteration or pick a|b|c`);
  }
}

/** Compiles one string; throws (an Error naming the template) on an unknown template. */
export function compileString(text: string): CompiledTemplate {
  const parts: Part[] = [];
  let last = 0;
  for (const match of text.matchAll(TEMPLATE)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push(compileExpression(match[1] ?? ''));
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  if (parts.length === 0) return () => '';
  const only = parts[0];
  if (parts.length === 1 && only !== undefined) return typeof only === 'string' ? () => only : only;
  return (ctx) => {
    let out = '';
    for (const part of parts) out += typeof part === 'string' ? part : String(part(ctx));
    return out;
  };
}

/** Compiles any JSON value: templates in its strings (keys stay as written). */
export function compileValue(value: unknown): CompiledTemplate {
  if (typeof value === 'string') return compileString(value);
  if (Array.isArray(value)) {
    const items = value.map(compileValue);
    return (ctx) => items.map((item) => item(ctx));
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, v]) => [key, compileValue(v)] as const);
    return (ctx) => Object.fromEntries(entries.map(([key, item]) => [key, item(ctx)]));
  }
  return () => value;
}

/** True when a string, or any string in a JSON value (keys excepted), holds a template. */
export function hasTemplates(value: unknown): boolean {
  if (typeof value === 'string') return HAS_TEMPLATE.test(value);
  if (Array.isArray(value)) return value.some(hasTemplates);
  if (value !== null && typeof value === 'object') return Object.values(value).some(hasTemplates);
  return false;
}

/** Renders a string once (compiling it each time): for tests and one-off uses. */
export function renderTemplate(text: string, ctx: TemplateContext): unknown {
  return compileString(text)(ctx);
}
