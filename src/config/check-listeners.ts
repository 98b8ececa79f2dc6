/** Cross-checks of listeners: two on one port, and proxy names used twice. */
import { DEFAULTS } from './defaults.js';
import { describeReceived, formatPath, valueAt } from './problem.js';
import type { KeyPath, Problem } from './problem.js';
import { asMap, asSection, has, proxyWanted, rawDependency, rawHost, rawServices, readAddress } from './raw.js';
import type { RawMap } from './raw.js';

interface Listener {
  path: KeyPath;
  host: string;
  port: number;
  /** Not written in the file: the default applies. */
  defaulted: boolean;
}

const WILDCARDS = new Set(['', '0.0.0.0', '::']);

/** Every listener of the lab with a fixed port, written or defaulted. */
function listeners(root: RawMap): Listener[] {
  const host = rawHost(root);
  const out: Listener[] = [];
  const add = (path: KeyPath, fallback: number | undefined): void => {
    const written = valueAt(root, path);
    const value = written ?? fallback;
    const address = readAddress(value, host);
    if (address && address.port !== 0) out.push({ path, ...address, defaulted: written === undefined });
  };
  for (const kind of ['postgres', 'cache'] as const) {
    const dep = rawDependency(root, kind);
    if (!dep) continue;
    if (dep['engine'] !== 'external') add(['dependencies', kind, 'port'], undefined);
    if (proxyWanted(dep, true)) add(['dependencies', kind, 'proxy', 'listen'], DEFAULTS[kind].proxy.listen);
  }
  for (const [name, value] of Object.entries(rawServices(root))) {
    const service = asMap(value);
    if (!service) continue;
    if (proxyWanted(service, false)) add(['services', name, 'proxy', 'listen'], undefined);
    const ports = service['ports'];
    if (Array.isArray(ports)) ports.forEach((_, i) => add(['services', name, 'ports', i], undefined));
  }
  const proxies = root['proxies'];
  if (Array.isArray(proxies)) proxies.forEach((_, i) => add(['proxies', i, 'listen'], undefined));
  for (const key of ['otlp_grpc_port', 'otlp_http_port', 'query_port'] as const) add(['hub', key], DEFAULTS.hub[key]);
  add(['toxiproxy', 'port'], DEFAULTS.toxiproxy.port);
  add(['console', 'port'], DEFAULTS.console.port);
  return out;
}

const describe = (l: Listener): string => `${formatPath(l.path)}${l.defaulted ? ' (by default)' : ''}`;

export function checkPortClashes(root: RawMap): Problem[] {
  const problems: Problem[] = [];
  const all = listeners(root);
  for (let j = 0; j < all.length; j++) {
    const b = all[j]!;
    for (let i = 0; i < j; i++) {
      const a = all[i]!;
      if (a.port !== b.port || !(a.host === b.host || WILDCARDS.has(a.host) || WILDCARDS.has(b.host))) continue;
      // Point at a listener written in the file; a default cannot be edited where it is.
      const [here, other] = b.defaulted && !a.defaulted ? [a, b] : [b, a];
      problems.push({
        path: here.path,
        at: 'value',
        expected: `uses port ${here.port}, as ${describe(other)} does`,
        received: describeReceived(here.path, valueAt(root, here.path) ?? here.port),
        fix: `give one of ${formatPath(here.path)} and ${formatPath(other.path)} another port, or 0 for a free one`,
      });
      break;
    }
  }
  return problems;
}

export function checkProxyNames(root: RawMap): Problem[] {
  const taken = new Map<string, string>();
  for (const kind of ['postgres', 'cache'] as const) {
    const dep = rawDependency(root, kind);
    if (dep && proxyWanted(dep, true)) taken.set(kind, `the proxy in front of dependencies.${kind}`);
  }
  for (const [name, value] of Object.entries(rawServices(root))) {
    const service = asSection(value);
    if (service && has(service, 'proxy') && proxyWanted(service, false)) taken.set(name, `the proxy in front of services.${name}`);
  }
  const problems: Problem[] = [];
  const proxies = root['proxies'];
  if (!Array.isArray(proxies)) return problems;
  proxies.forEach((entry, i) => {
    const name = asMap(entry)?.['name'];
    if (typeof name !== 'string') return;
    const owner = taken.get(name);
    if (owner !== undefined) {
      problems.push({ path: ['proxies', i, 'name'], at: 'value', expected: `is already the name of ${owner}`, received: JSON.stringify(name), fix: 'give this proxy another name' });
    } else {
      taken.set(name, `proxies[${i}]`);
    }
  });
  return problems;
}
