/**
 * Runs one request of the built-in cache: finds the command (case-insensitive,
 * subcommands for CLIENT and COMMAND), checks its arity, queues it inside
 * MULTI, and answers unknown commands and wrong arities in Redis's words.
 * MULTI, EXEC and DISCARD live here because EXEC runs other commands.
 */
import type { CommandContext, CommandSpec, ServerState, Session } from './command.js';
import { define } from './command.js';
import { CONNECTION_COMMANDS } from './commands-connection.js';
import { KEY_COMMANDS } from './commands-keys.js';
import { SERVER_COMMANDS } from './commands-server.js';
import { STRING_COMMANDS } from './commands-strings.js';
import type { Keyspace } from './keyspace.js';
import { unknownCommand, unknownSubcommand, wrongArity } from './messages.js';
import type { Reply } from './reply.js';
import { array, error, OK, QUEUED } from './reply.js';

/** Commands that run at once inside MULTI instead of being queued. */
const RUN_INSIDE_TRANSACTION = new Set(['multi', 'exec', 'discard', 'quit']);

function asciiLower(arg: Buffer): string {
  return arg.toString('latin1').replace(/[A-Z]/g, (c) => c.toLowerCase());
}

export class CommandExecutor {
  readonly #keyspace: Keyspace;
  readonly #server: ServerState;
  readonly #commands: ReadonlyMap<string, CommandSpec>;

  constructor(keyspace: Keyspace, server: ServerState) {
    this.#keyspace = keyspace;
    this.#server = server;
    const transaction = { flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], categories: ['@fast', '@transaction'] };
    const specs: CommandSpec[] = [
      ...STRING_COMMANDS,
      ...KEY_COMMANDS,
      ...CONNECTION_COMMANDS,
      ...SERVER_COMMANDS,
      define({ name: 'multi', arity: 1, ...transaction, run: (ctx) => this.#multi(ctx.session) }),
      define({ name: 'exec', arity: 1, flags: ['noscript', 'loading', 'stale', 'skip_slowlog'], categories: ['@slow', '@transaction'], run: (ctx) => this.#exec(ctx.session) }),
      define({ name: 'discard', arity: 1, ...transaction, run: (ctx) => this.#discard(ctx.session) }),
    ];
    this.#commands = new Map(specs.map((s) => [s.name, s]));
  }

  /** Runs (or, inside MULTI, queues) one request; `args[0]` is the command name. */
  execute(session: Session, args: Buffer[]): Reply {
    this.#server.totalCommands++;
    const found = this.#resolve(args);
    if ('type' in found) {
      if (session.transaction !== null) session.transaction.failed = true;
      // A rejected EXEC also discards the transaction, and says so.
      if (asciiLower(args[0]!) === 'exec' && found.type === 'error') {
        session.transaction = null;
        return error(`EXECABORT Transaction discarded because of: ${found.value.replace(/^ERR /, '')}`);
      }
      return found;
    }
    if (session.transaction !== null && !RUN_INSIDE_TRANSACTION.has(found.name)) {
      session.transaction.queue.push(args);
      return QUEUED;
    }
    return this.#run(found, session, args);
  }

  /** The command to run, or the error that rejects the request before it runs. */
  #resolve(args: Buffer[]): CommandSpec | Reply {
    const spec = this.#commands.get(asciiLower(args[0]!));
    if (spec === undefined) return error(unknownCommand(args));
    let target = spec;
    if (spec.subcommands !== undefined && args.length >= 2) {
      const sub = spec.subcommands.get(asciiLower(args[1]!));
      if (sub === undefined) return error(unknownSubcommand(args[0]!, args[1]!));
      target = sub;
    }
    const { arity } = target;
    if ((arity > 0 && arity !== args.length) || args.length < -arity || target.run === undefined) return error(wrongArity(target.name));
    return target;
  }

  #run(spec: CommandSpec, session: Session, args: Buffer[]): Reply {
    const ctx: CommandContext = { keyspace: this.#keyspace, session, server: this.#server, now: this.#keyspace.now(), commands: this.#commands };
    return spec.run!(ctx, args);
  }

  #multi(session: Session): Reply {
    if (session.transaction !== null) return error('ERR MULTI calls can not be nested');
    session.transaction = { queue: [], failed: false };
    return OK;
  }

  #exec(session: Session): Reply {
    const transaction = session.transaction;
    if (transaction === null) return error('ERR EXEC without MULTI');
    session.transaction = null;
    if (transaction.failed) return error('EXECABORT Transaction discarded because of previous errors.');
    return array(
      transaction.queue.map((args) => {
        const found = this.#resolve(args);
        return 'type' in found ? found : this.#run(found, session, args);
      }),
    );
  }

  #discard(session: Session): Reply {
    if (session.transaction === null) return error('ERR DISCARD without MULTI');
    session.transaction = null;
    return OK;
  }
}
