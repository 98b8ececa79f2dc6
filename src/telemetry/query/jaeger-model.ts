/**
 * Stored spans in jaeger-query's JSON (model/json/model.go), converted the way Jaeger
 * converts OTLP (opentelemetry-collector-contrib pkg/translator/jaeger) and then
 * adjusts it for display (model/adjuster: tags and log fields sorted, `event` first):
 * - resource: process `serviceName` from `service.name`, the other attributes as the
 *   process's tags; equal processes share one id (`p1`, `p2`, ... in span order);
 * - kind, status and scope: tags `span.kind`, `otel.status_code`, `error`,
 *   `otel.status_description`, `otel.scope.name`, `otel.scope.version`;
 * - parent: the first reference, `CHILD_OF`; links: `FOLLOWS_FROM` references after it;
 * - events: logs, the event's name in the field `event`.
 */
import type { AttributeValue, Attributes, Resource } from '../model.js';
import type { StoredTrace } from '../traces/trace-store.js';
import { FIELD_EVENT, derivedTags, serviceOf } from '../traces/span-tags.js';

export interface JaegerKeyValue {
  key: string;
  type: 'string' | 'bool' | 'int64' | 'float64';
  value: string | number | boolean;
}

export interface JaegerReference {
  refType: 'CHILD_OF' | 'FOLLOWS_FROM';
  traceID: string;
  spanID: string;
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  flags: number;
  operationName: string;
  references: JaegerReference[];
  startTime: number;
  duration: number;
  tags: JaegerKeyValue[];
  logs: { timestamp: number; fields: JaegerKeyValue[] }[];
  processID: string;
  warnings: string[] | null;
}

export interface JaegerProcess {
  serviceName: string;
  tags: JaegerKeyValue[];
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, JaegerProcess>;
  warnings: string[] | null;
}

/** Flags of a sampled span (W3C trace flags): every span an SDK exports was sampled. */
const SAMPLED = 1;

/** Jaeger prints a 128-bit id with a zero high half as 16 digits (model.TraceID.String). */
export function jaegerTraceId(traceId: string): string {
  return traceId.length === 32 && traceId.startsWith('0000000000000000') ? traceId.slice(16) : traceId;
}

export function keyValue(key: string, value: AttributeValue): JaegerKeyValue {
  if (typeof value === 'string') return { key, type: 'string', value };
  if (typeof value === 'boolean') return { key, type: 'bool', value };
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return { key, type: 'int64', value };
    // NaN and infinities are not JSON numbers; Go would print them as text too.
    return Number.isFinite(value) ? { key, type: 'float64', value } : { key, type: 'string', value: String(value) };
  }
  // Arrays and maps: a JSON string, as the translator's AsString does.
  return { key, type: 'string', value: JSON.stringify(value) };
}

function byKey(a: JaegerKeyValue, b: JaegerKeyValue): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function tagsOf(attributes: Attributes, skip?: (key: string) => boolean): JaegerKeyValue[] {
  const tags: JaegerKeyValue[] = [];
  for (const key in attributes) if (skip === undefined || !skip(key)) tags.push(keyValue(key, attributes[key] ?? null));
  return tags;
}

function processOf(resource: Resource): JaegerProcess {
  return { serviceName: serviceOf(resource), tags: tagsOf(resource.attributes, (key) => key === 'service.name').sort(byKey) };
}

/** One trace in jaeger-query's JSON. */
export function toJaegerTrace(trace: StoredTrace): JaegerTrace {
  const processIds = new Map<Resource, string>();
  const processKeys = new Map<string, string>();
  const processes: Record<string, JaegerProcess> = {};
  const spans: JaegerSpan[] = [];

  for (const span of trace.spans) {
    let processID = processIds.get(span.resource);
    if (processID === undefined) {
      const process = processOf(span.resource);
      const key = JSON.stringify(process);
      processID = processKeys.get(key);
      if (processID === undefined) {
        processID = `p${processKeys.size + 1}`;
        processKeys.set(key, processID);
        processes[processID] = process;
      }
      processIds.set(span.resource, processID);
    }

    const traceID = jaegerTraceId(span.traceId);
    const references: JaegerReference[] = [];
    if (span.parentSpanId !== '') references.push({ refType: 'CHILD_OF', traceID, spanID: span.parentSpanId });
    for (const link of span.links) references.push({ refType: 'FOLLOWS_FROM', traceID: jaegerTraceId(link.traceId), spanID: link.spanId });

    const tags = tagsOf(span.attributes);
    for (const [key, value] of derivedTags(span)) tags.push(keyValue(key, value));
    tags.sort(byKey);

    const logs = span.events.map((event) => {
      const fields = tagsOf(event.attributes).sort(byKey);
      if (event.name !== '' && !Object.hasOwn(event.attributes, FIELD_EVENT)) fields.unshift(keyValue(FIELD_EVENT, event.name));
      else {
        const at = fields.findIndex((f) => f.key === FIELD_EVENT && f.type === 'string');
        if (at > 0) fields.unshift(...fields.splice(at, 1));
      }
      return { timestamp: event.timeUs, fields };
    });

    spans.push({
      traceID,
      spanID: span.spanId,
      flags: SAMPLED,
      operationName: span.name,
      references,
      startTime: span.startUs,
      duration: span.durationUs,
      tags,
      logs,
      processID,
      warnings: null,
    });
  }
  return { traceID: jaegerTraceId(trace.traceId), spans, processes, warnings: null };
}
