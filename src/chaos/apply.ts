/**
 * Applies one checked scenario to the lab through its ports, and says how to undo it.
 * A step that fails undoes the steps before it, so a failed inject leaves nothing behind.
 */
import { LabError, describeValue } from '../errors.js';
import type { FlagValue } from '../control/flags.js';
import type { ChaosProcesses } from './context.js';
import type { FlagLayers } from './flag-layers.js';
import { formatDuration, formatFlagValue } from './format.js';
import type { Outages } from './outages.js';
import { holdConnections } from './pg-holder.js';
import { ProxyRefused, applyFailed } from './proxy-client.js';
import type { ProxyClient, ToxicRequest } from './proxy-client.js';
import { respCommands } from './resp-client.js';
import type { ScenarioDefinition } from './scenarios.js';
import type { CheckedRequest } from './validate.js';

export interface ApplyEnv {
  faultId: string;
  proxy: ProxyClient;
  flags: FlagLayers;
  outages: Outages;
  processes: ChaosProcesses;
  databaseUrl: string | null;
  cacheUrl: string | null;
  clock: () => number;
}

/** What a fault holds, so status() can tell chaos's own toxics, outages and flags from others. */
export interface Ownership {
  toxic: { proxy: string; name: string } | null;
  outage: string | null;
  flag: string | null;
}

export interface Applied {
  value: number | string | null;
  target: string | null;
  /** For people: `latency 2000 ms on postgres (downstream)`. */
  detail: string;
  /** For event lines after the scenario's name: `2000 ms on postgres`. */
  short: string;
  owns: Ownership;
  /** Null for an instant scenario. */
  undo: (() => Promise<void>) | null;
}

const NOTHING: Ownership = { toxic: null, outage: null, flag: null };

async function addToxic(env: ApplyEnv, proxy: string, toxic: ToxicRequest, what: string): Promise<Ownership> {
  try {
    await env.proxy.addToxic(proxy, toxic);
  } catch (err) {
    throw applyFailed(`${what} (adding toxic ${toxic.name} to proxy ${proxy})`, err);
  }
  return { ...NOTHING, toxic: { proxy, name: toxic.name } };
}

function toxicUndo(env: ApplyEnv, owns: Ownership): () => Promise<void> {
  const { proxy, name } = owns.toxic!;
  return async () => {
    try {
      await env.proxy.removeToxic(proxy, name);
    } catch (err) {
      throw applyFailed(`removing toxic ${name} from proxy ${proxy}`, err);
    }
  };
}

async function latency(env: ApplyEnv, def: ScenarioDefinition, proxy: string, ms: number): Promise<Applied> {
  const owns = await addToxic(env, proxy, { name: `chaos_${env.faultId}_latency`, type: 'latency', stream: 'downstream', attributes: { latency: ms, jitter: 0 } }, def.name);
  return { value: ms, target: proxy, detail: `latency ${ms} ms on ${proxy} (downstream)`, short: `${ms} ms on ${proxy}`, owns, undo: toxicUndo(env, owns) };
}

async function outage(env: ApplyEnv, def: ScenarioDefinition, proxy: string): Promise<Applied> {
  try {
    await env.outages.take(env.faultId, proxy);
  } catch (err) {
    throw applyFailed(`${def.name} (disabling proxy ${proxy})`, err);
  }
  return {
    value: null, target: proxy, detail: `proxy ${proxy} disabled: its listener and open connections closed`, short: `on ${proxy}`,
    owns: { ...NOTHING, outage: proxy },
    undo: async () => {
      try {
        await env.outages.release(env.faultId, proxy);
      } catch (err) {
        throw applyFailed(`enabling proxy ${proxy}`, err);
      }
    },
  };
}

async function flag(env: ApplyEnv, key: string, value: FlagValue, detail: string, short: string): Promise<Applied> {
  try {
    await env.flags.push(env.faultId, key, value);
  } catch (err) {
    throw applyFailed(`setting flag ${key}`, err);
  }
  return {
    value: typeof value === 'number' || typeof value === 'string' ? value : formatFlagValue(value),
    target: key, detail, short, owns: { ...NOTHING, flag: key },
    undo: () => env.flags.pop(env.faultId, key),
  };
}

async function rawToxic(env: ApplyEnv, proxy: string, checked: CheckedRequest): Promise<Applied> {
  const t = checked.toxic!;
  const toxic: ToxicRequest = { name: t.name ?? `chaos_${env.faultId}_${t.type}`, type: t.type, stream: t.stream, attributes: t.attributes, ...(t.toxicity === undefined ? {} : { toxicity: t.toxicity }) };
  try {
    await env.proxy.addToxic(proxy, toxic);
  } catch (err) {
    // The proxy is the judge of a raw toxic's type and attributes: its 400/409 is a bad value.
    if (err instanceof ProxyRefused && (err.status === 400 || err.status === 409)) {
      throw new LabError('LAB_CHAOS_BAD_VALUE', `toxic: the proxy refused ${describeValue(toxic)} on ${proxy}: ${err.message}; fix: see docs/proxy.md for each toxic's attributes${err.status === 409 ? ', or give toxic.name another name' : ''}`, { cause: err });
    }
    throw applyFailed(`toxic (adding ${toxic.name} to proxy ${proxy})`, err);
  }
  const owns: Ownership = { ...NOTHING, toxic: { proxy, name: toxic.name } };
  const attrs = Object.entries(t.attributes).map(([k, v]) => `${k}=${v}`).join(' ');
  return {
    value: null, target: proxy, owns, undo: toxicUndo(env, owns),
    detail: `${t.type}${attrs ? ` ${attrs}` : ''} on ${proxy} (${t.stream}${t.toxicity === undefined ? '' : `, toxicity ${t.toxicity}`}) as ${toxic.name}`,
    short: `${t.type} on ${proxy} as ${toxic.name}`,
  };
}

function killReplicas(env: ApplyEnv, service: string, count: number): Applied {
  const running = env.processes.replicas(service).filter((r) => r.pid !== null && r.state !== 'stopped' && r.state !== 'failed' && r.state !== 'restarting');
  if (running.length === 0) throw new LabError('LAB_CHAOS_APPLY_FAILED', `kill-replica: no replica of ${service} is running now (each is restarting or stopped); fix: wait for \`cloudlab ps\` to show one ready`);
  if (count > running.length) {
    throw new LabError('LAB_CHAOS_BAD_VALUE', `kill-replica: value (count) must be at most ${running.length} (the running replicas of ${service}), received ${count}; fix: \`cloudlab chaos kill-replica ${service} ${running.length}\``);
  }
  const victims = running.slice(0, count);
  for (const r of victims) {
    try {
      env.processes.kill(r.id);
    } catch (err) {
      throw applyFailed(`kill-replica (SIGKILL to ${r.id})`, err);
    }
  }
  const names = victims.map((r) => `${r.id} (pid ${r.pid})`).join(', ');
  return { value: count, target: service, detail: `SIGKILL to ${names}; the supervisor restarts them`, short: names, owns: NOTHING, undo: null };
}

async function restartPostgres(env: ApplyEnv): Promise<Applied> {
  const started = env.clock();
  try {
    await env.processes.restartProcess('postgres');
  } catch (err) {
    throw applyFailed('restart-postgres (the supervisor restarting postgres)', err);
  }
  const took = formatDuration(env.clock() - started);
  return { value: null, target: 'postgres', detail: `postgres restarted through the supervisor, ready again after ${took}`, short: `(ready again after ${took})`, owns: NOTHING, undo: null };
}

async function flushCache(env: ApplyEnv): Promise<Applied> {
  const url = env.cacheUrl!;
  let keys: number;
  try {
    const [size] = await respCommands(url, [['DBSIZE'], ['FLUSHALL']]);
    keys = typeof size === 'number' ? size : 0;
  } catch (err) {
    throw applyFailed(`flush-cache (FLUSHALL on ${new URL(url).host})`, err);
  }
  return { value: null, target: 'cache', detail: `FLUSHALL on the cache at ${new URL(url).host}: ${keys} key(s) of db 0 gone`, short: `${keys} key(s) gone`, owns: NOTHING, undo: null };
}

async function holdPostgres(env: ApplyEnv, count: number | null): Promise<Applied> {
  let held;
  try {
    held = await holdConnections(env.databaseUrl!, count);
  } catch (err) {
    throw applyFailed(`postgres-connections (opening ${count ?? 'every free'} connection(s) to postgres)`, err);
  }
  const of = held.limit === null ? '' : ` (every free slot of the ${held.limit} an ordinary role may use; more as they free up)`;
  return {
    value: held.count, target: 'postgres', detail: `holding ${held.count} idle connection(s) to postgres${of}`, short: `${held.count} connection(s) held`,
    owns: NOTHING, undo: () => held.release(),
  };
}

export async function applyScenario(def: ScenarioDefinition, checked: CheckedRequest, env: ApplyEnv): Promise<Applied> {
  // Numeric for every scenario but flag (checkRequest made it so).
  const v = checked.value as number;
  switch (def.name) {
    case 'postgres-latency':
      return latency(env, def, 'postgres', v);
    case 'cache-latency':
      return latency(env, def, 'cache', v);
    case 'payments-latency':
      return latency(env, def, 'payments', v);
    case 'postgres-outage':
      return outage(env, def, 'postgres');
    case 'cache-outage':
      return outage(env, def, 'cache');
    case 'postgres-bandwidth': {
      const owns = await addToxic(env, 'postgres', { name: `chaos_${env.faultId}_bandwidth`, type: 'bandwidth', stream: 'downstream', attributes: { rate: v } }, def.name);
      return { value: v, target: 'postgres', detail: `bandwidth ${v} KB/s on postgres (downstream)`, short: `${v} KB/s on postgres`, owns, undo: toxicUndo(env, owns) };
    }
    case 'payments-errors':
      return flag(env, 'paymentFailureRate', v, `flag paymentFailureRate = ${v}: payments answers 503 for ${Math.round(v * 100)} % of charges`, `${v} (flag paymentFailureRate)`);
    case 'reset-peer': {
      const proxy = checked.target!;
      const owns = await addToxic(env, proxy, { name: `chaos_${env.faultId}_reset_peer`, type: 'reset_peer', stream: 'downstream', attributes: { timeout: v } }, def.name);
      return { value: v, target: proxy, detail: `reset_peer on ${proxy}: connections reset ${v} ms after data arrives`, short: `on ${proxy} after ${v} ms`, owns, undo: toxicUndo(env, owns) };
    }
    case 'toxic':
      return rawToxic(env, checked.target!, checked);
    case 'kill-replica':
      return killReplicas(env, checked.target!, v);
    case 'restart-postgres':
      return restartPostgres(env);
    case 'flush-cache':
      return flushCache(env);
    case 'postgres-connections':
      return holdPostgres(env, checked.value as number | null);
    case 'flag':
      return flag(env, checked.target!, checked.value as FlagValue, `flag ${checked.target} = ${formatFlagValue(checked.value)}`, `${checked.target} = ${formatFlagValue(checked.value)}`);
    default:
      throw new LabError('LAB_CHAOS_UNKNOWN_SCENARIO', `no chaos scenario "${def.name}" is wired; this is a bug in cloudlab`);
  }
}
