/** A drill's plan in words (`cloudlab drill <file> --dry-run`): parameters, phases, faults with times, probes. */
import { formatDuration } from '../config/index.js';
import { probeTolerance } from './probes/run-probe.js';
import { describeFault } from './run/faults.js';
import { describeRollback } from './run/rollbacks.js';
import type { Drill, Probe } from './types.js';

const probeLine = (p: Probe): string => {
  const what = p.kind === 'http' ? `http ${p.method} ${p.url ?? p.path ?? ''}` : `${p.kind} ${p.query.replace(/\s+/g, ' ').trim()}`;
  return `${p.name}: ${what} (expect ${probeTolerance(p)}${p.kind !== 'http' && p.noData === 'pass' ? '; no data passes' : ''})`;
};

export function formatPlan(drill: Drill): string {
  const m = drill.method;
  const lines: string[] = [`drill ${drill.name} (${drill.file})`, ...drill.description.split('\n').map((l) => `  ${l}`), ''];
  const params = Object.entries(drill.parameters);
  if (params.length > 0) lines.push('parameters:', ...params.map(([k, v]) => `  ${k} = ${JSON.stringify(v)}`), '');
  lines.push(`1. hypothesis before (${drill.hypothesis.length}): if any fails, nothing is injected`, ...drill.hypothesis.map((p) => `     ${probeLine(p)}`));
  lines.push(`2. method: ${formatDuration(m.durationMs)}, probes every ${formatDuration(m.probeIntervalMs)}`);
  if (m.load) {
    const over = [m.load.durationMs !== null ? `duration ${formatDuration(m.load.durationMs)}` : '', m.load.vus !== null ? `vus ${m.load.vus}` : '', m.load.rate !== null ? `rate ${m.load.rate}/s` : '', m.load.record ? 'orders recorded' : ''].filter(Boolean);
    lines.push(`     load ${m.load.written} from 0s${over.length > 0 ? ` (${over.join(', ')})` : ''}`);
  }
  for (const f of m.faults) {
    const until = f.instant ? 'instant' : f.durationMs === null ? 'until the method ends' : `until ${formatDuration(f.atMs + f.durationMs)} (${formatDuration(f.durationMs)})`;
    lines.push(`     fault at ${formatDuration(f.atMs)}: ${describeFault(f)}, ${until}`);
  }
  for (const p of m.probes) {
    const window = p.fromMs === null && p.untilMs === null ? '' : ` from ${formatDuration(p.fromMs ?? 0)}${p.untilMs === null ? '' : ` until ${formatDuration(p.untilMs)}`}`;
    lines.push(`     probe${window}, ${p.allowedFailures} failure(s) allowed: ${probeLine(p.probe)}`);
  }
  if (m.capacity) lines.push(`     capacity: stop the load once p95 > ${m.capacity.objectiveP95Ms} ms for ${formatDuration(m.capacity.forMs)}${m.capacity.minRps === null ? '' : `; at least ${m.capacity.minRps} req/s`}`);
  for (const s of drill.stopConditions) lines.push(`     stop condition (aborts at once): ${probeLine(s)}`);
  lines.push(`3. rollbacks (${drill.rollbacks.length}), always; faults the drill injected are removed first`, ...drill.rollbacks.map((r) => `     ${describeRollback(r)}`));
  lines.push(`4. hypothesis after${drill.recoveryMs > 0 ? `, retried for up to ${formatDuration(drill.recoveryMs)} of recovery` : ', checked once'}`);
  lines.push(`5. invariants (${drill.invariants.length})`, ...drill.invariants.map((i) => `     ${i.kind === 'probe' ? probeLine(i.probe) : `${i.name}: recorded orders with status ${i.check.acknowledgedStatus.join('/')} exist exactly once in ${i.check.table}.${i.check.keyColumn}`}`));
  lines.push('6. verdict: passed (exit 0), failed (99), aborted (98), interrupted (130), error (1)');
  return `${lines.join('\n')}\n`;
}
