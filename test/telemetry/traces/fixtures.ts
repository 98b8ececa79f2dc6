/** Span builders for the trace store and Jaeger API tests. */
import type { Attributes, SpanData } from '../../../src/telemetry/model.js';

export const T0_US = 1_714_560_000_000_000; // 2024-05-01T10:40:00Z

export function resourceOf(service: string, extra: Attributes = {}): SpanData['resource'] {
  return { attributes: { 'service.name': service, ...extra } };
}

let nextId = 1;

/** A span id of 16 hex digits, unique within the test process. */
export function spanId(): string {
  return (nextId++).toString(16).padStart(16, '0');
}

/** A trace id of 32 hex digits from a small number (readable in failures). */
export function traceId(n: number): string {
  return `a${n.toString(16).padStart(31, '0')}`;
}

export function span(overrides: Partial<SpanData> & { service?: string } = {}): SpanData {
  const { service = 'cafe', ...rest } = overrides;
  return {
    traceId: traceId(1),
    spanId: spanId(),
    parentSpanId: '',
    traceState: '',
    name: 'GET /menu',
    kind: 'server',
    startUs: T0_US,
    durationUs: 1000,
    attributes: {},
    events: [],
    links: [],
    status: { code: 'unset', message: '' },
    resource: resourceOf(service),
    scope: { name: '@opentelemetry/instrumentation-http', version: '0.200.0' },
    ...rest,
  };
}

/** A clock the test moves by hand. */
export function manualClock(startMs = T0_US / 1000): { now: () => number; advance: (ms: number) => void; set: (ms: number) => void } {
  let ms = startMs;
  return {
    now: () => ms,
    advance: (by) => {
      ms += by;
    },
    set: (to) => {
      ms = to;
    },
  };
}
