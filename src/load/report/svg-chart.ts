/**
 * Small inline SVG line charts for the HTML report: no script, no external file.
 * Each series is a polyline over the run's seconds, with a y axis of four ticks.
 */
export interface SvgSeries {
  label: string;
  color: string;
  /** One value per x (seconds). */
  points: Array<[number, number]>;
}

export interface SvgChartOptions {
  title: string;
  unit: string;
  series: SvgSeries[];
  width?: number;
  height?: number;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function niceMax(max: number): number {
  if (max <= 0) return 1;
  const step = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * step >= max) return m * step;
  return 10 * step;
}

function label(value: number): string {
  if (value >= 1000) return `${Number((value / 1000).toFixed(1))}k`;
  return String(Number(value.toFixed(2)));
}

/** An SVG line chart (as text) of the series over seconds. */
export function svgLineChart(options: SvgChartOptions): string {
  const width = options.width ?? 640;
  const height = options.height ?? 200;
  const left = 48;
  const right = 12;
  const top = 24;
  const bottom = 24;
  const xs = options.series.flatMap((s) => s.points.map(([x]) => x));
  const ys = options.series.flatMap((s) => s.points.map(([, y]) => y)).filter(Number.isFinite);
  const xMin = xs.length > 0 ? Math.min(...xs) : 0;
  const xMax = xs.length > 0 ? Math.max(...xs, xMin + 1) : 1;
  const yMax = niceMax(ys.length > 0 ? Math.max(...ys) : 0);
  const px = (x: number): number => left + ((x - xMin) / (xMax - xMin)) * (width - left - right);
  const py = (y: number): number => top + (1 - y / yMax) * (height - top - bottom);
  const parts: string[] = [
    `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(options.title)}">`,
    `<text x="${left}" y="14" class="title">${escapeHtml(options.title)}${options.unit ? ` (${escapeHtml(options.unit)})` : ''}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const y = (yMax * i) / 4;
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${py(y).toFixed(1)}" y2="${py(y).toFixed(1)}" class="grid"/>`);
    parts.push(`<text x="${left - 4}" y="${(py(y) + 4).toFixed(1)}" text-anchor="end" class="tick">${label(y)}</text>`);
  }
  parts.push(`<text x="${left}" y="${height - 6}" class="tick">${label(xMin)}s</text>`);
  parts.push(`<text x="${width - right}" y="${height - 6}" text-anchor="end" class="tick">${label(xMax)}s</text>`);
  if (ys.length === 0) parts.push(`<text x="${width / 2}" y="${height / 2}" text-anchor="middle" class="tick">no data</text>`);
  options.series.forEach((s, i) => {
    const points = s.points.filter(([, y]) => Number.isFinite(y)).map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`);
    if (points.length === 1) points.push(points[0]!);
    if (points.length > 0) parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${points.join(' ')}"><title>${escapeHtml(s.label)}</title></polyline>`);
    parts.push(`<rect x="${left + 8 + i * 110}" y="${top - 2}" width="10" height="3" fill="${s.color}"/><text x="${left + 22 + i * 110}" y="${top + 2}" class="tick">${escapeHtml(s.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
