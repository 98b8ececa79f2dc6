/**
 * Inline SVG for the drill report: line charts over the run's time axis with fault
 * windows shaded and labelled and tolerances drawn as dashed lines, and the timeline
 * of phases and faults. Colours come from the page's CSS classes (light and dark).
 */

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export interface TimeWindow {
  fromMs: number;
  toMs: number;
  label: string;
}

export interface LineSeries {
  label: string;
  points: Array<[number, number]>;
}

export interface ChartOptions {
  title: string;
  unit: string;
  /** The time axis: epoch ms. */
  startMs: number;
  endMs: number;
  /** Where seconds on the axis count from (the method's start, else the drill's). */
  zeroMs: number;
  series: LineSeries[];
  windows: TimeWindow[];
  lines: Array<{ value: number; label: string }>;
}

const W = 760;
const H = 220;
const PAD = { left: 56, right: 16, top: 26, bottom: 30 };

const fmt = (v: number): string => {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1000) return `${Number((v / 1000).toPrecision(3))}k`;
  if (a >= 1) return String(Number(v.toPrecision(3)));
  return String(Number(v.toPrecision(2)));
};

function niceMax(max: number): number {
  if (max <= 0) return 1;
  const pow = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * pow >= max) return step * pow;
  return 10 * pow;
}

function xTicks(startMs: number, endMs: number, zeroMs: number): number[] {
  const spanS = (endMs - startMs) / 1000;
  const step = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600].find((s) => spanS / s <= 8) ?? 3600;
  const first = Math.ceil((startMs - zeroMs) / 1000 / step) * step;
  const out: number[] = [];
  for (let s = first; zeroMs + s * 1000 <= endMs; s += step) out.push(s);
  return out;
}

/** Shaded fault windows with their labels, and the time axis, shared by charts and the timeline. */
function frame(o: Pick<ChartOptions, 'startMs' | 'endMs' | 'zeroMs' | 'windows'>, x: (t: number) => number, top: number, bottom: number): string {
  const parts: string[] = [];
  o.windows.forEach((w, i) => {
    const x0 = x(Math.max(w.fromMs, o.startMs));
    const x1 = x(Math.min(Math.max(w.toMs, w.fromMs), o.endMs));
    parts.push(`<rect class="fault-window" x="${x0.toFixed(1)}" y="${top}" width="${Math.max(2, x1 - x0).toFixed(1)}" height="${bottom - top}"><title>${escapeHtml(w.label)}</title></rect>`);
    parts.push(`<text class="fault-label" x="${(x0 + 3).toFixed(1)}" y="${top + 11 + (i % 3) * 11}">${escapeHtml(w.label)}</text>`);
  });
  for (const s of xTicks(o.startMs, o.endMs, o.zeroMs)) {
    const px = x(o.zeroMs + s * 1000).toFixed(1);
    parts.push(`<line class="grid" x1="${px}" x2="${px}" y1="${top}" y2="${bottom}"/><text class="tick" x="${px}" y="${bottom + 14}" text-anchor="middle">${s}s</text>`);
  }
  return parts.join('');
}

export function lineChart(o: ChartOptions): string {
  const span = Math.max(1, o.endMs - o.startMs);
  const x = (t: number): number => PAD.left + ((t - o.startMs) / span) * (W - PAD.left - PAD.right);
  const values = [...o.series.flatMap((s) => s.points.map(([, v]) => v)), ...o.lines.map((l) => l.value)].filter(Number.isFinite);
  const yMax = niceMax(Math.max(0, ...values) * 1.05);
  const yMin = Math.min(0, ...values);
  const y = (v: number): number => H - PAD.bottom - ((v - yMin) / (yMax - yMin || 1)) * (H - PAD.top - PAD.bottom);
  const parts = [`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(o.title)}">`];
  parts.push(`<text class="chart-title" x="${PAD.left}" y="16">${escapeHtml(o.title)}${o.unit ? ` (${escapeHtml(o.unit)})` : ''}</text>`);
  parts.push(frame(o, x, PAD.top, H - PAD.bottom));
  for (const f of [0, 0.5, 1]) {
    const v = yMin + (yMax - yMin) * f;
    parts.push(`<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}"/><text class="tick" x="${PAD.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${fmt(v)}</text>`);
  }
  o.series.forEach((s, i) => {
    if (s.points.length === 0) return;
    const d = s.points.map(([t, v], j) => `${j === 0 ? 'M' : 'L'}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join('');
    parts.push(`<path class="series s${i % 6}" d="${d}"><title>${escapeHtml(s.label)}</title></path>`);
    if (s.points.length === 1) parts.push(`<circle class="dot s${i % 6}" cx="${x(s.points[0]![0]).toFixed(1)}" cy="${y(s.points[0]![1]).toFixed(1)}" r="3"/>`);
  });
  for (const l of o.lines) {
    const py = y(l.value).toFixed(1);
    parts.push(`<line class="tolerance" x1="${PAD.left}" x2="${W - PAD.right}" y1="${py}" y2="${py}"/><text class="tolerance-label" x="${W - PAD.right - 4}" y="${(Number(py) - 4).toFixed(1)}" text-anchor="end">${escapeHtml(l.label)}</text>`);
  }
  if (o.series.every((s) => s.points.length === 0)) parts.push(`<text class="tick" x="${W / 2}" y="${H / 2}" text-anchor="middle">no data in this window</text>`);
  parts.push('</svg>');
  return parts.join('');
}

export interface TimelineRow {
  label: string;
  fromMs: number;
  toMs: number;
  kind: string;
}

/** Rows of bars on the run's time axis: phases first, then each fault. */
export function timeline(rows: TimelineRow[], o: Pick<ChartOptions, 'startMs' | 'endMs' | 'zeroMs'>): string {
  const rowH = 22;
  const height = PAD.top + rows.length * rowH + PAD.bottom;
  const left = 190;
  const span = Math.max(1, o.endMs - o.startMs);
  const x = (t: number): number => left + ((t - o.startMs) / span) * (W - left - PAD.right);
  const parts = [`<svg class="chart timeline" viewBox="0 0 ${W} ${height}" role="img" aria-label="timeline of phases and faults">`];
  parts.push(frame({ ...o, windows: [] }, x, PAD.top - 6, height - PAD.bottom));
  rows.forEach((r, i) => {
    const top = PAD.top + i * rowH;
    const x0 = x(Math.max(r.fromMs, o.startMs));
    const x1 = x(Math.min(Math.max(r.toMs, r.fromMs), o.endMs));
    parts.push(`<text class="row-label" x="${left - 8}" y="${top + 14}" text-anchor="end">${escapeHtml(r.label.length > 30 ? `${r.label.slice(0, 29)}…` : r.label)}</text>`);
    parts.push(`<rect class="bar ${escapeHtml(r.kind)}" x="${x0.toFixed(1)}" y="${top + 3}" width="${Math.max(3, x1 - x0).toFixed(1)}" height="${rowH - 6}" rx="3"><title>${escapeHtml(`${r.label}: ${((r.fromMs - o.zeroMs) / 1000).toFixed(1)}s to ${((r.toMs - o.zeroMs) / 1000).toFixed(1)}s`)}</title></rect>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
