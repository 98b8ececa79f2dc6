/**
 * The method phase: the load from 0, faults at their offsets, during-probes and stop
 * conditions every probe interval, the capacity search. It ends when its time is up
 * and the load is done, or early: a stop condition crossed (aborted), the capacity
 * found, an interrupt, or an error (a fault the lab refused, the lab gone). Every fault
 * the drill injected is off when it returns.
 */
import type { ActiveFault } from '../../chaos/index.js';
import type { RunSummary } from '../../load/index.js';
import { callControl } from '../lab-api.js';
import type { DrillLab } from '../lab-api.js';
import { runProbes } from '../probes/run-probe.js';
import type { ProbeTargets } from '../probes/run-probe.js';
import type { CapacityRecord, Drill, FaultRecord, LoadPoint, ProbeResult } from '../types.js';
import { createCapacityTracker } from './capacity.js';
import { sleepUntil } from './clock.js';
import type { DrillClock } from './clock.js';
import { describeFault, faultRecord, injectInto, isActive, noteRemovals, removeRemaining } from './faults.js';
import { runDrillLoad } from './load.js';
import type { DrillProgress } from './progress.js';

export type MethodEnd = { kind: 'completed' } | { kind: 'aborted'; by: ProbeResult } | { kind: 'interrupted' } | { kind: 'error'; reason: string };

export interface MethodOutcome {
  startedAtMs: number;
  endedAtMs: number;
  end: MethodEnd;
  results: ProbeResult[];
  faults: FaultRecord[];
  load: { summary: RunSummary | null; error: string | null } | null;
  loadPoints: LoadPoint[];
  capacity: CapacityRecord | null;
  /** Faults that could not be removed at the end. */
  cleanupProblems: string[];
}

export interface MethodContext {
  drill: Drill;
  lab: DrillLab;
  targets: ProbeTargets;
  clock: DrillClock;
  signal: AbortSignal | undefined;
  recordFile: string | null;
  onProgress: (p: DrillProgress) => void;
}

/** A crossing: a stop condition out of its tolerance with a value (or with no data, when it says no_data: fail). */
export function crossed(r: ProbeResult): boolean {
  return !r.ok && (r.value !== null || (r.reason ?? '').startsWith('no data'));
}

export async function runMethod(ctx: MethodContext): Promise<MethodOutcome> {
  const { drill, lab, clock } = ctx;
  const m = drill.method;
  const t0 = clock.now();
  const stop = new AbortController();
  let end: MethodEnd = { kind: 'completed' };
  const finish = (e: MethodEnd): void => {
    if (stop.signal.aborted) return;
    end = e;
    stop.abort();
  };
  const onInterrupt = (): void => finish({ kind: 'interrupted' });
  if (ctx.signal?.aborted) onInterrupt();
  ctx.signal?.addEventListener('abort', onInterrupt, { once: true });

  const results: ProbeResult[] = [];
  const faults = m.faults.map(faultRecord);
  // When the drill saw each injection answered: a fault list asked for earlier may not show it yet.
  const injectedAt = new Map<FaultRecord, number>();
  const loadPoints: LoadPoint[] = [];
  const capacity = m.capacity === null ? null : createCapacityTracker(m.capacity);
  const loadStop = new AbortController();
  stop.signal.addEventListener('abort', () => loadStop.abort(), { once: true });
  let capacityReached = false;

  const loadTask = m.load === null || stop.signal.aborted
    ? Promise.resolve(null)
    : runDrillLoad({
        drill, spec: m.load, lab, recordFile: ctx.recordFile, signal: loadStop.signal,
        onInterval: (i) => {
          const errors = Object.values(i.errors).reduce((s, n) => s + (n ?? 0), 0);
          loadPoints.push({ timeMs: clock.now(), rps: i.requests, p95Ms: i.p95, errors });
          ctx.onProgress({ type: 'load', second: i.second, rps: i.requests, p95Ms: i.p95, errors });
          if (capacity?.push(i) && !capacityReached) {
            capacityReached = true;
            ctx.onProgress({ type: 'note', text: `capacity: p95 over ${m.capacity?.objectiveP95Ms} ms for ${m.capacity?.forMs} ms; stopping the load` });
            finish({ kind: 'completed' });
          }
        },
      }).then((run) => {
        if (!run.ok) finish({ kind: 'error', reason: run.reason });
        return run;
      });

  const faultsTask = (async () => {
    for (let i = 0; i < m.faults.length; i++) {
      const spec = m.faults[i]!;
      await sleepUntil(clock, t0 + spec.atMs, stop.signal);
      if (stop.signal.aborted) return;
      const injected = await injectInto(lab, spec, faults[i]!, m.durationMs, () => clock.now());
      injectedAt.set(faults[i]!, clock.now());
      if (!injected.ok) {
        finish({ kind: 'error', reason: injected.unreachable ? `the lab vanished: ${injected.reason}` : `fault ${describeFault(spec)} could not be injected: ${injected.reason}` });
        return;
      }
      ctx.onProgress({ type: 'fault', action: 'inject', text: `${describeFault(spec)} (${faults[i]!.id})${spec.durationMs !== null ? ` for ${spec.durationMs / 1000} s` : ''}` });
    }
  })();

  let unreachableRounds = 0;
  const round = async (): Promise<void> => {
    const elapsed = clock.now() - t0;
    const askedAt = clock.now();
    const during = m.probes.filter((p) => (p.fromMs === null || elapsed >= p.fromMs) && (p.untilMs === null || elapsed < p.untilMs)).map((p) => p.probe);
    const [sampled, stops, faultList] = await Promise.all([
      runProbes(during, 'method', ctx.targets, () => clock.now()),
      runProbes(drill.stopConditions, 'stop', ctx.targets, () => clock.now()),
      callControl(lab, 'GET', '/api/chaos'),
    ]);
    results.push(...sampled, ...stops);
    if (faultList.kind === 'unreachable') {
      if (++unreachableRounds >= 2) finish({ kind: 'error', reason: `the lab vanished: ${faultList.reason}` });
    } else {
      unreachableRounds = 0;
      const listed = faultList.status === 200 ? (faultList.body as { faults?: ActiveFault[] } | null)?.faults : undefined;
      noteRemovals(faults, Array.isArray(listed) ? listed : null, clock.now(), (r) => (injectedAt.get(r) ?? Infinity) < askedAt);
    }
    const active = faults.filter((f) => isActive(f, clock.now())).length;
    ctx.onProgress({ type: 'round', elapsedMs: clock.now() - t0, faultsActive: active, results: [...sampled, ...stops] });
    const crossing = stops.find(crossed);
    if (crossing) finish({ kind: 'aborted', by: crossing });
  };
  const probesTask = (async () => {
    if (m.probes.length === 0 && drill.stopConditions.length === 0 && m.faults.length === 0) return;
    for (let k = 0; !stop.signal.aborted; ) {
      await sleepUntil(clock, t0 + k * m.probeIntervalMs, stop.signal);
      if (stop.signal.aborted) return;
      await round();
      // A round longer than the interval skips the ticks it ran over.
      k = Math.max(k + 1, Math.ceil((clock.now() - t0) / m.probeIntervalMs));
    }
  })();

  const timeUp = sleepUntil(clock, t0 + m.durationMs, stop.signal);
  await Promise.all([timeUp, loadTask]);
  finish({ kind: 'completed' });
  await Promise.all([faultsTask, probesTask]);
  const load = await loadTask;
  ctx.signal?.removeEventListener('abort', onInterrupt);
  noteRemovals(faults, null, clock.now());
  const cleanupProblems = await removeRemaining(lab, faults, () => clock.now());
  return {
    startedAtMs: t0,
    endedAtMs: clock.now(),
    end,
    results,
    faults,
    load: load === null ? null : load.ok ? { summary: load.summary, error: null } : { summary: null, error: load.reason },
    loadPoints,
    capacity: capacity?.result() ?? null,
    cleanupProblems,
  };
}
