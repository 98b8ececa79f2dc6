/**
 * The drill's HTML report: one self-contained file (inline CSS and SVG, no script, no
 * external fetch), readable in light and dark mode, that tells someone who was not
 * watching what the drill tried, what happened, and why it passed or failed.
 */
import { describeFault } from '../run/faults.js';
import type { ChartSeries, Journal, Verdict } from '../types.js';
import { faultsSection, invariantsSection, loadSection, probesSection, rollbacksSection } from './sections.js';
import { REPORT_CSS } from './styles.js';
import { escapeHtml as e, lineChart, timeline } from './svg.js';
import type { TimeWindow, TimelineRow } from './svg.js';

const HEADLINES: Record<Verdict, string> = {
  passed: 'The steady state held before, during and after the faults, and every invariant held.',
  failed: 'The system did not behave as the hypothesis says.',
  aborted: 'A stop condition was crossed: the drill stopped at once, removed its faults and ran the rollbacks.',
  interrupted: 'The drill was interrupted: the load was stopped, its faults removed and the rollbacks run.',
  error: 'The drill could not run as designed.',
};

function faultWindows(j: Journal): TimeWindow[] {
  const methodEnd = j.methodEndedAtMs ?? j.endedAtMs;
  return j.faults
    .filter((f) => f.injectedAtMs !== null)
    .map((f) => ({
      fromMs: f.injectedAtMs!,
      toMs: f.removedAtMs ?? (f.durationMs === null ? methodEnd : Math.min(methodEnd, f.injectedAtMs! + f.durationMs)),
      label: `${describeFault(f)}${f.id ? ` (${f.id})` : ''}`,
    }));
}

function timelineRows(j: Journal): TimelineRow[] {
  const rows: TimelineRow[] = j.phases.filter((p) => p.status !== 'skipped' || p.name === 'method').map((p) => ({ label: `${p.name}: ${p.status}`, fromMs: p.startedAtMs, toMs: p.endedAtMs, kind: `phase-${p.status}` }));
  const zero = j.methodStartedAtMs ?? j.startedAtMs;
  for (const f of j.faults) {
    if (f.injectedAtMs !== null) {
      const w = faultWindows({ ...j, faults: [f] })[0]!;
      rows.push({ label: describeFault(f), fromMs: w.fromMs, toMs: w.toMs, kind: 'fault' });
    } else if (f.error !== null) rows.push({ label: `${describeFault(f)} (refused)`, fromMs: zero + f.atMs, toMs: zero + f.atMs, kind: 'fault-failed' });
  }
  return rows;
}

function toleranceLines(c: ChartSeries): Array<{ value: number; label: string }> {
  const out: Array<{ value: number; label: string }> = [];
  if (c.tolerance.max !== undefined) out.push({ value: c.tolerance.max, label: `max ${c.tolerance.max}` });
  if (c.tolerance.min !== undefined) out.push({ value: c.tolerance.min, label: `min ${c.tolerance.min}` });
  if (typeof c.tolerance.equals === 'number') out.push({ value: c.tolerance.equals, label: `= ${c.tolerance.equals}` });
  return out;
}

const seriesLabel = (labels: Record<string, string>): string => {
  const pairs = Object.entries(labels).filter(([k]) => k !== '__name__').map(([k, v]) => `${k}="${v}"`);
  return pairs.length === 0 ? 'value' : `{${pairs.join(', ')}}`;
};

function charts(j: Journal, axis: { startMs: number; endMs: number; zeroMs: number }, windows: TimeWindow[]): string {
  const parts: string[] = [];
  const load = j.charts.load;
  if (load.length > 0) {
    parts.push(lineChart({ ...axis, title: 'Load: requests and errors per second', unit: '', windows, lines: [], series: [{ label: 'requests/s', points: load.map((p) => [p.timeMs, p.rps]) }, { label: 'errors/s', points: load.map((p) => [p.timeMs, p.errors]) }] }));
    parts.push('<p class="legend"><span><i style="background:var(--s0)"></i>requests/s</span><span><i style="background:var(--s1)"></i>errors/s</span></p>');
    const objective = j.capacity ? [{ value: j.capacity.objectiveP95Ms, label: `objective p95 ${j.capacity.objectiveP95Ms} ms` }] : [];
    parts.push(lineChart({ ...axis, title: 'Load: p95 response time', unit: 'ms', windows, lines: objective, series: [{ label: 'p95 ms', points: load.map((p) => [p.timeMs, p.p95Ms]) }] }));
  }
  for (const c of j.charts.probes) {
    parts.push(lineChart({ ...axis, title: c.name, unit: '', windows, lines: toleranceLines(c), series: c.series.map((s) => ({ label: seriesLabel(s.labels), points: s.points })) }));
    const legend = c.series.length > 1 ? `<p class="legend">${c.series.map((s, i) => `<span><i style="background:var(--s${i % 6})"></i>${e(seriesLabel(s.labels))}</span>`).join('')}</p>` : '';
    parts.push(`${legend}<p class="meta"><code>${e(c.query)}</code>${c.error ? ` <span class="bad">could not be charted: ${e(c.error)}</span>` : ''}</p>`);
  }
  if (parts.length === 0) return '<p class="muted">No load and no PromQL probes: nothing to chart.</p>';
  return parts.join('');
}

export function renderReport(j: Journal): string {
  const zeroMs = j.methodStartedAtMs ?? j.startedAtMs;
  const axis = { startMs: j.startedAtMs, endMs: Math.max(j.endedAtMs, j.startedAtMs + 1000), zeroMs };
  const windows = faultWindows(j);
  const reasons = j.reasons.length > 0 ? `<ul>${j.reasons.map((r) => `<li>${e(r)}</li>`).join('')}</ul>` : '';
  const params = Object.entries(j.drill.parameters);
  const duration = ((j.endedAtMs - j.startedAtMs) / 1000).toFixed(1);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${e(j.drill.name)}: ${e(j.verdict)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<header class="banner ${e(j.verdict)}">
<div class="verdict">${e(j.verdict)}</div>
<h1>${e(j.drill.name)}</h1>
<div>${e(HEADLINES[j.verdict])}</div>
${reasons}
</header>
<p class="meta">Started ${e(new Date(j.startedAtMs).toISOString())}, ran ${duration} s. Drill file <code>${e(j.drill.file)}</code>. Journal <code>${e(j.id)}.json</code>.${params.length > 0 ? ` Parameters: ${params.map(([k, v]) => `<code>${e(k)}=${e(String(v))}</code>`).join(', ')}.` : ''}</p>
<h2>The story</h2>
<div class="story">${e(j.drill.description)}</div>
<h2>Timeline</h2>
<p class="meta">Seconds from the method's start${j.methodStartedAtMs === null ? ' (it never started: seconds from the drill\'s start)' : ''}. Fault windows are shaded in red on every chart.</p>
${timeline(timelineRows(j), axis)}
<h2>Faults</h2>
${faultsSection(j, zeroMs)}
<h2>Charts</h2>
${charts(j, axis, windows)}
<h2>Probes</h2>
${probesSection(j, zeroMs)}
<h2>Load</h2>
${loadSection(j)}
<h2>Invariants</h2>
${invariantsSection(j)}
<h2>Rollbacks</h2>
${rollbacksSection(j, zeroMs)}
<p class="meta">Written by cloudlab drill. The journal beside this file holds every number shown here.</p>
</main>
</body>
</html>
`;
}
