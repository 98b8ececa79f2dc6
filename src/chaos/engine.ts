/**
 * The lab's chaos engine: injects named scenarios, keeps the faults it owns with their
 * expiry timers (the lab, not the CLI, removes a fault when its time is up), lists
 * everything active (its own faults and those applied another way), and undoes them.
 * Operations run one at a time, so two requests never interleave their proxy calls.
 */
import { LabError } from '../errors.js';
import type { ActiveFault, ChaosRequest, ChaosScenarioInfo } from './types.js';
import type { ChaosContext, TimerHandle } from './context.js';
import { applyScenario } from './apply.js';
import type { Applied, Ownership } from './apply.js';
import { externalFaults, parseExternalId } from './external.js';
import { FlagLayers } from './flag-layers.js';
import { formatDuration } from './format.js';
import { Outages } from './outages.js';
import { applyFailed, createProxyClient } from './proxy-client.js';
import type { ProxyJson } from './proxy-client.js';
import { SCENARIOS, SCENARIO_NAMES, findScenario, scenarioInfo } from './scenarios.js';
import type { LabParts } from './scenarios.js';
import { checkRequest } from './validate.js';

export interface Chaos {
  /** Every scenario, with whether this lab can run it. */
  scenarios(): ChaosScenarioInfo[];
  inject(request: ChaosRequest): Promise<ActiveFault>;
  /** Chaos's own faults, then what is active but was applied another way. */
  status(): Promise<ActiveFault[]>;
  remove(id: string): Promise<ActiveFault>;
  /** Undoes every chaos fault, then resets the proxy (every toxic gone, every proxy enabled) and clears the flags; returns what was active. */
  reset(): Promise<ActiveFault[]>;
  /** Undoes chaos's own faults and clears their timers (the lab is stopping). */
  close(): Promise<void>;
}

interface Fault {
  info: ActiveFault;
  owns: Ownership;
  short: string;
  undo: () => Promise<void>;
  /** Null when the fault has no duration. */
  timer: { handle: TimerHandle } | null;
}

const byNumber = (a: string, b: string): number => Number(a.slice(1)) - Number(b.slice(1));

export async function createChaos(ctx: ChaosContext): Promise<Chaos> {
  const clock = ctx.clock ?? Date.now;
  const setTimer = ctx.setTimer ?? ((fn: () => void, ms: number): TimerHandle => setTimeout(fn, ms).unref());
  const clearTimer = ctx.clearTimer ?? ((handle: TimerHandle) => clearTimeout(handle as NodeJS.Timeout));
  const proxy = createProxyClient(ctx.proxyAdminUrl);
  const flagLayers = new FlagLayers(ctx.flags);
  const outages = new Outages(proxy);
  const faults = new Map<string, Fault>();
  let lastId = 0;
  let closed = false;
  let proxyNames = new Set<string>();

  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task);
    queue = run.catch(() => undefined);
    return run;
  };

  /** GET /proxies, remembering the names for scenarios(); null when the proxy does not answer. */
  async function fetchProxies(): Promise<Record<string, ProxyJson> | null> {
    try {
      const proxies = await proxy.proxies();
      proxyNames = new Set(Object.keys(proxies));
      return proxies;
    } catch {
      return null;
    }
  }

  function parts(): LabParts {
    const services = ctx.processes.services();
    const count = (s: string): number => ctx.processes.replicas(s).length;
    return {
      proxies: proxyNames,
      services,
      embeddedPostgres: ctx.processes.replicas('postgres').length > 0,
      defaultService: services.find((s) => count(s) >= 2) ?? services.find((s) => count(s) >= 1) ?? null,
      databaseUrl: ctx.databaseUrl,
      cacheUrl: ctx.cacheUrl,
    };
  }

  const owned = {
    toxic: (p: string, name: string) => [...faults.values()].some((f) => f.owns.toxic?.proxy === p && f.owns.toxic.name === name),
    outage: (p: string) => outages.owns(p),
    flag: (key: string) => flagLayers.owns(key),
  };

  const tail = (f: Fault): string => `${f.info.scenario} ${f.short}`.trimEnd();

  /** Takes `fault` out of the books and undoes it; the fault is forgotten even when the undo fails (status then shows what stayed). */
  async function undoFault(fault: Fault): Promise<void> {
    faults.delete(fault.info.id);
    if (fault.timer !== null) clearTimer(fault.timer.handle);
    await fault.undo();
  }

  function expire(id: string): void {
    void exclusive(async () => {
      const fault = faults.get(id);
      if (!fault) return;
      const lasted = formatDuration(clock() - (fault.info.startedAtMs ?? clock()));
      try {
        await undoFault(fault);
        ctx.events.add({ kind: 'fault', action: 'expire', detail: `${tail(fault)} expired after ${lasted} (${id})` });
      } catch (err) {
        ctx.events.add({ kind: 'fault', action: 'expire', detail: `${tail(fault)} expired after ${lasted} (${id}) but could not be undone: ${(err as Error).message}` });
      }
    });
  }

  /** Forgets chaos faults whose toxic or outage is already gone (a reset through the proxy's API, a deleted toxic). */
  async function prune(proxies: Record<string, ProxyJson>): Promise<void> {
    for (const fault of [...faults.values()]) {
      const { toxic, outage } = fault.owns;
      const gone = toxic ? !proxies[toxic.proxy]?.toxics.some((t) => t.name === toxic.name) : outage ? proxies[outage]?.enabled !== false : false;
      if (!gone) continue;
      faults.delete(fault.info.id);
      if (fault.timer !== null) clearTimer(fault.timer.handle);
      if (outage) await outages.release(fault.info.id, outage, false);
      ctx.events.add({ kind: 'fault', action: 'remove', detail: `${tail(fault)} gone: removed outside chaos (${fault.info.id})` });
    }
  }

  async function currentStatus(): Promise<ActiveFault[]> {
    const proxies = await fetchProxies();
    if (proxies) await prune(proxies);
    const own = [...faults.values()].sort((a, b) => byNumber(a.info.id, b.info.id)).map((f) => f.info);
    return [...own, ...externalFaults(proxies, ctx.flags.all(), owned)];
  }

  async function inject(request: ChaosRequest): Promise<ActiveFault> {
    if (closed) throw new LabError('LAB_CHAOS_NOT_AVAILABLE', 'the lab is stopping: it takes no more faults');
    const def = findScenario(request.scenario);
    if (!def) throw new LabError('LAB_CHAOS_UNKNOWN_SCENARIO', `no chaos scenario "${request.scenario}"; the scenarios are: ${SCENARIO_NAMES.join(', ')}; fix: \`cloudlab chaos list\` shows what each does`);
    await fetchProxies();
    const lab = parts();
    const reason = def.missing(lab);
    if (reason !== null) throw new LabError('LAB_CHAOS_NOT_AVAILABLE', `${def.name} is not available: ${reason}; fix: \`cloudlab chaos list\` shows what this lab can run`);
    const checked = checkRequest(def, request, lab);
    const id = `f${++lastId}`;
    const applied: Applied = await applyScenario(def, checked, { faultId: id, proxy, flags: flagLayers, outages, processes: ctx.processes, databaseUrl: ctx.databaseUrl, cacheUrl: ctx.cacheUrl, clock });
    const startedAtMs = clock();
    const info: ActiveFault = {
      id, origin: 'chaos', scenario: def.name, value: applied.value, target: applied.target, detail: applied.detail,
      startedAtMs, expiresAtMs: checked.durationMs === null ? null : startedAtMs + checked.durationMs,
    };
    const fault: Fault = { info, owns: applied.owns, short: applied.short, undo: applied.undo ?? (() => Promise.resolve()), timer: null };
    const lasting = checked.durationMs === null ? '' : `, for ${formatDuration(checked.durationMs)}`;
    ctx.events.add({ kind: 'fault', action: 'inject', detail: `${tail(fault)} (${id}${lasting})` });
    if (applied.undo !== null) {
      faults.set(id, fault);
      if (checked.durationMs !== null) fault.timer = { handle: setTimer(() => expire(id), checked.durationMs) };
    }
    return info;
  }

  async function removeExternal(id: string): Promise<ActiveFault> {
    const target = parseExternalId(id);
    const found = target ? (await currentStatus()).find((f) => f.id === id) : undefined;
    if (!target || !found) {
      throw new LabError('LAB_CHAOS_FAULT_NOT_FOUND', `no active fault "${id}"; active: ${(await currentStatus()).map((f) => f.id).join(', ') || 'none'}; fix: \`cloudlab chaos status\` lists them`);
    }
    try {
      if (target.kind === 'toxic') await proxy.removeToxic(target.proxy, target.toxic);
      else if (target.kind === 'proxy') await proxy.setEnabled(target.proxy, true);
      else await ctx.flags.remove(target.key);
    } catch (err) {
      throw applyFailed(`removing ${id}`, err);
    }
    ctx.events.add({ kind: 'fault', action: 'remove', detail: `${found.detail} removed (${id})` });
    return found;
  }

  async function undoAll(): Promise<unknown[]> {
    const failures: unknown[] = [];
    for (const fault of [...faults.values()].sort((a, b) => byNumber(b.info.id, a.info.id))) {
      await undoFault(fault).catch((err: unknown) => failures.push(err));
    }
    return failures;
  }

  // The proxy names for scenarios() before the first inject or status.
  await fetchProxies();

  return {
    scenarios: () => {
      const lab = parts();
      return SCENARIOS.map((def) => scenarioInfo(def, lab));
    },
    inject: (request) => exclusive(() => inject(request)),
    status: () => exclusive(currentStatus),
    remove: (id) =>
      exclusive(async () => {
        const fault = faults.get(id);
        if (!fault) return removeExternal(id);
        try {
          await undoFault(fault);
        } catch (err) {
          throw applyFailed(`removing ${id} (${tail(fault)})`, err);
        }
        ctx.events.add({ kind: 'fault', action: 'remove', detail: `${tail(fault)} removed (${id})` });
        return fault.info;
      }),
    reset: () =>
      exclusive(async () => {
        const before = await currentStatus();
        const failures = await undoAll();
        try {
          await proxy.reset();
          await ctx.flags.clear();
        } catch (err) {
          failures.push(err);
        }
        flagLayers.forget();
        ctx.events.add({ kind: 'fault', action: 'reset', detail: `chaos reset: ${before.length} active fault(s) removed${before.length ? ` (${before.map((f) => f.id).join(', ')})` : ''}; every toxic removed, every proxy enabled, every flag cleared` });
        if (failures.length > 0) throw applyFailed('chaos reset', failures[0]);
        return before;
      }),
    close: () =>
      exclusive(async () => {
        closed = true;
        const ids = [...faults.keys()];
        await undoAll();
        if (ids.length > 0) ctx.events.add({ kind: 'fault', action: 'remove', detail: `the lab is stopping: chaos faults ${ids.join(', ')} undone` });
      }),
  };
}
