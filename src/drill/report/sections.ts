/** The report's tables: probes (before / during / after), faults, invariants, rollbacks, load and capacity. */
import { displayValue } from '../probes/tolerance.js';
import type { Journal, ProbeResult } from '../types.js';
import { escapeHtml as e } from './svg.js';

const mark = (ok: boolean): string => (ok ? '<span class="ok">✔ pass</span>' : '<span class="bad">✘ fail</span>');
const at = (timeMs: number | null, zeroMs: number): string => (timeMs === null ? '<span class="muted">—</span>' : `${((timeMs - zeroMs) / 1000).toFixed(1)} s`);
const PHASE_WORDS: Record<string, string> = { before: 'before', method: 'during', stop: 'stop condition', after: 'after', invariants: 'invariant' };

function probeRows(results: ProbeResult[], zeroMs: number): string {
  return results
    .map((r) => `<tr><td>${e(PHASE_WORDS[r.phase] ?? r.phase)}</td><td class="num">${at(r.timeMs, zeroMs)}</td><td>${e(r.name)}</td><td>${mark(r.ok)}</td><td class="num">${r.value === null ? '<span class="muted">—</span>' : e(displayValue(r.value))}</td><td>${e(r.tolerance)}</td><td>${r.reason === null ? '' : e(r.reason)}</td></tr>`)
    .join('');
}

const PROBE_HEAD = '<tr><th>phase</th><th>time</th><th>probe</th><th>result</th><th>value</th><th>expected</th><th>reason</th></tr>';

/** Before and after in full; during the method a line per probe (samples, failures, allowed) and every sample folded. */
export function probesSection(j: Journal, zeroMs: number): string {
  const before = j.results.filter((r) => r.phase === 'before');
  const after = j.results.filter((r) => r.phase === 'after');
  const during = j.results.filter((r) => r.phase === 'method' || r.phase === 'stop');
  const parts: string[] = [];
  parts.push(before.length === 0 ? '<p class="muted">No hypothesis before the method.</p>' : `<h3>Before the method</h3><table>${PROBE_HEAD}${probeRows(before, zeroMs)}</table>`);
  if (during.length > 0) {
    const allowed = new Map(j.drill.method.probes.map((p) => [p.probe.name, p.allowedFailures]));
    const names = [...new Set(during.map((r) => `${r.phase}\u0000${r.name}`))];
    const rows = names.map((key) => {
      const [phase, name] = key.split('\u0000') as [string, string];
      const samples = during.filter((r) => r.phase === phase && r.name === name);
      const failed = samples.filter((r) => !r.ok);
      const limit = phase === 'stop' ? 0 : allowed.get(name) ?? 0;
      const ok = phase === 'stop' ? !samples.some((r) => !r.ok && r.value !== null) : failed.length <= limit;
      const worst = failed[0] ?? samples[samples.length - 1];
      return `<tr><td>${e(PHASE_WORDS[phase] ?? phase)}</td><td>${e(name)}</td><td>${mark(ok)}</td><td class="num">${samples.length}</td><td class="num">${failed.length}</td><td class="num">${phase === 'stop' ? '—' : limit}</td><td>${worst ? e(worst.tolerance) : ''}</td><td>${failed[0]?.reason ? e(failed[0].reason) : ''}</td></tr>`;
    });
    parts.push(`<h3>During the method</h3><table><tr><th>kind</th><th>probe</th><th>result</th><th>samples</th><th>failed</th><th>allowed</th><th>expected</th><th>first failure</th></tr>${rows.join('')}</table>`);
    parts.push(`<details><summary>every sample (${during.length})</summary><table>${PROBE_HEAD}${probeRows(during, zeroMs)}</table></details>`);
  }
  if (after.length > 0) parts.push(`<h3>After the method</h3><table>${PROBE_HEAD}${probeRows(after, zeroMs)}</table>`);
  return parts.join('');
}

export function faultsSection(j: Journal, zeroMs: number): string {
  if (j.faults.length === 0) return '<p class="muted">This drill injected no faults.</p>';
  const rows = j.faults.map((f, i) => {
    const instant = j.drill.method.faults[i]?.instant === true;
    const planned = `at ${(f.atMs / 1000).toFixed(1)} s${instant ? ', instant' : f.durationMs === null ? ', until the method ends' : ` for ${(f.durationMs / 1000).toFixed(1)} s`}`;
    const removed = f.removedAtMs === null ? '<span class="muted">—</span>' : `${at(f.removedAtMs, zeroMs)}${f.removedBy ? ` <span class="muted">(${e(f.removedBy === 'lab' ? 'by the lab, time up' : f.removedBy === 'drill' ? 'by the drill' : 'instant')})</span>` : ''}`;
    return `<tr><td>${e(f.scenario)}</td><td>${e([f.value === null ? '' : String(f.value), f.target === null ? '' : `on ${f.target}`].filter(Boolean).join(' '))}</td><td>${e(planned)}</td><td class="num">${at(f.injectedAtMs, zeroMs)}</td><td class="num">${removed}</td><td><code>${e(f.id ?? '—')}</code></td><td>${e(f.error ?? f.detail ?? '')}</td></tr>`;
  });
  return `<table><tr><th>scenario</th><th>value</th><th>planned</th><th>injected</th><th>removed</th><th>id</th><th>detail</th></tr>${rows.join('')}</table>`;
}

export function invariantsSection(j: Journal): string {
  if (j.invariants.length === 0) return `<p class="muted">${j.drill.invariants.length === 0 ? 'This drill checks no invariants.' : 'Not checked: the method did not run to its end.'}</p>`;
  return `<table><tr><th>invariant</th><th>result</th><th>detail</th></tr>${j.invariants.map((i) => `<tr><td>${e(i.name)}</td><td>${mark(i.ok)}</td><td>${e(i.detail)}</td></tr>`).join('')}</table>`;
}

export function rollbacksSection(j: Journal, zeroMs: number): string {
  if (j.rollbacks.length === 0) return '<p class="muted">This drill has no rollbacks (the faults it injected were still removed at the method\'s end).</p>';
  return `<table><tr><th>rollback</th><th>time</th><th>result</th><th>detail</th></tr>${j.rollbacks.map((r) => `<tr><td>${e(r.action)}</td><td class="num">${at(r.timeMs, zeroMs)}</td><td>${mark(r.ok)}</td><td>${e(r.detail)}</td></tr>`).join('')}</table>`;
}

export function loadSection(j: Journal): string {
  if (j.load === null) return '<p class="muted">This drill ran no load.</p>';
  const s = j.load.summary;
  if (s === null) return `<p class="bad">${e(j.load.error ?? 'The load did not run.')}</p>`;
  const cells: Array<[string, string]> = [
    ['scenario', s.scenario], ['target', s.target], ['requests', String(s.requests)], ['requests/s', s.requestsPerSecond.toFixed(1)],
    ['p50 / p95 / p99', `${s.responseTime.p50.toFixed(1)} / ${s.responseTime.p95.toFixed(1)} / ${s.responseTime.p99.toFixed(1)} ms`],
    ['error ratio', `${(s.errorRatio * 100).toFixed(2)} %`], ['stopped early', s.interrupted ? 'yes' : 'no'],
  ];
  let capacity = '';
  if (j.capacity) {
    const c = j.capacity;
    capacity = `<p>Capacity: <strong>${c.capacityRps === null ? 'unknown' : `${c.capacityRps} req/s`}</strong> with p95 under ${c.objectiveP95Ms} ms; ${c.crossed ? `the objective was crossed from second ${c.crossedAtSecond} for ${(c.forMs / 1000).toFixed(1)} s, and the load stopped there` : 'the objective was never crossed, so the capacity is at least this'}${c.minRps === null ? '' : `; minimum ${c.minRps} req/s: ${c.ok ? '<span class="ok">met</span>' : '<span class="bad">not met</span>'}`}.</p>`;
  }
  return `<table>${cells.map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(v)}</td></tr>`).join('')}</table>${capacity}`;
}
