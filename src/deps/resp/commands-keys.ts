/** Keyspace commands of the built-in cache: DEL, EXISTS, EXPIRE, PEXPIRE, TTL, PTTL, DBSIZE, FLUSHALL, FLUSHDB. */
import type { CommandContext, CommandSpec } from './command.js';
import { define, isKeyword, keyOf, keySpec } from './command.js';
import { argInteger, INT64_MAX, INT64_MIN } from './integers.js';
import { invalidExpireTime, NOT_AN_INTEGER, SYNTAX_ERROR } from './messages.js';
import type { Reply } from './reply.js';
import { error, integer, OK } from './reply.js';

function del(ctx: CommandContext, args: Buffer[]): Reply {
  let deleted = 0;
  for (const arg of args.slice(1)) if (ctx.keyspace.delete(keyOf(arg), ctx.now)) deleted++;
  return integer(deleted);
}

/** Counts every argument naming an existing key (a key named twice counts twice). */
function exists(ctx: CommandContext, args: Buffer[]): Reply {
  return integer(args.slice(1).filter((arg) => ctx.keyspace.has(keyOf(arg), ctx.now)).length);
}

interface ExpireFlags {
  nx: boolean;
  xx: boolean;
  gt: boolean;
  lt: boolean;
}

function parseExpireFlags(args: Buffer[]): ExpireFlags | Reply {
  const flags: ExpireFlags = { nx: false, xx: false, gt: false, lt: false };
  for (const arg of args.slice(3)) {
    const name = (['nx', 'xx', 'gt', 'lt'] as const).find((f) => isKeyword(arg, f));
    if (name === undefined) return error(`ERR Unsupported option ${arg.toString('latin1')}`);
    flags[name] = true;
  }
  if (flags.nx && (flags.xx || flags.gt || flags.lt)) return error('ERR NX and XX, GT or LT options at the same time are not compatible');
  if (flags.gt && flags.lt) return error('ERR GT and LT options at the same time are not compatible');
  return flags;
}

/** EXPIRE and PEXPIRE: a relative time; zero or negative deletes the key. */
function expire(ctx: CommandContext, args: Buffer[], unit: 's' | 'ms'): Reply {
  const name = unit === 's' ? 'expire' : 'pexpire';
  const flags = parseExpireFlags(args);
  if ('type' in flags) return flags;
  let when = argInteger(args[2]!);
  if (when === null) return error(NOT_AN_INTEGER);
  if (unit === 's') {
    if (when > INT64_MAX / 1000n || when < INT64_MIN / 1000n) return error(invalidExpireTime(name));
    when *= 1000n;
  }
  if (when > INT64_MAX - BigInt(ctx.now)) return error(invalidExpireTime(name));
  const at = Number(when + BigInt(ctx.now));
  const key = keyOf(args[1]!);
  if (!ctx.keyspace.has(key, ctx.now)) return integer(0);
  const current = ctx.keyspace.expireAt(key);
  if (flags.nx && current !== undefined) return integer(0);
  if (flags.xx && current === undefined) return integer(0);
  // No expiry counts as an infinite one: GT never beats it, LT always does.
  if (flags.gt && (current === undefined || at <= current)) return integer(0);
  if (flags.lt && current !== undefined && at >= current) return integer(0);
  if (at <= ctx.now) ctx.keyspace.delete(key, ctx.now);
  else ctx.keyspace.setExpire(key, at);
  return integer(1);
}

/** TTL and PTTL: -2 for a missing key, -1 for no expiry; TTL rounds to the nearest second. */
function ttl(ctx: CommandContext, args: Buffer[], unit: 's' | 'ms'): Reply {
  const key = keyOf(args[1]!);
  if (!ctx.keyspace.has(key, ctx.now)) return integer(-2);
  const at = ctx.keyspace.expireAt(key);
  if (at === undefined) return integer(-1);
  const remaining = Math.max(0, at - ctx.now);
  return integer(unit === 'ms' ? remaining : Math.floor((remaining + 500) / 1000));
}

/** FLUSHALL and FLUSHDB take an optional ASYNC or SYNC (the same here: flushing is immediate). */
function flush(ctx: CommandContext, args: Buffer[]): Reply {
  if (args.length > 2 || (args.length === 2 && !isKeyword(args[1], 'sync') && !isKeyword(args[1], 'async'))) return error(SYNTAX_ERROR);
  ctx.keyspace.clear();
  return OK;
}

const FLUSH = {
  arity: -1,
  flags: ['write'],
  categories: ['@keyspace', '@write', '@slow', '@dangerous'],
  tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
  run: flush,
} as const;
const EXPIRE = { arity: -3, flags: ['write', 'fast'], categories: ['@keyspace', '@write', '@fast'], keys: [1, 1, 1], keySpecs: keySpec(['RW', 'update'], 0) } as const;
const TTL = {
  arity: 2,
  flags: ['readonly', 'fast'],
  categories: ['@keyspace', '@read', '@fast'],
  keys: [1, 1, 1],
  tips: ['nondeterministic_output'],
  keySpecs: keySpec(['RO', 'access'], 0),
} as const;
const MULTI_KEY_TIPS = ['request_policy:multi_shard', 'response_policy:agg_sum'];

export const KEY_COMMANDS: readonly CommandSpec[] = [
  define({ name: 'del', arity: -2, flags: ['write'], categories: ['@keyspace', '@write', '@slow'], keys: [1, -1, 1], tips: MULTI_KEY_TIPS, keySpecs: keySpec(['RM', 'delete'], -1), run: del }),
  define({ name: 'exists', arity: -2, flags: ['readonly', 'fast'], categories: ['@keyspace', '@read', '@fast'], keys: [1, -1, 1], tips: MULTI_KEY_TIPS, keySpecs: keySpec(['RO'], -1), run: exists }),
  define({ name: 'expire', ...EXPIRE, run: (ctx, args) => expire(ctx, args, 's') }),
  define({ name: 'pexpire', ...EXPIRE, run: (ctx, args) => expire(ctx, args, 'ms') }),
  define({ name: 'ttl', ...TTL, run: (ctx, args) => ttl(ctx, args, 's') }),
  define({ name: 'pttl', ...TTL, run: (ctx, args) => ttl(ctx, args, 'ms') }),
  define({
    name: 'dbsize',
    arity: 1,
    flags: ['readonly', 'fast'],
    categories: ['@keyspace', '@read', '@fast'],
    tips: ['request_policy:all_shards', 'response_policy:agg_sum'],
    run: (ctx) => integer(ctx.keyspace.size),
  }),
  define({ name: 'flushall', ...FLUSH }),
  define({ name: 'flushdb', ...FLUSH }),
];
