/**
 * What a command of the built-in cache is: its Redis metadata (arity, flags, key
 * positions, ACL categories, tips, key specs: what COMMAND INFO reports, copied
 * from Redis 7.0 for the commands we implement) and its handler.
 */
import type { Keyspace } from './keyspace.js';
import type { Reply } from './reply.js';
import { array, bulk, integer, simple } from './reply.js';

/** One connection's state. */
export interface Session {
  readonly id: number;
  name: Buffer | null;
  /** Commands queued since MULTI (null outside a transaction), and whether one was rejected. */
  transaction: { queue: Buffer[][]; failed: boolean } | null;
  /** Set by QUIT: the server closes the connection once this reply is written. */
  closeAfterReply: boolean;
}

/** Server-wide facts INFO reports. */
export interface ServerState {
  readonly host: string;
  port: number;
  readonly startedAtMs: number;
  readonly runId: string;
  connectedClients: number;
  totalConnections: number;
  totalCommands: number;
}

export interface CommandContext {
  readonly keyspace: Keyspace;
  readonly session: Session;
  readonly server: ServerState;
  /** The command's time (unix ms), read once per command like Redis's command time snapshot. */
  readonly now: number;
  /** Every command, for COMMAND. */
  readonly commands: ReadonlyMap<string, CommandSpec>;
}

export interface KeySpec {
  readonly notes?: string;
  readonly flags: readonly string[];
  /** find_keys range: 0 = the first key only, -1 = every argument from the first key on. */
  readonly lastKey: number;
}

export interface CommandSpec {
  /** Lower case; a subcommand is `container|sub`, as Redis names them in errors. */
  readonly name: string;
  /** Argument count including the name; negative = at least that many. */
  readonly arity: number;
  readonly flags: readonly string[];
  /** First key, last key, step (0, 0, 0 for keyless commands). */
  readonly keys: readonly [number, number, number];
  readonly categories: readonly string[];
  readonly tips: readonly string[];
  readonly keySpecs: readonly KeySpec[];
  readonly run?: (ctx: CommandContext, args: Buffer[]) => Reply;
  readonly subcommands?: ReadonlyMap<string, CommandSpec>;
}

export type CommandDefinition = Pick<CommandSpec, 'name' | 'arity' | 'flags' | 'categories'> & Partial<CommandSpec>;

export function define(definition: CommandDefinition): CommandSpec {
  return { keys: [0, 0, 0], tips: [], keySpecs: [], ...definition };
}

/** A container's subcommands by their lower-case name after the `|`. */
export function subcommandMap(specs: readonly CommandSpec[]): ReadonlyMap<string, CommandSpec> {
  return new Map(specs.map((s) => [s.name.slice(s.name.indexOf('|') + 1), s]));
}

/** Key specs of a command whose keys start at argument 1. */
export function keySpec(flags: readonly string[], lastKey: 0 | -1, notes?: string): KeySpec[] {
  return [notes === undefined ? { flags, lastKey } : { notes, flags, lastKey }];
}

function keySpecReply(spec: KeySpec): Reply {
  const head = spec.notes === undefined ? [] : [bulk('notes'), bulk(spec.notes)];
  return array([
    ...head,
    bulk('flags'),
    array(spec.flags.map((f) => simple(f))),
    bulk('begin_search'),
    array([bulk('type'), bulk('index'), bulk('spec'), array([bulk('index'), integer(1)])]),
    bulk('find_keys'),
    array([bulk('type'), bulk('range'), bulk('spec'), array([bulk('lastkey'), integer(spec.lastKey), bulk('keystep'), integer(1), bulk('limit'), integer(0)])]),
  ]);
}

/** The command's entry in COMMAND / COMMAND INFO, in Redis 7's ten-field layout. */
export function commandInfoReply(spec: CommandSpec): Reply {
  return array([
    bulk(spec.name),
    integer(spec.arity),
    array(spec.flags.map((f) => simple(f))),
    integer(spec.keys[0]),
    integer(spec.keys[1]),
    integer(spec.keys[2]),
    array(spec.categories.map((c) => simple(c))),
    array(spec.tips.map((t) => bulk(t))),
    array(spec.keySpecs.map(keySpecReply)),
    array([...(spec.subcommands?.values() ?? [])].map(commandInfoReply)),
  ]);
}

/** The latin1 key of an argument: one JS string per distinct byte string. */
export function keyOf(arg: Buffer): string {
  return arg.toString('latin1');
}

/** Case-insensitive comparison of an argument with an ASCII keyword. */
export function isKeyword(arg: Buffer | undefined, keyword: string): boolean {
  return arg !== undefined && arg.length === keyword.length && arg.toString('latin1').toLowerCase() === keyword;
}
