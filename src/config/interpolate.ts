/**
 * Variable interpolation in string values, as docker compose does it: `${VAR}`, `$VAR`,
 * `${VAR:-default}` (unset or empty), `${VAR-default}` (unset), `${VAR:?message}`,
 * `${VAR?message}`, `${VAR:+other}`, `${VAR+other}`, and `$$` for a literal `$`.
 * Unlike compose, an unset variable without a default is an error, not an empty string.
 */

export type Interpolated =
  | { ok: true; value: string }
  | { ok: false; kind: 'unset'; variable: string; message: string | null; empty: boolean }
  | { ok: false; kind: 'syntax'; reason: string };

type Env = Readonly<Record<string, string | undefined>>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const OPERATORS = [':-', ':?', ':+', '-', '?', '+'] as const;

/** Carries a failed result out of the recursive expansion; never leaves this module. */
class Failure extends Error {
  constructor(readonly result: Exclude<Interpolated, { ok: true }>) {
    super(result.kind);
  }
}

export function interpolate(text: string, env: Env): Interpolated {
  try {
    return { ok: true, value: expand(text, env) };
  } catch (err) {
    if (err instanceof Failure) return err.result;
    throw err;
  }
}

function expand(text: string, env: Env): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar === -1) return out + text.slice(i);
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '{') {
      const close = matchingBrace(text, dollar + 2);
      if (close === -1) throw new Failure({ ok: false, kind: 'syntax', reason: `"${text.slice(dollar)}" has no closing }` });
      out += substitute(text.slice(dollar + 2, close), env);
      i = close + 1;
    } else {
      const name = NAME.exec(text.slice(dollar + 1))?.[0];
      if (name === undefined) {
        out += '$';
        i = dollar + 1;
      } else {
        out += lookup(name, env, null);
        i = dollar + 1 + name.length;
      }
    }
  }
  return out;
}

/** Index of the `}` that closes a `${` whose body starts at `from`, counting nested `${`. */
function matchingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '$') i++;
    else if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function substitute(body: string, env: Env): string {
  const name = NAME.exec(body)?.[0];
  if (name === undefined) throw new Failure({ ok: false, kind: 'syntax', reason: `"\${${body}}" does not start with a variable name` });
  const rest = body.slice(name.length);
  if (rest === '') return lookup(name, env, null);
  const op = OPERATORS.find((o) => rest.startsWith(o));
  if (op === undefined) throw new Failure({ ok: false, kind: 'syntax', reason: `"\${${body}}" has "${rest}" after the name, where :-, -, :?, ?, :+ or + was expected` });
  const arg = rest.slice(op.length);
  const value = env[name];
  const present = op.startsWith(':') ? value !== undefined && value !== '' : value !== undefined;
  switch (op) {
    case ':-':
    case '-':
      return present ? (value ?? '') : expand(arg, env);
    case ':+':
    case '+':
      return present ? expand(arg, env) : '';
    case ':?':
    case '?':
      if (!present) throw new Failure({ ok: false, kind: 'unset', variable: name, message: arg === '' ? null : expand(arg, env), empty: value === '' });
      return value ?? '';
  }
}

function lookup(name: string, env: Env, message: string | null): string {
  const value = env[name];
  if (value === undefined) throw new Failure({ ok: false, kind: 'unset', variable: name, message, empty: false });
  return value;
}
