/**
 * How a dependency runs: a plain description the supervisor spawns and watches.
 * The deps module prepares the files a dependency needs and returns this; it
 * never keeps a process itself.
 */

import type { ProcessSpec, Readiness as ProcessReadiness } from '../supervisor/index.js';

/** Dependencies are ready when they accept a connection (cache) or a query (postgres). */
export type Readiness = Extract<ProcessReadiness, { type: 'tcp' } | { type: 'sql' }>;

/** What the supervisor runs, with the readiness a dependency uses. */
export interface Launch extends ProcessSpec {
  readiness: Readiness;
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
