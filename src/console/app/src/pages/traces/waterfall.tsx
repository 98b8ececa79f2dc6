/**
 * The waterfall: one row per span, indented under its parent, its bar offset by its start and as
 * wide as its duration, in its service's color. Enter or a click on a row shows the span's details.
 */
import { useState } from 'preact/hooks';
import { href } from '../../router.js';
import { formatUs, isErrorSpan, serviceColor } from './jaeger.js';
import type { JaegerSpan, JaegerTrace } from './jaeger.js';
import { SpanDetail } from './span-detail.js';

interface Row {
  span: JaegerSpan;
  depth: number;
  service: string;
}

/** Spans in tree order: each parent before its children, siblings by start time. */
export function orderSpans(trace: JaegerTrace): Row[] {
  const ids = new Set(trace.spans.map((s) => s.spanID));
  const children = new Map<string, JaegerSpan[]>();
  const roots: JaegerSpan[] = [];
  for (const s of trace.spans) {
    const parent = s.references.find((r) => r.refType === 'CHILD_OF' && ids.has(r.spanID))?.spanID;
    if (parent && parent !== s.spanID) children.set(parent, [...(children.get(parent) ?? []), s]);
    else roots.push(s);
  }
  const rows: Row[] = [];
  const seen = new Set<string>();
  const walk = (s: JaegerSpan, depth: number): void => {
    if (seen.has(s.spanID)) return;
    seen.add(s.spanID);
    rows.push({ span: s, depth, service: trace.processes[s.processID]?.serviceName ?? '?' });
    for (const c of (children.get(s.spanID) ?? []).sort((a, b) => a.startTime - b.startTime)) walk(c, depth + 1);
  };
  for (const r of roots.sort((a, b) => a.startTime - b.startTime)) walk(r, 0);
  return rows;
}

export function Waterfall({ trace, startUs, durationUs }: { trace: JaegerTrace; startUs: number; durationUs: number }) {
  const [open, setOpen] = useState<Set<string>>(() => new Set());
  const rows = orderSpans(trace);
  const total = Math.max(durationUs, 1);
  const toggle = (id: string): void => {
    const next = new Set(open);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setOpen(next);
  };
  return (
    <div class="waterfall">
      <div class="wf-head" aria-hidden="true">
        <span>Service and span</span>
        <span class="wf-ticks">
          {[0, 0.25, 0.5, 0.75, 1].map((f) => (
            <span style={{ left: `${f * 100}%` }}>{formatUs(total * f)}</span>
          ))}
        </span>
      </div>
      <ol class="wf-rows">
        {rows.map(({ span, depth, service }) => {
          const left = ((span.startTime - startUs) / total) * 100;
          const width = Math.max((span.duration / total) * 100, 0.3);
          const error = isErrorSpan(span);
          const expanded = open.has(span.spanID);
          return (
            <li key={span.spanID} data-testid="span-row" class={error ? 'wf-row has-error' : 'wf-row'}>
              <div class="wf-line">
                <button type="button" class="wf-toggle" aria-expanded={expanded} aria-controls={`span-${span.spanID}`} onClick={() => toggle(span.spanID)}>
                  <span class="wf-name" style={{ paddingLeft: `${depth * 14}px` }}>
                    <span class="wf-swatch" style={{ background: serviceColor(service) }} />
                    <span class="wf-service">{service}</span> <span class="wf-op">{span.operationName}</span>
                    {error ? <span class="badge bad">error</span> : null}
                  </span>
                  <span class="wf-track">
                    <span class="wf-bar" style={{ left: `${Math.min(left, 99.7)}%`, width: `${width}%`, background: error ? 'var(--bad)' : serviceColor(service) }} />
                    <span class={left + width > 80 ? 'wf-dur wf-dur-left' : 'wf-dur'} style={left + width > 80 ? { right: `${100 - left}%` } : { left: `${left + width}%` }}>
                      {formatUs(span.duration)}
                    </span>
                  </span>
                </button>
                <a class="wf-logs" href={href('logs', [], { traceId: span.traceID, spanId: span.spanID })} aria-label={`Logs of ${service} ${span.operationName}`}>
                  logs
                </a>
              </div>
              {expanded ? <SpanDetail span={span} trace={trace} traceStartUs={startUs} /> : null}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
