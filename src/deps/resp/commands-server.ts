/**
 * INFO and COMMAND for the built-in cache. INFO has the sections clients read
 * (ioredis waits for `loading:0` at connect); COMMAND describes the commands
 * implemented here, in Redis 7's layout, so tools that ask (redis-cli) work.
 */
import os from 'node:os';
import type { CommandContext, CommandSpec } from './command.js';
import { commandInfoReply, define, subcommandMap } from './command.js';
import { REPORTED_REDIS_VERSION } from './commands-connection.js';
import type { Reply } from './reply.js';
import { array, bulk, integer, NIL } from './reply.js';

type Section = (ctx: CommandContext) => string[];

function humanBytes(bytes: number): string {
  const units = ['B', 'K', 'M', 'G'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes}B` : `${value.toFixed(2)}${units[unit]}`;
}

const SECTIONS: ReadonlyMap<string, Section> = new Map<string, Section>([
  [
    'server',
    (ctx) => {
      const uptimeS = Math.max(0, Math.floor((ctx.now - ctx.server.startedAtMs) / 1000));
      return [
        `redis_version:${REPORTED_REDIS_VERSION}`,
        'redis_mode:standalone',
        'cloudlab_cache:builtin',
        `os:${os.type()} ${os.release()} ${os.arch()}`,
        'arch_bits:64',
        `process_id:${process.pid}`,
        `run_id:${ctx.server.runId}`,
        `tcp_port:${ctx.server.port}`,
        `server_time_usec:${ctx.now * 1000}`,
        `uptime_in_seconds:${uptimeS}`,
        `uptime_in_days:${Math.floor(uptimeS / 86_400)}`,
        'hz:10',
        `executable:${process.execPath}`,
        'config_file:',
      ];
    },
  ],
  ['clients', (ctx) => [`connected_clients:${ctx.server.connectedClients}`, 'maxclients:10000', 'blocked_clients:0']],
  [
    'memory',
    () => {
      const used = process.memoryUsage().rss;
      return [`used_memory:${used}`, `used_memory_human:${humanBytes(used)}`, 'maxmemory:0', 'maxmemory_human:0B', 'maxmemory_policy:noeviction'];
    },
  ],
  ['persistence', () => ['loading:0', 'async_loading:0', 'rdb_changes_since_last_save:0', 'rdb_bgsave_in_progress:0', 'aof_enabled:0']],
  ['stats', (ctx) => [`total_connections_received:${ctx.server.totalConnections}`, `total_commands_processed:${ctx.server.totalCommands}`]],
  ['replication', () => ['role:master', 'connected_slaves:0']],
  [
    'cpu',
    () => {
      const { system, user } = process.cpuUsage();
      return [`used_cpu_sys:${(system / 1e6).toFixed(6)}`, `used_cpu_user:${(user / 1e6).toFixed(6)}`, 'used_cpu_sys_children:0.000000', 'used_cpu_user_children:0.000000'];
    },
  ],
  ['modules', () => []],
  // Per-command and per-error statistics are not kept: the sections are there, empty.
  ['commandstats', () => []],
  ['errorstats', () => []],
  ['latencystats', () => []],
  ['cluster', () => ['cluster_enabled:0']],
  [
    'keyspace',
    (ctx) => {
      const keys = ctx.keyspace.size;
      if (keys === 0) return [];
      return [`db0:keys=${keys},expires=${ctx.keyspace.volatileCount},avg_ttl=${ctx.keyspace.averageTtlMs(ctx.now)}`];
    },
  ],
]);

const SECTION_TITLES: Record<string, string> = {
  server: 'Server',
  clients: 'Clients',
  memory: 'Memory',
  persistence: 'Persistence',
  stats: 'Stats',
  replication: 'Replication',
  cpu: 'CPU',
  modules: 'Modules',
  commandstats: 'Commandstats',
  errorstats: 'Errorstats',
  latencystats: 'Latencystats',
  cluster: 'Cluster',
  keyspace: 'Keyspace',
};

/** Sections `all` adds to the default ones, as in Redis. */
const NOT_DEFAULT = new Set(['commandstats', 'latencystats']);

/** INFO [section ...]: none or `default` give the default sections, `all` or `everything` every one; unknown names give nothing. */
function info(ctx: CommandContext, args: Buffer[]): Reply {
  const asked = args.slice(1).map((a) => a.toString('latin1').toLowerCase());
  const all = asked.some((a) => a === 'all' || a === 'everything');
  const defaults = asked.length === 0 || asked.includes('default');
  const chosen = [...SECTIONS.keys()].filter((name) => all || (defaults && !NOT_DEFAULT.has(name)) || asked.includes(name));
  const text = chosen.map((name) => `# ${SECTION_TITLES[name]}\r\n${SECTIONS.get(name)!(ctx).map((line) => `${line}\r\n`).join('')}`).join('\r\n');
  return bulk(text);
}

/** A command by name (`get`, or `client|setname` for a subcommand). */
function lookup(ctx: CommandContext, name: Buffer): CommandSpec | undefined {
  const [top, sub] = name.toString('latin1').toLowerCase().split('|', 2);
  const spec = ctx.commands.get(top!);
  return sub === undefined ? spec : spec?.subcommands?.get(sub);
}

function allCommands(ctx: CommandContext): CommandSpec[] {
  return [...ctx.commands.values()];
}

function command(ctx: CommandContext): Reply {
  return array(allCommands(ctx).map(commandInfoReply));
}

function commandInfo(ctx: CommandContext, args: Buffer[]): Reply {
  if (args.length === 2) return command(ctx);
  return array(
    args.slice(2).map((name) => {
      const spec = lookup(ctx, name);
      return spec === undefined ? NIL : commandInfoReply(spec);
    }),
  );
}

function commandList(ctx: CommandContext): Reply {
  const names = allCommands(ctx).flatMap((spec) => [spec.name, ...[...(spec.subcommands?.values() ?? [])].map((s) => s.name)]);
  return array(names.map((n) => bulk(n)));
}

const COMMAND_SUB = { flags: ['loading', 'stale'], categories: ['@slow', '@connection'] } as const;
const COMMAND_SUBCOMMANDS: readonly CommandSpec[] = [
  define({ name: 'command|count', arity: 2, ...COMMAND_SUB, run: (ctx) => integer(ctx.commands.size) }),
  define({ name: 'command|info', arity: -2, ...COMMAND_SUB, tips: ['nondeterministic_output_order'], run: commandInfo }),
  // No documentation is served: an empty map (redis-cli then shows no hints).
  define({ name: 'command|docs', arity: -2, ...COMMAND_SUB, tips: ['nondeterministic_output_order'], run: () => array([]) }),
  define({ name: 'command|list', arity: -2, ...COMMAND_SUB, tips: ['nondeterministic_output_order'], run: commandList }),
];

export const SERVER_COMMANDS: readonly CommandSpec[] = [
  define({ name: 'info', arity: -1, flags: ['loading', 'stale'], categories: ['@slow', '@dangerous'], tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'], run: info }),
  define({
    name: 'command',
    arity: -1,
    flags: ['loading', 'stale'],
    categories: ['@slow', '@connection'],
    tips: ['nondeterministic_output_order'],
    run: command,
    subcommands: subcommandMap(COMMAND_SUBCOMMANDS),
  }),
];
