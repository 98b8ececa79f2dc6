/**
 * runDrill(): the phases of a drill against a running lab. (1) the hypothesis before
 * (nothing is injected if it fails); (2) the method; (3) the rollbacks, always; (4) the
 * hypothesis after, retried every probe interval for `recovery`; (5) the invariants;
 * (6) the verdict. Then the journal (with chart data) and the HTML report are written
 * and the verdict is marked on the lab's charts.
 */
import { join } from 'node:path';
import { claimJournalId, drillsDir } from '../journal.js';
import { postDrillEvent } from '../lab-api.js';
import type { DrillLab } from '../lab-api.js';
import { runProbes } from '../probes/run-probe.js';
import type { ProbeTargets } from '../probes/run-probe.js';
import { createSqlRunner } from '../probes/sql.js';
import type { SqlRunner } from '../probes/sql.js';
import type { Drill, Journal, PhaseRecord, ProbeResult } from '../types.js';
import { systemClock } from './clock.js';
import type { DrillClock } from './clock.js';
import { runInvariants } from './invariants.js';
import { runMethod } from './method.js';
import type { MethodOutcome } from './method.js';
import type { DrillProgress } from './progress.js';
import { runRollbacks } from './rollbacks.js';
import { EXIT_CODES, decideVerdict } from './verdict.js';
import { writeJournalAndReport } from './write.js';

export interface RunDrillOptions {
  drill: Drill;
  lab: DrillLab;
  /** Where the journal, report and recorded orders go; default `<stateDir>/drills`. */
  outDir?: string;
  /** Aborting it interrupts the drill: load stopped, faults removed, rollbacks run, journal written. */
  signal?: AbortSignal;
  clock?: DrillClock;
  onProgress?: (p: DrillProgress) => void;
  /** The SQL runner; default a pool on the lab's Postgres URL (none without one). */
  sql?: SqlRunner | null;
}

export interface DrillRun {
  journal: Journal;
  journalFile: string;
  reportFile: string;
  exitCode: number;
}

async function afterHypothesis(drill: Drill, targets: ProbeTargets, clock: DrillClock, signal: AbortSignal | undefined, onProgress: (p: DrillProgress) => void, all: ProbeResult[]): Promise<{ last: ProbeResult[]; recoveredAfterMs: number | null }> {
  const started = clock.now();
  for (;;) {
    const round = await runProbes(drill.hypothesis, 'after', targets, () => clock.now());
    all.push(...round);
    onProgress({ type: 'round', elapsedMs: clock.now() - started, faultsActive: 0, results: round });
    if (round.every((r) => r.ok)) return { last: round, recoveredAfterMs: clock.now() - started };
    const left = started + drill.recoveryMs - clock.now();
    if (left <= 0 || signal?.aborted) return { last: round, recoveredAfterMs: null };
    await clock.sleep(Math.min(left, drill.method.probeIntervalMs), signal);
  }
}

export async function runDrill(options: RunDrillOptions): Promise<DrillRun> {
  const { drill, lab, signal } = options;
  const clock = options.clock ?? systemClock;
  const onProgress = options.onProgress ?? (() => undefined);
  const outDir = options.outDir ?? drillsDir(lab.stateDir);
  const startedAtMs = clock.now();
  const id = await claimJournalId(outDir, drill.name, startedAtMs);
  const recordFile = drill.method.load?.record ? join(outDir, `${id}.orders.jsonl`) : null;
  const sql = options.sql !== undefined ? options.sql : lab.postgresUrl ? createSqlRunner(lab.postgresUrl) : null;
  const targets: ProbeTargets = { edgeUrl: lab.edgeUrl, hubUrl: lab.hubUrl, sql };
  const phases: PhaseRecord[] = [];
  const results: ProbeResult[] = [];
  const fatal: string[] = [];
  let interruptedAtMs: number | null = null;
  const onAbort = (): void => {
    interruptedAtMs ??= clock.now();
  };
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  const phase = (name: PhaseRecord['name'], started: number, status: PhaseRecord['status'], note: string | null = null): void => {
    phases.push({ name, startedAtMs: started, endedAtMs: clock.now(), status, note });
  };
  await postDrillEvent(lab, 'started', `${drill.name}: ${drill.description.split('\n')[0] ?? ''}`);

  try {
    // (1) The steady state before.
    let t = clock.now();
    onProgress({ type: 'phase', phase: 'before', text: `checking the hypothesis (${drill.hypothesis.length} probe${drill.hypothesis.length === 1 ? '' : 's'})` });
    const before = interruptedAtMs === null ? await runProbes(drill.hypothesis, 'before', targets, () => clock.now()) : [];
    results.push(...before);
    if (before.length > 0) onProgress({ type: 'round', elapsedMs: 0, faultsActive: 0, results: before });
    const steady = before.every((r) => r.ok);
    phase('before', t, interruptedAtMs !== null ? 'interrupted' : steady ? 'passed' : 'failed', steady ? null : 'the steady state did not hold: nothing was injected');

    // (2) The method.
    let method: MethodOutcome | null = null;
    if (steady && interruptedAtMs === null) {
      onProgress({ type: 'phase', phase: 'method', text: `method for ${(drill.method.durationMs / 1000).toFixed(1)} s: ${drill.method.faults.length} fault(s), ${drill.method.probes.length} probe(s), ${drill.stopConditions.length} stop condition(s)${drill.method.load ? `, load ${drill.method.load.written}` : ''}` });
      try {
        method = await runMethod({ drill, lab, targets, clock, signal, recordFile, onProgress });
      } catch (err) {
        // A bug must not skip the rollbacks: the verdict says error, the rollbacks still run.
        fatal.push(`the method failed unexpectedly: ${(err as Error).stack ?? String(err)}`);
      }
    }
    if (method !== null) {
      results.push(...method.results);
      const end = method.end;
      if (end.kind === 'aborted') await postDrillEvent(lab, 'aborted', `${drill.name}: stop condition "${end.by.name}" crossed (${String(end.by.value)})`);
      const status = end.kind === 'completed' ? 'done' : end.kind;
      phases.push({ name: 'method', startedAtMs: method.startedAtMs, endedAtMs: method.endedAtMs, status, note: end.kind === 'aborted' ? `stop condition "${end.by.name}" crossed` : end.kind === 'error' ? end.reason : null });
    } else phase('method', clock.now(), fatal.length > 0 ? 'error' : 'skipped', fatal.length > 0 ? 'failed unexpectedly' : interruptedAtMs !== null ? 'interrupted before it began' : 'the steady state did not hold before it');

    // (3) The rollbacks, always.
    t = clock.now();
    onProgress({ type: 'phase', phase: 'rollbacks', text: `rollbacks (${drill.rollbacks.length})` });
    const rollbacks = await runRollbacks(lab, drill.rollbacks, () => clock.now());
    phase('rollbacks', t, rollbacks.every((r) => r.ok) ? 'done' : 'failed');

    // (4) and (5): only when the method ran to an end worth checking.
    const check = method !== null && interruptedAtMs === null && method.end.kind !== 'error' && method.end.kind !== 'interrupted';
    let after: { last: ProbeResult[]; recoveredAfterMs: number | null } = { last: [], recoveredAfterMs: null };
    t = clock.now();
    if (check && drill.hypothesis.length > 0) {
      onProgress({ type: 'phase', phase: 'after', text: `checking the hypothesis again${drill.recoveryMs > 0 ? ` (up to ${(drill.recoveryMs / 1000).toFixed(1)} s of recovery)` : ''}` });
      after = await afterHypothesis(drill, targets, clock, signal, onProgress, results);
      phase('after', t, after.recoveredAfterMs !== null ? 'passed' : interruptedAtMs !== null ? 'interrupted' : 'failed', after.recoveredAfterMs !== null ? `held after ${(after.recoveredAfterMs / 1000).toFixed(1)} s` : null);
    } else phase('after', t, 'skipped', check ? 'no hypothesis' : 'the method did not run to its end');
    t = clock.now();
    const invariants = check && interruptedAtMs === null ? await runInvariants(drill.invariants, targets, method?.load ? recordFile : null, () => clock.now()) : [];
    phase('invariants', t, !check || interruptedAtMs !== null ? 'skipped' : invariants.every((i) => i.ok) ? 'passed' : 'failed');

    // (6) The verdict.
    const { verdict, reasons } = decideVerdict({
      drill, beforeResults: before, methodRan: method !== null, methodStartedAtMs: method?.startedAtMs ?? null, methodEnd: method?.end ?? null,
      interruptedAtMs, methodResults: method?.results ?? [], afterResults: after.last, recoveredAfterMs: after.recoveredAfterMs,
      capacity: method?.capacity ?? null, invariants, rollbacks, errors: [...fatal, ...(method?.cleanupProblems ?? [])],
    });
    onProgress({ type: 'verdict', verdict, reasons });
    const journal: Journal = {
      version: 1, id, drill, startedAtMs, endedAtMs: clock.now(), methodStartedAtMs: method?.startedAtMs ?? null, methodEndedAtMs: method?.endedAtMs ?? null,
      phases, results, faults: method?.faults ?? drill.method.faults.map((f) => ({ scenario: f.scenario, value: f.value, target: f.target, atMs: f.atMs, durationMs: f.durationMs, id: null, detail: null, injectedAtMs: null, removedAtMs: null, removedBy: null, error: null })),
      load: method?.load ? { summary: method.load.summary, recordFile: recordFile, error: method.load.error } : null,
      capacity: method?.capacity ?? null, invariants, rollbacks, verdict, reasons, charts: { probes: [], load: method?.loadPoints ?? [] },
    };
    onProgress({ type: 'phase', phase: 'report', text: 'writing the journal and the report' });
    const files = await writeJournalAndReport(journal, outDir, lab.hubUrl);
    await postDrillEvent(lab, 'verdict', `${drill.name}: ${verdict}${reasons[0] ? `: ${reasons[0]}` : ''}`);
    return { journal, journalFile: files.json, reportFile: files.html, exitCode: EXIT_CODES[verdict] };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (options.sql === undefined) await sql?.close().catch(() => undefined);
  }
}
