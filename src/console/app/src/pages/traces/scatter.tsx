/**
 * The results scatter plot: one point per trace, its duration over its start time, errors in red.
 * A click on a point opens that trace; the line under the plot names the point nearest the cursor
 * (or the one with the keyboard focus). For the keyboard, ScatterKeys lays a button over each point.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { TIME_INCRS, TIME_TICK_SPACE, timeAxisValues } from '../../time-axis.js';
import { formatTime, formatUs } from './jaeger.js';
import type { TraceSummary } from './jaeger.js';
import { ScatterKeys } from './scatter-keys.js';
import type { PlacedPoint } from './scatter-keys.js';

export interface ScatterProps {
  traces: TraceSummary[];
  onOpen: (traceId: string) => void;
  /** The searched window, [start, end] in seconds: the x axis spans it. */
  windowS?: [number, number] | undefined;
}

const cssVar = (name: string, fallback: string): string => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;

/** The trace whose point is nearest (in CSS pixels, within 24 px) to the cursor. */
function nearest(u: uPlot, sorted: TraceSummary[]): TraceSummary | null {
  const { left, top } = u.cursor;
  if (left === undefined || top === undefined || left < 0) return null;
  let best: TraceSummary | null = null;
  let bestD = 24 * 24;
  for (const t of sorted) {
    const dx = u.valToPos(t.startUs / 1e6, 'x') - left;
    const dy = u.valToPos(t.durationUs / 1000, 'y') - top;
    const d = dx * dx + dy * dy;
    if (d < bestD) [best, bestD] = [t, d];
  }
  return best;
}

/** Where each point is drawn, in CSS pixels from the top left of `box`; points off the plot are left out. */
function place(u: uPlot, sorted: TraceSummary[], box: HTMLElement): PlacedPoint[] {
  const over = u.over.getBoundingClientRect();
  const outer = box.getBoundingClientRect();
  const placed: PlacedPoint[] = [];
  for (const trace of sorted) {
    const x = u.valToPos(trace.startUs / 1e6, 'x');
    const y = u.valToPos(trace.durationUs / 1000, 'y');
    if (!(x >= 0 && x <= over.width && y >= 0 && y <= over.height)) continue;
    placed.push({ trace, x: Math.round(over.left - outer.left + x), y: Math.round(over.top - outer.top + y) });
  }
  return placed;
}

const samePlaces = (a: PlacedPoint[], b: PlacedPoint[]): boolean =>
  a.length === b.length && a.every((p, i) => p.trace === b[i]!.trace && p.x === b[i]!.x && p.y === b[i]!.y);

export function Scatter({ traces, onOpen, windowS }: ScatterProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const sorted = useRef<TraceSummary[]>([]);
  const open = useRef(onOpen);
  open.current = onOpen;
  const xRange = useRef(windowS);
  xRange.current = windowS;
  const [hover, setHover] = useState<TraceSummary | null>(null);
  const [focused, setFocused] = useState<TraceSummary | null>(null);
  const [placed, setPlaced] = useState<PlacedPoint[]>([]);
  const hasData = traces.length > 0;

  useEffect(() => {
    if (!host.current || !hasData) return undefined;
    const el = host.current;
    const axis = (): uPlot.Axis => ({ stroke: () => cssVar('--muted', '#5d6670'), grid: { stroke: () => cssVar('--line', '#d9dee3'), width: 1 }, ticks: { stroke: () => cssVar('--line', '#d9dee3'), width: 1 } });
    const points = (color: () => string) => ({ show: true, size: 7, space: 0, width: 1, stroke: color, fill: color });
    const opts: uPlot.Options = {
      width: el.clientWidth || 800,
      height: 220,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      scales: { x: { time: true, range: (_u, min, max) => xRange.current ?? [min, max] }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      axes: [{ ...axis(), space: TIME_TICK_SPACE, incrs: TIME_INCRS, values: timeAxisValues }, { ...axis(), size: 70, values: (_u, ticks) => ticks.map((t) => `${t} ms`) }],
      series: [
        {},
        { label: 'ok', paths: () => null, points: points(() => cssVar('--accent', '#2f7ed8')) },
        { label: 'error', paths: () => null, points: points(() => cssVar('--bad', '#c62828')) },
      ],
      hooks: {
        setCursor: [(u) => setHover(nearest(u, sorted.current))],
        // After every redraw (new data, a resize): move the keyboard's buttons onto the points.
        draw: [(u) => setPlaced((prev) => {
          const next = place(u, sorted.current, el);
          return samePlaces(prev, next) ? prev : next;
        })],
      },
    };
    const u = new uPlot(opts, [[], [], []], el);
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: el.clientWidth, height: 220 }));
    resize.observe(el);
    const onClick = (): void => {
      const t = nearest(u, sorted.current);
      if (t) open.current(t.traceID);
    };
    u.over.addEventListener('click', onClick);
    u.over.style.cursor = 'pointer';
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [hasData]);

  useEffect(() => {
    sorted.current = [...traces].sort((a, b) => a.startUs - b.startUs);
    const xs = sorted.current.map((t) => t.startUs / 1e6);
    const ok = sorted.current.map((t) => (t.errorCount ? null : t.durationUs / 1000));
    const bad = sorted.current.map((t) => (t.errorCount ? t.durationUs / 1000 : null));
    plot.current?.setData([xs, ok, bad]);
  }, [traces, hasData]);

  const shown = focused ?? hover;

  return (
    <figure class="chart trace-scatter" data-testid="trace-scatter">
      <figcaption>
        Duration over time <span class="muted">({traces.length} traces; <span class="dot ok" /> ok, <span class="dot bad" /> error; click a point to open it, or Tab to the plot: the arrow keys move, Enter opens)</span>
      </figcaption>
      {hasData ? (
        <div class="plot-box">
          <div ref={host} class="plot" />
          <ScatterKeys points={placed} onOpen={(id) => open.current(id)} onFocusPoint={setFocused} />
        </div>
      ) : (
        <p class="empty">No traces to plot.</p>
      )}
      <p class="muted hover-line" aria-hidden="true">
        {shown ? `${shown.rootService}: ${shown.rootName} · ${formatUs(shown.durationUs)} · ${formatTime(shown.startUs)}${shown.errorCount ? ` · ${shown.errorCount} error span(s)` : ''}` : '\u00a0'}
      </p>
    </figure>
  );
}
