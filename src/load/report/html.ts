/**
 * The self-contained HTML report: inline CSS and inline SVG charts, no script and no
 * external file, so it opens from a CI artifact or an email as it is.
 */
import type { RunSummary } from '../types.js';
import { escapeHtml, svgLineChart } from './svg-chart.js';
import { ERROR_KINDS, errorsText, ms, percent } from './format.js';

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1340px;color:#1d2330;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}.muted{color:#667}
.charts{display:flex;flex-wrap:wrap;gap:16px}.chart{background:#fafbfc;border:1px solid #e3e6ea;border-radius:6px}
.chart .title{font-size:13px;font-weight:600;fill:#1d2330}.chart .tick{font-size:11px;fill:#667}.chart .grid{stroke:#e3e6ea}
table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #e3e6ea;text-align:right}td:first-child,th:first-child{text-align:left}
.pass{color:#1a7f37;font-weight:600}.fail{color:#cf222e;font-weight:600}.kpi{display:flex;gap:24px;flex-wrap:wrap}.kpi div{font-size:20px;font-weight:600}.kpi span{display:block;font-size:12px;color:#667;font-weight:400}`;

const ERROR_COLORS: Record<string, string> = { connect: '#e4572e', timeout: '#f0a202', reset: '#a05ec4', http_4xx: '#17becf', http_5xx: '#d62790', check: '#8c564b', dropped: '#555', other: '#29a329' };

function charts(summary: RunSummary): string {
  const at = <T>(f: (i: RunSummary['intervals'][number]) => T): Array<[number, T]> => summary.intervals.map((i) => [i.second, f(i)]);
  const kinds = ERROR_KINDS.filter((k) => summary.intervals.some((i) => (i.errors[k] ?? 0) > 0));
  return [
    svgLineChart({ title: 'Users', unit: '', series: [{ label: 'users', color: '#2f7ed8', points: at((i) => i.users) }] }),
    svgLineChart({ title: 'Requests per second', unit: 'req/s', series: [{ label: 'req/s', color: '#29a329', points: at((i) => i.requests) }] }),
    svgLineChart({
      title: 'Response time',
      unit: 'ms',
      series: [
        { label: 'p50', color: '#2f7ed8', points: at((i) => i.p50) },
        { label: 'p95', color: '#f0a202', points: at((i) => i.p95) },
        { label: 'p99', color: '#e4572e', points: at((i) => i.p99) },
      ],
    }),
    svgLineChart({ title: 'Errors by kind', unit: 'per s', series: kinds.map((k) => ({ label: k, color: ERROR_COLORS[k] ?? '#888', points: at((i) => i.errors[k] ?? 0) })) }),
  ].join('\n');
}

function row(cells: Array<string | number>, tag = 'td'): string {
  return `<tr>${cells.map((c) => `<${tag}>${escapeHtml(String(c))}</${tag}>`).join('')}</tr>`;
}

export function renderHtml(summary: RunSummary): string {
  const started = new Date(summary.startedAtMs).toISOString();
  const passed = summary.thresholds.every((t) => t.passed);
  const verdicts = summary.thresholds.length === 0
    ? '<p class="muted">No thresholds in this scenario.</p>'
    : `<table>${row(['verdict', 'metric', 'threshold', 'actual'], 'th')}${summary.thresholds
      .map((t) => `<tr><td class="${t.passed ? 'pass' : 'fail'}">${t.passed ? 'pass' : 'FAIL'}</td><td>${escapeHtml(t.metric)}</td><td>${escapeHtml(t.threshold)}</td><td>${Number(t.actual.toFixed(4))}</td></tr>`)
      .join('')}</table>`;
  const latency = (name: string, l: RunSummary['responseTime']): string => row([name, l.count, ms(l.min), ms(l.mean), ms(l.p50), ms(l.p90), ms(l.p95), ms(l.p99), ms(l.p999), ms(l.max)]);
  const env = summary.environment;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>cloudlab load: ${escapeHtml(summary.scenario)}</title><style>${CSS}</style></head>
<body>
<h1>${escapeHtml(summary.scenario)} <span class="${passed ? 'pass' : 'fail'}">${summary.thresholds.length === 0 ? '' : passed ? 'passed' : 'thresholds failed'}</span></h1>
<p class="muted">${escapeHtml(summary.target)} · ${summary.model} model · started ${started} · ${(summary.durationMs / 1000).toFixed(1)} s${summary.interrupted ? ' · interrupted' : ''}</p>
<div class="kpi"><div>${summary.requests}<span>requests</span></div><div>${summary.requestsPerSecond.toFixed(1)}<span>requests/s</span></div>
<div>${ms(summary.responseTime.p95)}<span>p95 response time</span></div><div>${ms(summary.responseTime.p99)}<span>p99 response time</span></div>
<div>${percent(summary.errorRatio)}<span>errors (${escapeHtml(errorsText(summary.errors))})</span></div></div>
<h2>Thresholds</h2>
${verdicts}
<h2>Over time</h2>
<div class="charts">
${charts(summary)}
</div>
<h2>Latency</h2>
<table>${row(['', 'count', 'min', 'mean', 'p50', 'p90', 'p95', 'p99', 'p99.9', 'max'], 'th')}${latency('response time (what users wait)', summary.responseTime)}${latency('service time (what the server takes)', summary.serviceTime)}</table>
<h2>Tasks</h2>
<table>${row(['task', 'requests', 'errors', 'p50', 'p95', 'p99', 'max', 'service p99'], 'th')}${summary.tasks
    .map((t) => row([t.name, t.requests, errorsText(t.errors), ms(t.responseTime.p50), ms(t.responseTime.p95), ms(t.responseTime.p99), ms(t.responseTime.max), ms(t.serviceTime.p99)]))
    .join('')}</table>
<h2>Environment</h2>
<table>${row(['node', env.node])}${row(['os', env.os])}${row(['cpus', env.cpus])}${row(['workers', env.workers])}${row(['cloudlab', env.cloudlabVersion])}</table>
</body></html>
`;
}
