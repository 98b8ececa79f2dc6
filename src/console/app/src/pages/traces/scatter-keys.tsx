/**
 * The scatter plot for the keyboard: one button per point, over the point, in one tab stop
 * (roving focus). The arrow keys move between the points in time order (Home, End: the first
 * and the last), Enter or Space opens the trace. Each button is named for its trace: service,
 * operation, duration, time, errors. The buttons let the mouse through to the plot.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatTime, formatUs } from './jaeger.js';
import type { TraceSummary } from './jaeger.js';

export interface PlacedPoint {
  trace: TraceSummary;
  /** CSS pixels from the top left of the plot's box. */
  x: number;
  y: number;
}

export interface ScatterKeysProps {
  /** In time order. */
  points: PlacedPoint[];
  onOpen: (traceId: string) => void;
  /** The point with the focus, or null when none has it. */
  onFocusPoint: (trace: TraceSummary | null) => void;
}

export function pointName(t: TraceSummary): string {
  return `${t.rootService} ${t.rootName}, ${formatUs(t.durationUs)}, at ${formatTime(t.startUs)}${t.errorCount ? `, ${t.errorCount} error span${t.errorCount > 1 ? 's' : ''}` : ''}`;
}

const MOVES: Record<string, (i: number, last: number) => number> = {
  ArrowRight: (i, last) => Math.min(last, i + 1),
  ArrowDown: (i, last) => Math.min(last, i + 1),
  ArrowLeft: (i) => Math.max(0, i - 1),
  ArrowUp: (i) => Math.max(0, i - 1),
  Home: () => 0,
  End: (_i, last) => last,
};

export function ScatterKeys({ points, onOpen, onFocusPoint }: ScatterKeysProps) {
  const group = useRef<HTMLDivElement>(null);
  // The tab stop: a trace id, so that it stays on its point when the results refresh.
  const [current, setCurrent] = useState<string | null>(null);
  // Until one has had the focus: the newest point.
  const stop = points.some((p) => p.trace.traceID === current) ? current : points[points.length - 1]?.trace.traceID;
  /** The point with the focus: when the results refresh without it, the focus moves to the next in time. */
  const focused = useRef<TraceSummary | null>(null);

  useEffect(() => {
    const lost = focused.current;
    if (!lost || points.some((p) => p.trace.traceID === lost.traceID)) return;
    // Only when the focus went with the removed button, not when it has moved elsewhere.
    if (document.activeElement && document.activeElement !== document.body) return;
    const next = points.find((p) => p.trace.startUs >= lost.startUs) ?? points[points.length - 1];
    focused.current = null;
    if (!next) return;
    setCurrent(next.trace.traceID);
    group.current?.querySelector<HTMLButtonElement>(`[data-trace-id="${next.trace.traceID}"]`)?.focus();
  }, [points]);

  const onKeyDown = (e: KeyboardEvent, i: number): void => {
    const move = MOVES[e.key];
    if (!move) return;
    e.preventDefault();
    const next = points[move(i, points.length - 1)];
    if (!next) return;
    setCurrent(next.trace.traceID);
    group.current?.querySelector<HTMLButtonElement>(`[data-trace-id="${next.trace.traceID}"]`)?.focus();
  };

  return (
    <div ref={group} class="scatter-keys" role="group" aria-label="Traces on the plot: arrow keys move between them, Enter opens one" data-testid="scatter-points">
      {points.map((p, i) => (
        <button
          key={p.trace.traceID}
          type="button"
          class={`scatter-point${p.trace.errorCount ? ' bad' : ''}`}
          style={{ left: `${p.x}px`, top: `${p.y}px` }}
          tabIndex={p.trace.traceID === stop ? 0 : -1}
          data-trace-id={p.trace.traceID}
          aria-label={pointName(p.trace)}
          onKeyDown={(e) => onKeyDown(e, i)}
          onFocus={() => {
            focused.current = p.trace;
            setCurrent(p.trace.traceID);
            onFocusPoint(p.trace);
          }}
          onBlur={(e) => {
            // A button removed with the focus may blur without a next target: keep it to move the focus on.
            if (e.relatedTarget) focused.current = null;
            onFocusPoint(null);
          }}
          onClick={() => onOpen(p.trace.traceID)}
        />
      ))}
    </div>
  );
}
