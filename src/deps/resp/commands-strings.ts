/** String commands of the built-in cache: GET, SET, MGET, INCR, INCRBY, DECR, DECRBY. */
import type { CommandContext, CommandSpec } from './command.js';
import { define, isKeyword, keyOf, keySpec } from './command.js';
import { argInteger, INT64_MAX, INT64_MIN } from './integers.js';
import { invalidExpireTime, NOT_AN_INTEGER, OVERFLOW, SYNTAX_ERROR } from './messages.js';
import type { Reply } from './reply.js';
import { array, bulk, error, integer, NIL, OK } from './reply.js';

const READ_FAST = { flags: ['readonly', 'fast'], categories: ['@read', '@string', '@fast'] } as const;
const WRITE_FAST = { flags: ['write', 'denyoom', 'fast'], categories: ['@write', '@string', '@fast'] } as const;
const ONE_KEY = [1, 1, 1] as const;

function get(ctx: CommandContext, args: Buffer[]): Reply {
  return bulk(ctx.keyspace.get(keyOf(args[1]!), ctx.now) ?? null);
}

type ExpireUnit = 'EX' | 'PX' | 'EXAT' | 'PXAT';

interface SetOptions {
  nx: boolean;
  xx: boolean;
  get: boolean;
  keepTtl: boolean;
  unit: ExpireUnit | null;
  expire: Buffer | null;
}

/** SET's options, with Redis's rules on which may combine; null for a syntax error. */
function parseSetOptions(args: Buffer[]): SetOptions | null {
  const o: SetOptions = { nx: false, xx: false, get: false, keepTtl: false, unit: null, expire: null };
  for (let j = 3; j < args.length; j++) {
    const opt = args[j];
    const next = j === args.length - 1 ? undefined : args[j + 1];
    if (isKeyword(opt, 'nx') && !o.xx) o.nx = true;
    else if (isKeyword(opt, 'xx') && !o.nx) o.xx = true;
    else if (isKeyword(opt, 'get')) o.get = true;
    else if (isKeyword(opt, 'keepttl') && o.unit === null) o.keepTtl = true;
    else {
      const unit = (['EX', 'PX', 'EXAT', 'PXAT'] as const).find((u) => isKeyword(opt, u.toLowerCase()));
      // One unit only (the same one may repeat: the last value wins), never with KEEPTTL.
      if (unit === undefined || o.keepTtl || (o.unit !== null && o.unit !== unit) || next === undefined) return null;
      o.unit = unit;
      o.expire = next;
      j++;
    }
  }
  return o;
}

/** The absolute expiry (unix ms) SET asks for, or an error reply. */
function setExpireAt(ctx: CommandContext, unit: ExpireUnit, value: Buffer): number | Reply {
  const parsed = argInteger(value);
  if (parsed === null) return error(NOT_AN_INTEGER);
  const seconds = unit === 'EX' || unit === 'EXAT';
  if (parsed <= 0n || (seconds && parsed > INT64_MAX / 1000n)) return error(invalidExpireTime('set'));
  let at = seconds ? parsed * 1000n : parsed;
  if (unit === 'EX' || unit === 'PX') at += BigInt(ctx.now);
  // Redis's sum wraps to a negative number past 2^63-1, which it then rejects.
  if (at > INT64_MAX) return error(invalidExpireTime('set'));
  return Number(at);
}

function set(ctx: CommandContext, args: Buffer[]): Reply {
  const options = parseSetOptions(args);
  if (options === null) return error(SYNTAX_ERROR);
  let expireAt: number | null | 'keep' = options.keepTtl ? 'keep' : null;
  if (options.unit !== null && options.expire !== null) {
    const at = setExpireAt(ctx, options.unit, options.expire);
    if (typeof at !== 'number') return at;
    expireAt = at;
  }
  const key = keyOf(args[1]!);
  const old = ctx.keyspace.get(key, ctx.now);
  const found = old !== undefined;
  const previous = options.get ? bulk(old ?? null) : undefined;
  if ((options.nx && found) || (options.xx && !found)) return previous ?? NIL;
  ctx.keyspace.set(key, args[2]!, expireAt);
  return previous ?? OK;
}

function mget(ctx: CommandContext, args: Buffer[]): Reply {
  return array(args.slice(1).map((k) => bulk(ctx.keyspace.get(keyOf(k), ctx.now) ?? null)));
}

/** Adds `by` to the integer stored at the key (0 when missing), keeping its expiry. */
function incrementBy(ctx: CommandContext, keyArg: Buffer, by: bigint): Reply {
  const key = keyOf(keyArg);
  const stored = ctx.keyspace.get(key, ctx.now);
  const current = stored === undefined ? 0n : argInteger(stored);
  if (current === null) return error(NOT_AN_INTEGER);
  const next = current + by;
  if (next > INT64_MAX || next < INT64_MIN) return error(OVERFLOW);
  ctx.keyspace.set(key, Buffer.from(next.toString(), 'latin1'), 'keep');
  return integer(next);
}

function incrementArgument(ctx: CommandContext, args: Buffer[], sign: 1n | -1n): Reply {
  const by = argInteger(args[2]!);
  if (by === null) return error(NOT_AN_INTEGER);
  if (sign === -1n && by === INT64_MIN) return error('ERR decrement would overflow');
  return incrementBy(ctx, args[1]!, by * sign);
}

export const STRING_COMMANDS: readonly CommandSpec[] = [
  define({ name: 'get', arity: 2, ...READ_FAST, keys: ONE_KEY, keySpecs: keySpec(['RO', 'access'], 0), run: get }),
  define({
    name: 'set',
    arity: -3,
    flags: ['write', 'denyoom'],
    categories: ['@write', '@string', '@slow'],
    keys: ONE_KEY,
    keySpecs: keySpec(['RW', 'access', 'update', 'variable_flags'], 0, 'RW and ACCESS due to the optional `GET` argument'),
    run: set,
  }),
  define({ name: 'mget', arity: -2, ...READ_FAST, keys: [1, -1, 1], tips: ['request_policy:multi_shard'], keySpecs: keySpec(['RO', 'access'], -1), run: mget }),
  define({ name: 'incr', arity: 2, ...WRITE_FAST, keys: ONE_KEY, keySpecs: keySpec(['RW', 'access', 'update'], 0), run: (ctx, args) => incrementBy(ctx, args[1]!, 1n) }),
  define({ name: 'decr', arity: 2, ...WRITE_FAST, keys: ONE_KEY, keySpecs: keySpec(['RW', 'access', 'update'], 0), run: (ctx, args) => incrementBy(ctx, args[1]!, -1n) }),
  define({ name: 'incrby', arity: 3, ...WRITE_FAST, keys: ONE_KEY, keySpecs: keySpec(['RW', 'access', 'update'], 0), run: (ctx, args) => incrementArgument(ctx, args, 1n) }),
  define({ name: 'decrby', arity: 3, ...WRITE_FAST, keys: ONE_KEY, keySpecs: keySpec(['RW', 'access', 'update'], 0), run: (ctx, args) => incrementArgument(ctx, args, -1n) }),
];
