/**
 * What is active in the lab but was not injected by a chaos fault: toxics on any proxy,
 * disabled proxies, and flags away from their default (0, false, ""). status() lists them
 * with ids of their own (`toxic:<proxy>/<toxic>`, `proxy:<name>`, `flag:<key>`).
 */
import type { FlagValue } from '../control/flags.js';
import { formatFlagValue } from './format.js';
import type { ProxyJson } from './proxy-client.js';
import type { ActiveFault } from './types.js';

export interface Owned {
  toxic(proxy: string, name: string): boolean;
  outage(proxy: string): boolean;
  flag(key: string): boolean;
}

/** A flag at its default does nothing: the cafe reads 0, false and "" as off. */
export function flagIsActive(value: FlagValue | undefined | null): boolean {
  return value !== undefined && value !== null && value !== 0 && value !== false && value !== '';
}

const external = (id: string, origin: 'proxy' | 'flag', scenario: string, value: number | string | null, target: string, detail: string): ActiveFault => ({
  id, origin, scenario, value, target, detail, startedAtMs: null, expiresAtMs: null,
});

export function externalFaults(proxies: Record<string, ProxyJson> | null, flags: Record<string, FlagValue>, owned: Owned): ActiveFault[] {
  const found: ActiveFault[] = [];
  for (const proxy of Object.values(proxies ?? {}).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!proxy.enabled && !owned.outage(proxy.name)) {
      found.push(external(`proxy:${proxy.name}`, 'proxy', 'outage', null, proxy.name, `proxy ${proxy.name} disabled (an outage applied through the proxy's API)`));
    }
    for (const toxic of proxy.toxics) {
      if (owned.toxic(proxy.name, toxic.name)) continue;
      const attrs = Object.entries(toxic.attributes).map(([k, v]) => `${k}=${v}`).join(' ');
      found.push(external(`toxic:${proxy.name}/${toxic.name}`, 'proxy', 'toxic', null, proxy.name, `${toxic.type}${attrs ? ` ${attrs}` : ''} on ${proxy.name} (${toxic.stream}, toxicity ${toxic.toxicity}) as ${toxic.name}`));
    }
  }
  for (const [key, value] of Object.entries(flags).sort(([a], [b]) => a.localeCompare(b))) {
    if (owned.flag(key) || !flagIsActive(value)) continue;
    found.push(external(`flag:${key}`, 'flag', 'flag', typeof value === 'number' || typeof value === 'string' ? value : formatFlagValue(value), key, `flag ${key} = ${formatFlagValue(value)}`));
  }
  return found;
}

/** The parts of an external fault id; null when it is not one. */
export function parseExternalId(id: string): { kind: 'toxic'; proxy: string; toxic: string } | { kind: 'proxy'; proxy: string } | { kind: 'flag'; key: string } | null {
  const toxic = /^toxic:([^/]+)\/(.+)$/.exec(id);
  if (toxic) return { kind: 'toxic', proxy: toxic[1]!, toxic: toxic[2]! };
  if (id.startsWith('proxy:') && id.length > 6) return { kind: 'proxy', proxy: id.slice(6) };
  if (id.startsWith('flag:') && id.length > 5) return { kind: 'flag', key: id.slice(5) };
  return null;
}
