/**
 * How a dependency runs: a plain description the supervisor spawns and watches.
 * The deps module prepares the files a dependency needs and returns this; it
 * never keeps a process itself.
 */

export type Readiness = { type: 'tcp'; host: string; port: number } | { type: 'sql'; url: string };

export interface Launch {
  /** 'postgres' | 'cache' */
  name: string;
  /** Absolute path of the executable (process.execPath for node). */
  command: string;
  args: string[];
  /** The child's complete environment. */
  env: Record<string, string>;
  cwd: string;
  /** Run as this user and group (postgres when the lab runs as root). */
  uid?: number;
  gid?: number;
  readiness: Readiness;
  /** postgres: SIGINT, its fast shutdown. */
  stopSignal: 'SIGTERM' | 'SIGINT' | 'SIGQUIT';
  stopTimeoutMs: number;
}

/** A host as it goes into a URL: IPv6 literals in brackets. */
export function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** The variables a child keeps from ours: PATH and, when set, TZ. Messages in the C locale. */
export function childEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = { PATH: env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin', LANG: 'C', LC_ALL: 'C' };
  if (env['TZ'] !== undefined) out['TZ'] = env['TZ'];
  return out;
}
