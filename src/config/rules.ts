/**
 * Leaf rules of the cloudlab.yaml schema. Each rule carries, in its zod message, what
 * was expected and how to fix it; `problems.ts` turns that into one line per problem.
 */
import { z } from 'zod';
import { parseDuration } from './duration.js';

const SEP = '\u001f';
const KEYS = '\u001ekeys';

/** Encodes "what was expected" and "how to fix it" in a zod message. */
export function rule(expected: string, fix: string): string {
  return `${expected}${SEP}${fix}`;
}

export type RuleMessage = { kind: 'rule'; expected: string; fix: string } | { kind: 'keys'; what: string; known: string[] };

/** Decodes a message made by `rule()` or `strictMap()`; undefined for zod's own messages. */
export function readRule(message: string): RuleMessage | undefined {
  const parts = message.split(SEP);
  if (parts[0] === KEYS) return { kind: 'keys', what: parts[1] ?? '', known: parts.slice(2) };
  if (parts.length === 2) return { kind: 'rule', expected: parts[0] ?? '', fix: parts[1] ?? '' };
  return undefined;
}

/** A map with a fixed set of keys; an unknown key is reported with the known ones (for "did you mean"). */
export function strictMap<S extends z.ZodRawShape>(what: string, shape: S): z.ZodObject<S, z.core.$strict> {
  const known = Object.keys(shape);
  const notAMap = rule(`must be a map (${what})`, `write its keys indented below it, such as ${known.slice(0, 3).join(', ')}`);
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? [KEYS, what, ...known].join(SEP) : notAMap),
  });
}

/** An integer within [min, max]. */
export function int(min: number, max: number, fix: string, expected = `must be an integer from ${min} to ${max}`): z.ZodNumber {
  const m = rule(expected, fix);
  return z.number({ error: m }).int({ error: m }).min(min, { error: m }).max(max, { error: m });
}

export function port(): z.ZodNumber {
  return int(0, 65535, 'write a number such as 8080, or 0 for a free port', 'must be a port from 0 to 65535');
}

/** "PORT" or "HOST:PORT" (host a name, an IPv4 address or a bracketed IPv6 address; not all digits, so "8000:3000" is refused). */
export const ADDRESS_PATTERN = /^(?:(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]*[A-Za-z.-][A-Za-z0-9.-]*):)?(\d{1,5})$/;

/** A port number, or a string "PORT" / "HOST:PORT". */
export function address(): z.ZodType<number | string, number | string> {
  const m = rule('must be a port or "host:port" with a port from 0 to 65535', 'write a port such as 8000, or "127.0.0.1:8000" (one side only: no "8000:3000" mapping)');
  const text = z
    .string({ error: m })
    .regex(ADDRESS_PATTERN, { error: m })
    .refine((s) => Number(ADDRESS_PATTERN.exec(s)?.[2]) <= 65535, { error: m });
  return z.union([z.number({ error: m }).int({ error: m }).min(0, { error: m }).max(65535, { error: m }), text], { error: m });
}

/** A duration: "500ms", "2s", "1m", "1h", "1m30s", or a number of milliseconds. */
export function duration(minMs: number, example: string): z.ZodType<number | string, number | string> {
  const bound = minMs > 0 ? ' above 0' : '';
  const m = rule(`must be a duration${bound} such as "${example}" (units ms, s, m, h) or a number of milliseconds`, `write a duration such as ${example}`);
  const text = z
    .string({ error: m })
    .refine((s) => {
      const ms = parseDuration(s);
      return ms !== undefined && ms >= minMs;
    }, { error: m })
    .meta({ pattern: '^(\\d+(\\.\\d+)?(ms|s|m|h))+$' });
  return z.union([z.number({ error: m }).int({ error: m }).min(minMs, { error: m }), text], { error: m });
}

/** One of a fixed set of strings. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T, fix?: string): z.ZodEnum<{ [K in T[number]]: K }> {
  const list = values.map((v) => `"${v}"`).join(', ');
  return z.enum(values, { error: rule(`must be one of ${list}`, fix ?? `write one of them, such as ${values[0]}`) });
}

/** A non-empty string matching a pattern. */
export function text(pattern: RegExp, expected: string, fix: string): z.ZodString {
  const m = rule(expected, fix);
  return z.string({ error: m }).regex(pattern, { error: m });
}

export function boolean(fix: string): z.ZodBoolean {
  return z.boolean({ error: rule('must be true or false', fix) });
}

/** `true` only: a switch that is on when present. */
export function flag(key: string, fix: string): z.ZodLiteral<true> {
  return z.literal(true, { error: rule(`must be true (${key}: true)`, fix) });
}

type ProxyInput = false | null | { listen?: number | string | undefined };

/** `proxy:` of a dependency or a service: `{ listen }`, empty for the default, or `false` for none. */
export function proxySettings(what: string, defaultListen: number): z.ZodType<ProxyInput, ProxyInput> {
  return z.union(
    [
      z.literal(false),
      strictMap(what, {
        listen: address().optional().meta({ description: 'Port or "host:port" the fault proxy listens on (0 = a free port).', default: defaultListen }),
      }).nullable(),
    ],
    { error: rule('must be a map with listen, or false', 'write proxy: { listen: 8081 }, or proxy: false') },
  );
}
