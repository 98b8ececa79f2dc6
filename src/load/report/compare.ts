/** compareSummaries(): the differences of two runs as a text table, with % change. */
import type { LatencySummary, RunSummary, TaskSummary } from '../types.js';
import { ms, percent, table } from './format.js';

function change(a: number, b: number): string {
  if (a === b) return '0.0%';
  if (a === 0) return 'new';
  const pct = ((b - a) / Math.abs(a)) * 100;
  return `${pct > 0 ? '+' : ''}${pct.toFixed(1)}%`;
}

function latencyRows(prefix: string, a: LatencySummary | undefined, b: LatencySummary | undefined): string[][] {
  const keys = ['p50', 'p90', 'p95', 'p99', 'max'] as const;
  return keys.map((k) => {
    const x = a?.[k] ?? 0;
    const y = b?.[k] ?? 0;
    return [`${prefix}${k}`, a ? ms(x) : '-', b ? ms(y) : '-', a && b ? change(x, y) : '-'];
  });
}

const errorRatio = (t: TaskSummary): number => {
  const errors = Object.values(t.errors).reduce((s, n) => s + n, 0);
  return t.requests > 0 ? errors / t.requests : 0;
};

/** A is the baseline, B the new run: B's change relative to A. */
export function compareSummaries(a: RunSummary, b: RunSummary): string {
  const rows: string[][] = [
    ['metric', 'A', 'B', 'change'],
    ['requests', String(a.requests), String(b.requests), change(a.requests, b.requests)],
    ['requests/s', a.requestsPerSecond.toFixed(1), b.requestsPerSecond.toFixed(1), change(a.requestsPerSecond, b.requestsPerSecond)],
    ['error ratio', percent(a.errorRatio), percent(b.errorRatio), change(a.errorRatio, b.errorRatio)],
    ...latencyRows('response ', a.responseTime, b.responseTime),
    ...latencyRows('service ', a.serviceTime, b.serviceTime),
  ];
  const names = [...new Set([...a.tasks.map((t) => t.name), ...b.tasks.map((t) => t.name)])];
  for (const name of names) {
    const ta = a.tasks.find((t) => t.name === name);
    const tb = b.tasks.find((t) => t.name === name);
    const rps = (s: RunSummary, t: TaskSummary | undefined): number => (t && s.durationMs > 0 ? t.requests / (s.durationMs / 1000) : 0);
    rows.push(
      [`${name}: requests/s`, ta ? rps(a, ta).toFixed(1) : '-', tb ? rps(b, tb).toFixed(1) : '-', ta && tb ? change(rps(a, ta), rps(b, tb)) : '-'],
      [`${name}: error ratio`, ta ? percent(errorRatio(ta)) : '-', tb ? percent(errorRatio(tb)) : '-', ta && tb ? change(errorRatio(ta), errorRatio(tb)) : '-'],
      ...latencyRows(`${name}: `, ta?.responseTime, tb?.responseTime).filter((r) => !r[0]!.endsWith('p90') && !r[0]!.endsWith('max')),
    );
  }
  const header = `A: ${a.scenario} against ${a.target}, ${new Date(a.startedAtMs).toISOString()}\nB: ${b.scenario} against ${b.target}, ${new Date(b.startedAtMs).toISOString()}\n\n`;
  return `${header}${table(rows)}\n`;
}
