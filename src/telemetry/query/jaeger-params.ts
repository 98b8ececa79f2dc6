/**
 * Reading jaeger-query's HTTP parameters the way it reads them (cmd/query/app/
 * query_parser.go): Go durations, integer microseconds, `tags` as a JSON map, `tag`
 * as `key:value`, trace ids of up to 32 hex digits. Errors carry Jaeger's wording,
 * which names the parameter: `unable to parse param 'minDuration': ...`.
 */
import { LabError } from '../../errors.js';

const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3, // U+00B5 MICRO SIGN
  'μs': 1e3, // U+03BC GREEK SMALL LETTER MU
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

function badParam(param: string, reason: string): LabError {
  return new LabError('LAB_QUERY_TRACE_BAD_PARAM', `unable to parse param '${param}': ${reason}`);
}

/**
 * Go's time.ParseDuration, in nanoseconds: a sequence of decimal numbers, each with
 * an optional fraction and a unit (`1.5h`, `2h45m`, `100ms`, `5us`), optionally
 * signed; `0` alone needs no unit. Returns an error text in Go's words.
 */
export function parseGoDuration(text: string): number | string {
  const invalid = `time: invalid duration ${JSON.stringify(text)}`;
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return invalid;
  let total = 0;
  while (rest !== '') {
    const number = /^(\d*)(?:\.(\d*))?/.exec(rest);
    const whole = number?.[1] ?? '';
    const fraction = number?.[2];
    if (whole === '' && (fraction === undefined || fraction === '')) return invalid;
    rest = rest.slice(number?.[0].length ?? 0);
    const unit = /^[^\d.]*/.exec(rest)?.[0] ?? '';
    if (unit === '') return `time: missing unit in duration ${JSON.stringify(text)}`;
    const scale = UNIT_NS[unit];
    if (scale === undefined) return `time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(text)}`;
    rest = rest.slice(unit.length);
    total += Number(`${whole === '' ? '0' : whole}.${fraction ?? '0'}`) * scale;
  }
  return sign * total;
}

/** A duration parameter in microseconds, or undefined when absent or empty. */
export function durationParamUs(params: URLSearchParams, name: string): number | undefined {
  const text = params.get(name);
  if (text === null || text === '') return undefined;
  const ns = parseGoDuration(text);
  if (typeof ns === 'string') throw badParam(name, ns);
  return ns / 1e3;
}

/** An integer parameter (Go's strconv.ParseInt), or undefined when absent or empty. */
export function intParam(params: URLSearchParams, name: string): number | undefined {
  const text = params.get(name);
  if (text === null || text === '') return undefined;
  if (!/^[+-]?\d+$/.test(text)) throw badParam(name, `strconv.ParseInt: parsing ${JSON.stringify(text)}: invalid syntax`);
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw badParam(name, `strconv.ParseInt: parsing ${JSON.stringify(text)}: value out of range`);
  return value;
}

/**
 * A Jaeger UI `lookback` (`1h`, `2d`, `custom`) in microseconds; undefined for
 * `custom` or nothing. Days and weeks are accepted besides Go's units.
 */
export function lookbackParamUs(params: URLSearchParams): number | undefined {
  const text = params.get('lookback');
  if (text === null || text === '' || text === 'custom') return undefined;
  const days = /^(\d+)([dw])$/.exec(text);
  if (days !== null) return Number(days[1]) * (days[2] === 'w' ? 7 : 1) * 86_400e6;
  return durationParamUs(params, 'lookback');
}

/** Splits a logfmt line (`a=1 b="two words"`) into pairs, as Grafana's Jaeger data source reads its Tags field. */
export function parseLogfmt(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  const pair = /\s*([^\s="]+)(?:=(?:"((?:[^"\\]|\\.)*)"|([^\s"]*)))?\s*/y;
  let at = 0;
  while (at < text.length) {
    pair.lastIndex = at;
    const m = pair.exec(text);
    if (m === null || m[0] === '') return undefined;
    const key = m[1] ?? '';
    const quoted = m[2];
    out[key] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (m[3] ?? 'true');
    at = pair.lastIndex;
  }
  return out;
}

/**
 * The tag conditions of a search: every `tag=key:value`, then every `tags=` map.
 * A `tags` value is a JSON object (Jaeger's form; numbers and booleans are taken as
 * their text) or, as a convenience, a logfmt line `key=value key2="a b"`.
 */
export function tagsParam(params: URLSearchParams): Record<string, string> | undefined {
  const tags: Record<string, string> = {};
  let any = false;
  for (const tag of params.getAll('tag')) {
    const colon = tag.indexOf(':');
    if (colon < 0) throw new LabError('LAB_QUERY_TRACE_BAD_PARAM', `malformed 'tag' parameter, expecting key:value, received: ${tag}`);
    tags[tag.slice(0, colon)] = tag.slice(colon + 1);
    any = true;
  }
  for (const text of params.getAll('tags')) {
    if (text.trim() === '') continue;
    for (const [key, value] of Object.entries(parseTagsText(text))) tags[key] = value;
    any = true;
  }
  return any ? tags : undefined;
}

function parseTagsText(text: string): Record<string, string> {
  if (/^\s*[{[]/.test(text)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new LabError('LAB_QUERY_TRACE_BAD_PARAM', `malformed 'tags' parameter, cannot unmarshal JSON: ${(err as Error).message}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new LabError('LAB_QUERY_TRACE_BAD_PARAM', "malformed 'tags' parameter, expecting a JSON object of strings");
    }
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw new LabError('LAB_QUERY_TRACE_BAD_PARAM', `malformed 'tags' parameter, the value of ${JSON.stringify(key)} must be a string, received ${JSON.stringify(value)}`);
      }
      out[key] = String(value);
    }
    return out;
  }
  const pairs = parseLogfmt(text);
  if (pairs === undefined) {
    throw new LabError('LAB_QUERY_TRACE_BAD_PARAM', `malformed 'tags' parameter, expecting a JSON object or key=value pairs, received: ${text}`);
  }
  return pairs;
}

/**
 * A trace id as Jaeger reads it (model.TraceIDFromString): 1-32 hex digits, which we
 * left-pad to the 32 lowercase digits the store keys traces by.
 */
export function parseTraceId(text: string, param = 'traceID'): string {
  if (text.length > 32) throw new LabError('LAB_QUERY_TRACE_BAD_PARAM', `unable to parse param '${param}': TraceID cannot be longer than 32 hex characters: ${text}`);
  if (!/^[0-9a-fA-F]+$/.test(text)) throw new LabError('LAB_QUERY_TRACE_BAD_PARAM', `unable to parse param '${param}': TraceID must be hex digits, received: ${JSON.stringify(text)}`);
  return text.toLowerCase().padStart(32, '0');
}
