/** Shared text formatting of the load reports: numbers, errors, the summary table. */
import type { ErrorKind, LatencySummary, RunSummary } from '../types.js';

export const ERROR_KINDS: readonly ErrorKind[] = ['connect', 'timeout', 'reset', 'http_4xx', 'http_5xx', 'check', 'dropped', 'other'];

export function ms(value: number): string {
  return value >= 100 ? `${value.toFixed(0)} ms` : value >= 10 ? `${value.toFixed(1)} ms` : `${value.toFixed(2)} ms`;
}

export function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(2)}%`;
}

export function errorsText(errors: Partial<Record<ErrorKind, number>>): string {
  const parts = ERROR_KINDS.filter((k) => (errors[k] ?? 0) > 0).map((k) => `${k} ${errors[k]}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/** Rows of equal-width columns, the first left-aligned and the others right-aligned. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd()).join('\n');
}

function latencyRow(name: string, requests: number, errors: number, l: LatencySummary): string[] {
  return [name, String(requests), String(errors), ms(l.p50), ms(l.p95), ms(l.p99), ms(l.max)];
}

const sum = (errors: Partial<Record<ErrorKind, number>>): number => Object.values(errors).reduce((a, n) => a + n, 0);

/** The final summary a terminal shows: totals, per task, the threshold verdicts. */
export function formatSummary(summary: RunSummary): string {
  const lines = [
    `${summary.scenario} against ${summary.target} (${summary.model} model)${summary.interrupted ? ', interrupted' : ''}`,
    `${summary.requests} requests in ${(summary.durationMs / 1000).toFixed(1)} s: ${summary.requestsPerSecond.toFixed(1)} req/s, errors ${percent(summary.errorRatio)} (${errorsText(summary.errors)})`,
    '',
    table([
      ['task', 'requests', 'errors', 'p50', 'p95', 'p99', 'max'],
      ...summary.tasks.map((t) => latencyRow(t.name, t.requests, sum(t.errors), t.responseTime)),
      latencyRow('all (response time)', summary.requests, sum(summary.errors), summary.responseTime),
      latencyRow('all (service time)', summary.requests, sum(summary.errors), summary.serviceTime),
    ]),
  ];
  if (summary.thresholds.length > 0) {
    lines.push('', 'thresholds:');
    for (const t of summary.thresholds) lines.push(`  ${t.passed ? '✔' : '✖'} ${t.metric} ${t.threshold} (actual ${Number(t.actual.toFixed(4))})`);
  }
  return `${lines.join('\n')}\n`;
}
