/**
 * The verdict and its reasons in plain words, from what the run recorded. Precedence:
 * interrupted, error, aborted, failed, passed. Exit codes: 0 passed, 99 failed,
 * 98 aborted, 130 interrupted, 1 error.
 */
import { displayValue } from '../probes/tolerance.js';
import type { CapacityRecord, Drill, InvariantRecord, ProbeResult, RollbackRecord, Verdict } from '../types.js';
import type { MethodEnd } from './method.js';

export const EXIT_CODES: Readonly<Record<Verdict, number>> = { passed: 0, failed: 99, aborted: 98, interrupted: 130, error: 1 };

export interface VerdictFacts {
  drill: Drill;
  beforeResults: ProbeResult[];
  methodRan: boolean;
  methodStartedAtMs: number | null;
  methodEnd: MethodEnd | null;
  interruptedAtMs: number | null;
  methodResults: ProbeResult[];
  /** The after-hypothesis's last round (empty when it did not run). */
  afterResults: ProbeResult[];
  recoveredAfterMs: number | null;
  capacity: CapacityRecord | null;
  invariants: InvariantRecord[];
  rollbacks: RollbackRecord[];
  errors: string[];
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** The reason, led by the value unless the reason already says it: `503 in 12 ms: status 503, expected 200`. */
function valueAndReason(r: ProbeResult): string {
  const reason = r.reason ?? 'failed';
  if (r.value === null) return reason;
  const value = displayValue(r.value);
  return reason.includes(value) ? reason : `${value}: ${reason}`;
}

/** `menu answers: 503 in 12 ms: status 503, expected 200 (expected status 200)`. */
export function probeFailure(r: ProbeResult): string {
  return `${r.name}: ${valueAndReason(r)} (expected ${r.tolerance})`;
}

function duringFailures(facts: VerdictFacts): string[] {
  const out: string[] = [];
  for (const during of facts.drill.method.probes) {
    const samples = facts.methodResults.filter((r) => r.phase === 'method' && r.name === during.probe.name);
    const failed = samples.filter((r) => !r.ok);
    if (failed.length <= during.allowedFailures) continue;
    const first = failed[0]!;
    const at = facts.methodStartedAtMs === null ? '' : ` (first at ${seconds(first.timeMs - facts.methodStartedAtMs)})`;
    out.push(`during the method, ${during.probe.name} failed ${failed.length} of ${samples.length} samples, ${during.allowedFailures} allowed${at}: ${valueAndReason(first)} (expected ${first.tolerance})`);
  }
  return out;
}

export function decideVerdict(facts: VerdictFacts): { verdict: Verdict; reasons: string[] } {
  const reasons: string[] = [];
  const end = facts.methodEnd;
  if (facts.interruptedAtMs !== null || end?.kind === 'interrupted') {
    const where = facts.methodStartedAtMs !== null && facts.interruptedAtMs !== null ? ` ${seconds(facts.interruptedAtMs - facts.methodStartedAtMs)} into the method` : '';
    reasons.push(`interrupted${where}: the load was stopped, the drill's faults removed and the rollbacks run`);
    return { verdict: 'interrupted', reasons: [...reasons, ...facts.errors] };
  }
  if (end?.kind === 'error' || facts.errors.length > 0) {
    if (end?.kind === 'error') reasons.push(end.reason);
    return { verdict: 'error', reasons: [...reasons, ...facts.errors] };
  }
  const failedBefore = facts.beforeResults.filter((r) => !r.ok);
  if (failedBefore.length > 0) {
    return { verdict: 'failed', reasons: failedBefore.map((r) => `the steady state did not hold before the method, so nothing was injected: ${probeFailure(r)}`) };
  }
  if (end?.kind === 'aborted') {
    const at = facts.methodStartedAtMs === null ? '' : ` at ${seconds(end.by.timeMs - facts.methodStartedAtMs)}`;
    reasons.push(`stop condition "${end.by.name}" crossed${at}: ${valueAndReason(end.by)} (expected ${end.by.tolerance}); the drill was aborted`);
  }
  reasons.push(...duringFailures(facts));
  const recovery = facts.drill.recoveryMs;
  for (const r of facts.afterResults.filter((x) => !x.ok)) {
    reasons.push(`after the method${recovery > 0 ? ` (and ${seconds(recovery)} of recovery)` : ''}, the steady state did not hold: ${probeFailure(r)}`);
  }
  if (facts.capacity && !facts.capacity.ok) {
    const c = facts.capacity;
    reasons.push(`capacity ${c.capacityRps === null ? 'unknown' : `${c.capacityRps} req/s`} is below min_rps ${c.minRps} (p95 objective ${c.objectiveP95Ms} ms${c.crossed ? '' : ', never crossed'})`);
  }
  for (const inv of facts.invariants.filter((i) => !i.ok)) reasons.push(`invariant "${inv.name}" broken: ${inv.detail}`);
  for (const rb of facts.rollbacks.filter((r) => !r.ok)) reasons.push(`rollback ${rb.action} failed: ${rb.detail}`);
  if (end?.kind === 'aborted') return { verdict: 'aborted', reasons };
  return { verdict: reasons.length > 0 ? 'failed' : 'passed', reasons };
}
