/** Runs any probe and stamps its result; a probe that cannot run is a failure with its reason, never a throw. */
import type { Phase, Probe, ProbeResult } from '../types.js';
import { describeHttp, runHttpProbe } from './http.js';
import type { ProbeOutcome } from './outcome.js';
import { runPromqlProbe } from './promql.js';
import { runSqlProbe } from './sql.js';
import type { SqlRunner } from './sql.js';
import { describeTolerance } from './tolerance.js';

/** Where probes reach the lab. */
export interface ProbeTargets {
  edgeUrl: string | null;
  hubUrl: string | null;
  sql: SqlRunner | null;
}

export function probeTolerance(probe: Probe): string {
  return probe.kind === 'http' ? describeHttp(probe) : describeTolerance(probe.tolerance);
}

async function outcomeOf(probe: Probe, targets: ProbeTargets): Promise<ProbeOutcome> {
  switch (probe.kind) {
    case 'http':
      return runHttpProbe(probe, targets.edgeUrl);
    case 'promql':
      return runPromqlProbe(probe, targets.hubUrl);
    case 'sql':
      return runSqlProbe(probe, targets.sql);
  }
}

export async function runProbe(probe: Probe, phase: Phase, targets: ProbeTargets, now: () => number = Date.now): Promise<ProbeResult> {
  const timeMs = now();
  let outcome: ProbeOutcome;
  try {
    outcome = await outcomeOf(probe, targets);
  } catch (err) {
    outcome = { ok: false, value: null, reason: `the probe could not run: ${(err as Error).message}` };
  }
  return { phase, name: probe.name, timeMs, ok: outcome.ok, value: outcome.value, tolerance: probeTolerance(probe), reason: outcome.reason };
}

/** Runs probes side by side. */
export function runProbes(probes: readonly Probe[], phase: Phase, targets: ProbeTargets, now: () => number = Date.now): Promise<ProbeResult[]> {
  return Promise.all(probes.map((p) => runProbe(p, phase, targets, now)));
}
