/**
 * Connection commands of the built-in cache: PING, ECHO, SELECT, HELLO, AUTH,
 * QUIT and CLIENT (SETNAME, GETNAME, ID, SETINFO). There is one database (0), no
 * password (the `default` user takes any), and RESP2 only: HELLO 3 answers NOPROTO.
 */
import type { CommandContext, CommandSpec } from './command.js';
import { define, isKeyword, subcommandMap } from './command.js';
import { argInteger, INT32_MAX, INT32_MIN } from './integers.js';
import { CLIENT_NAME_INVALID, isValidClientName, NOT_AN_INTEGER, SYNTAX_ERROR } from './messages.js';
import type { Reply } from './reply.js';
import { array, bulk, error, integer, OK, simple } from './reply.js';

/** The version the built-in cache reports in HELLO and INFO: the Redis release whose replies it follows. */
export const REPORTED_REDIS_VERSION = '7.0.0';

const CONNECTION = { categories: ['@fast', '@connection'] } as const;
const NO_AUTH_FLAGS = ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'];
const WRONGPASS = 'WRONGPASS invalid username-password pair or user is disabled.';

function ping(_ctx: CommandContext, args: Buffer[]): Reply {
  if (args.length > 2) return error("ERR wrong number of arguments for 'ping' command");
  return args.length === 2 ? bulk(args[1]!) : simple('PONG');
}

function select(_ctx: CommandContext, args: Buffer[]): Reply {
  const index = argInteger(args[1]!);
  if (index === null) return error(NOT_AN_INTEGER);
  if (index < INT32_MIN || index > INT32_MAX) return error(`ERR value is out of range, value must between ${INT32_MIN} and ${INT32_MAX}`);
  return index === 0n ? OK : error('ERR DB index is out of range');
}

/** Without a password configured, the `default` user accepts any password; no other user exists. */
function authenticate(user: Buffer): boolean {
  return user.toString('latin1') === 'default';
}

function auth(_ctx: CommandContext, args: Buffer[]): Reply {
  if (args.length > 3) return error(SYNTAX_ERROR);
  if (args.length === 2) {
    return error('ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?');
  }
  return authenticate(args[1]!) ? OK : error(WRONGPASS);
}

function hello(ctx: CommandContext, args: Buffer[]): Reply {
  if (args.length >= 2) {
    const version = argInteger(args[1]!);
    if (version === null) return error('ERR Protocol version is not an integer or out of range');
    if (version !== 2n) return error('NOPROTO unsupported protocol version');
  }
  let name: Buffer | undefined;
  let user: Buffer | undefined;
  for (let j = 2; j < args.length; j++) {
    const more = args.length - 1 - j;
    if (isKeyword(args[j], 'auth') && more >= 2) {
      user = args[j + 1]!;
      j += 2;
    } else if (isKeyword(args[j], 'setname') && more >= 1) {
      name = args[j + 1]!;
      if (!isValidClientName(name)) return error(CLIENT_NAME_INVALID);
      j++;
    } else {
      return error(`ERR Syntax error in HELLO option '${args[j]!.toString('latin1')}'`);
    }
  }
  if (user !== undefined && !authenticate(user)) return error(WRONGPASS);
  if (name !== undefined) ctx.session.name = name.length === 0 ? null : name;
  // RESP2 has no map type: the map is flattened into an array of keys and values.
  return array([
    bulk('server'),
    bulk('redis'),
    bulk('version'),
    bulk(REPORTED_REDIS_VERSION),
    bulk('proto'),
    integer(2),
    bulk('id'),
    integer(ctx.session.id),
    bulk('mode'),
    bulk('standalone'),
    bulk('role'),
    bulk('master'),
    bulk('modules'),
    array([]),
  ]);
}

function quit(ctx: CommandContext): Reply {
  ctx.session.closeAfterReply = true;
  return OK;
}

function setname(ctx: CommandContext, args: Buffer[]): Reply {
  const name = args[2]!;
  if (!isValidClientName(name)) return error(CLIENT_NAME_INVALID);
  ctx.session.name = name.length === 0 ? null : name;
  return OK;
}

/** CLIENT SETINFO LIB-NAME|LIB-VER value (Redis 7.2): accepted and forgotten. */
function setinfo(_ctx: CommandContext, args: Buffer[]): Reply {
  const attribute = args[2]!;
  if (!isKeyword(attribute, 'lib-name') && !isKeyword(attribute, 'lib-ver')) return error(`ERR Unrecognized option '${attribute.toString('latin1')}'`);
  if (!isValidClientName(args[3]!)) return error(`ERR ${attribute.toString('latin1')} cannot contain spaces, newlines or special characters.`);
  return OK;
}

const CLIENT_SUB = { flags: ['noscript', 'loading', 'stale'], categories: ['@slow', '@connection'] } as const;
const CLIENT_SUBCOMMANDS: readonly CommandSpec[] = [
  define({ name: 'client|setname', arity: 3, ...CLIENT_SUB, run: setname }),
  define({ name: 'client|getname', arity: 2, ...CLIENT_SUB, run: (ctx) => bulk(ctx.session.name) }),
  define({ name: 'client|id', arity: 2, ...CLIENT_SUB, run: (ctx) => integer(ctx.session.id) }),
  define({ name: 'client|setinfo', arity: 4, ...CLIENT_SUB, run: setinfo }),
];

export const CONNECTION_COMMANDS: readonly CommandSpec[] = [
  define({ name: 'ping', arity: -1, flags: ['fast'], ...CONNECTION, tips: ['request_policy:all_shards', 'response_policy:all_succeeded'], run: ping }),
  define({ name: 'echo', arity: 2, flags: ['loading', 'stale', 'fast'], ...CONNECTION, run: (_ctx, args) => bulk(args[1]!) }),
  define({ name: 'select', arity: 2, flags: ['loading', 'stale', 'fast'], ...CONNECTION, run: select }),
  define({ name: 'hello', arity: -1, flags: NO_AUTH_FLAGS, ...CONNECTION, run: hello }),
  define({ name: 'auth', arity: -2, flags: NO_AUTH_FLAGS, ...CONNECTION, run: auth }),
  define({ name: 'quit', arity: -1, flags: NO_AUTH_FLAGS, ...CONNECTION, run: quit }),
  define({ name: 'client', arity: -2, flags: [], categories: ['@slow'], subcommands: subcommandMap(CLIENT_SUBCOMMANDS) }),
];
