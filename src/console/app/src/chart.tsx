/**
 * A live time-series chart on uPlot: series from PromQL range results, a hover cursor
 * shared by every chart on the page (uPlot's cursor sync), and markers where a fault
 * was injected or removed, or load started or stopped.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { LabEvent, PromSeries } from './api.js';
import { TIME_INCRS, TIME_TICK_SPACE, timeAxisValues } from './time-axis.js';
import { useTimeRange } from './time-range.js';

export interface ChartSeries {
  label: string;
  /** [seconds, value] pairs. */
  points: Array<[number, number]>;
}

export interface ChartProps {
  title: string;
  series: ChartSeries[];
  unit?: 'ms' | 's' | '%' | 'req/s' | '' | undefined;
  events?: LabEvent[] | undefined;
  /** Shown instead of an empty plot. */
  empty?: string | undefined;
  height?: number | undefined;
  /** 'range' (default): the x axis spans the time range picker's window, ending now; 'data': it fits the points. */
  window?: 'range' | 'data' | undefined;
  /** Called with the time (seconds) of a click on the plot. */
  onPick?: ((timeS: number, seriesLabel: string | null) => void) | undefined;
}

const COLORS = ['#2f7ed8', '#e4572e', '#29a329', '#a05ec4', '#f0a202', '#17becf', '#8c564b', '#d62790'];

/** One colour per series label for the whole page, so `/orders` is the same colour on every chart. */
const assigned = new Map<string, string>();
function colorFor(label: string): string {
  let color = assigned.get(label);
  if (color === undefined) {
    color = COLORS[assigned.size % COLORS.length]!;
    assigned.set(label, color);
  }
  return color;
}

export function fromProm(result: PromSeries[], label: (metric: Record<string, string>) => string, scale = 1): ChartSeries[] {
  return result.map((s) => ({ label: label(s.metric), points: s.values.map(([t, v]) => [t, Number(v) * scale] as [number, number]).filter(([, v]) => Number.isFinite(v)) }));
}

function format(value: number | null, unit: ChartProps['unit']): string {
  if (value === null || !Number.isFinite(value)) return '–';
  const n = Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);
  return unit ? `${n} ${unit}` : n;
}

function markersPlugin(events: () => LabEvent[]): uPlot.Plugin {
  return {
    hooks: {
      draw: [
        (u: uPlot) => {
          const ctx = u.ctx;
          const { top, height } = u.bbox;
          for (const e of events()) {
            const x = u.valToPos(e.timeMs / 1000, 'x', true);
            if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
            ctx.save();
            ctx.strokeStyle = e.kind === 'fault' ? (e.action.startsWith('remove') || e.action === 'reset' || e.action === 'expire' ? '#29a329' : '#e4572e') : '#888';
            ctx.setLineDash([4, 4]);
            ctx.lineWidth = 1.5 * devicePixelRatio;
            ctx.beginPath();
            ctx.moveTo(x, top);
            ctx.lineTo(x, top + height);
            ctx.stroke();
            ctx.restore();
          }
        },
      ],
    },
  };
}

export function Chart(props: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  // Read by the x scale on every redraw, so a plot follows the picker without being rebuilt.
  const minutes = useRef(5);
  minutes.current = useTimeRange().minutes;
  const plot = useRef<uPlot | null>(null);
  const events = useRef<LabEvent[]>([]);
  events.current = props.events ?? [];
  const labels = props.series.map((s) => s.label).join('\u0000');
  const hasData = props.series.some((s) => s.points.length > 0);
  // A theme change re-renders every page; a new plot picks up the new colours.
  const theme = document.documentElement.dataset['theme'] ?? 'auto';

  useEffect(() => {
    if (!host.current || !hasData) return undefined;
    const width = host.current.clientWidth || 600;
    // Canvas text cannot use CSS variables: read the theme's colours when the plot is made.
    const css = getComputedStyle(document.documentElement);
    const fg = css.getPropertyValue('--fg').trim() || '#1b1f24';
    const line = css.getPropertyValue('--line').trim() || '#d9dee3';
    const axis = { stroke: fg, grid: { stroke: line, width: 1 }, ticks: { stroke: line, width: 1 } };
    const opts: uPlot.Options = {
      width,
      height: props.height ?? 180,
      cursor: { sync: { key: 'lab' } },
      legend: { live: true },
      // A fixed window: a series with one point would otherwise stretch the axis over years.
      scales: { x: props.window === 'data' ? { time: true } : { time: true, range: () => [Date.now() / 1000 - minutes.current * 60, Date.now() / 1000] } },
      axes: [{ ...axis, space: TIME_TICK_SPACE, incrs: TIME_INCRS, values: timeAxisValues }, { ...axis, values: (_u, ticks) => ticks.map((t) => format(t, props.unit)), size: 84 }],
      series: [{}, ...props.series.map((s) => ({ label: s.label, stroke: colorFor(s.label), width: 1.5, value: (_u: uPlot, v: number | null) => format(v, props.unit) }))],
      plugins: [markersPlugin(() => events.current)],
    };
    const u = new uPlot(opts, [[]], host.current);
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: host.current?.clientWidth ?? width, height: props.height ?? 180 }));
    resize.observe(host.current);
    const onClick = (): void => {
      const idx = u.cursor.idx;
      if (idx === null || idx === undefined || !props.onPick) return;
      const t = u.data[0][idx];
      if (t !== undefined) props.onPick(t, null);
    };
    u.over.addEventListener('click', onClick);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
    // A new set of series (labels) needs a new plot; new points only new data.
  }, [labels, hasData, props.unit, theme]);

  useEffect(() => {
    if (!plot.current) return;
    const tables = props.series.map((s) => [s.points.map((p) => p[0]), s.points.map((p) => p[1])] as uPlot.AlignedData);
    const data = tables.length === 1 ? tables[0]! : uPlot.join(tables);
    plot.current.setData(data);
  });

  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      {hasData ? <div ref={host} class="plot" /> : <p class="empty">{props.empty ?? 'No data in this time range yet.'}</p>}
    </figure>
  );
}
