/** PromQL literals: numbers, durations and Go-style quoted strings. */

const UNIT_MS: Record<string, number> = {
  y: 365 * 24 * 3600_000,
  w: 7 * 24 * 3600_000,
  d: 24 * 3600_000,
  h: 3600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
};
const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNITS = ['y', 'w', 'd', 'h', 'm', 's', 'ms'] as const;

/** Milliseconds of a Prometheus duration such as `1h30m` or `500ms`; null when not one. */
export function parseDurationMs(text: string): number | null {
  if (text === '') return null;
  const match = DURATION_RE.exec(text);
  if (!match) return null;
  let total = 0;
  for (let i = 0; i < UNITS.length; i++) {
    const part = match[i + 1];
    if (part !== undefined) total += Number(part) * UNIT_MS[UNITS[i]!]!;
  }
  return total;
}

/**
 * The value of a number literal as PromQL reads it: decimal with optional `_`
 * separators and exponent, hex `0x..`, `Inf`, `NaN` (any case), or a duration
 * (in seconds). Null when the text is none of these.
 */
export function parseNumber(text: string): number | null {
  let sign = 1;
  let body = text;
  if (body.startsWith('-') || body.startsWith('+')) {
    if (body[0] === '-') sign = -1;
    body = body.slice(1);
  }
  const lower = body.toLowerCase();
  if (lower === 'inf') return sign * Infinity;
  if (lower === 'nan') return NaN;
  if (/^0x[0-9a-f]+$/.test(lower)) return sign * Number.parseInt(lower.slice(2), 16);
  if (/^(\d+(_?\d)*(\.\d+(_?\d)*)?|\.\d+(_?\d)*)(e[+-]?\d+(_?\d)*)?$/.test(lower)) {
    return sign * Number(lower.replace(/_/g, ''));
  }
  const ms = parseDurationMs(body);
  return ms === null ? null : (sign * ms) / 1000;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"',
};

/** Unquotes a PromQL string literal (Go's rules); throws a SyntaxError saying what is malformed. */
export function unquote(text: string): string {
  const quote = text[0];
  if (quote === '`') {
    if (text.length < 2 || !text.endsWith('`')) throw new SyntaxError('unterminated raw string');
    return text.slice(1, -1);
  }
  if (quote !== '"' && quote !== "'") throw new SyntaxError(`not a string literal: ${text}`);
  if (text.length < 2 || text[text.length - 1] !== quote || text[text.length - 2] === '\\' && !evenBackslashesBefore(text, text.length - 1)) {
    throw new SyntaxError('unterminated quoted string');
  }
  const body = text.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      if (c === '\n') throw new SyntaxError('newline in string');
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) throw new SyntaxError('unterminated escape sequence');
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    let digits = 0;
    let base = 16;
    if (e === 'x') digits = 2;
    else if (e === 'u') digits = 4;
    else if (e === 'U') digits = 8;
    else if (e >= '0' && e <= '7') {
      digits = 3;
      base = 8;
      i--;
    } else throw new SyntaxError(`unknown escape sequence \\${e}`);
    const hex = body.slice(i + 1, i + 1 + digits);
    const valid = base === 16 ? /^[0-9a-fA-F]+$/ : /^[0-7]+$/;
    if (hex.length !== digits || !valid.test(hex)) throw new SyntaxError(`invalid escape sequence \\${e}${hex}`);
    const code = Number.parseInt(hex, base);
    if (code > 0x10ffff) throw new SyntaxError(`escape sequence is an invalid Unicode code point`);
    out += String.fromCodePoint(code);
    i += digits;
  }
  return out;
}

function evenBackslashesBefore(text: string, index: number): boolean {
  let n = 0;
  for (let i = index - 1; i >= 0 && text[i] === '\\'; i--) n++;
  return n % 2 === 0;
}
