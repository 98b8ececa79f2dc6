/**
 * ExportTraceServiceRequest (decoded from protobuf or parsed from JSON) -> SpanData.
 * A span with an invalid trace or span id, or an end before its start, is refused
 * and counted, as OTLP partial success asks; a wrong JSON type fails the request.
 */
import { SPAN_KINDS } from '../model.js';
import type { Decoded, Resource, Scope, SpanData, SpanEvent, SpanLink, StatusCode } from '../model.js';
import { emptyDecoded, reject, walk } from './convert-common.js';
import { ShapeError, attributes, enumNames, idProblem, int, isRecord, list, readId, readTime, record, str, time } from './wire.js';
import type { Rec } from './wire.js';

const KIND_NAMES = enumNames('SPAN_KIND_', SPAN_KINDS.map((k) => k.toUpperCase()));
const STATUS_NAMES = enumNames('STATUS_CODE_', ['UNSET', 'OK', 'ERROR']);
const STATUS_CODES: readonly StatusCode[] = ['unset', 'ok', 'error'];
// Shared and frozen: most spans have none, and a store must not mutate what it got.
const NO_EVENTS = Object.freeze([]) as unknown as SpanEvent[];
const NO_LINKS = Object.freeze([]) as unknown as SpanLink[];

const LEVELS = { top: 'resourceSpans', resource: 'resource', scope: 'scopeSpans', item: 'spans' };

export function convertTraces(request: unknown): Decoded<SpanData> {
  const out = emptyDecoded<SpanData>();
  walk(request, LEVELS, (span, resource, scope, at) => {
    const result = toSpan(span, resource, scope);
    if (typeof result === 'string') reject(out, 1, at(), result);
    else out.items.push(result);
  });
  return out;
}

/** One span, or the reason it is refused. */
function toSpan(span: Rec, resource: Resource, scope: Scope): SpanData | string {
  const traceId = readId(span.traceId, 16, 'traceId');
  if (traceId === undefined) return idProblem;
  if (traceId === '') return 'traceId must be 16 bytes, not all zero, received none';
  const spanId = readId(span.spanId, 8, 'spanId');
  if (spanId === undefined) return idProblem;
  if (spanId === '') return 'spanId must be 8 bytes, not all zero, received none';
  const parentSpanId = readId(span.parentSpanId, 8, 'parentSpanId');
  if (parentSpanId === undefined) return idProblem;

  readTime(span.startTimeUnixNano, 'startTimeUnixNano');
  const startUs = time.us;
  const startNs = time.ns;
  if (startUs === 0 && startNs === 0) return 'startTimeUnixNano must be set, received 0';
  readTime(span.endTimeUnixNano, 'endTimeUnixNano');
  // floor((end - start) / 1000) in integers: microseconds, less one if the nanosecond
  // remainders borrow.
  const durationUs = time.us - startUs - (time.ns < startNs ? 1 : 0);
  if (durationUs < 0) return 'endTimeUnixNano must not be before startTimeUnixNano';

  const kindNumber = int(span.kind, 'kind', KIND_NAMES);
  const status = record(span.status, 'status');
  const code = status === undefined ? 0 : int(status.code, 'status.code', STATUS_NAMES);

  let events = NO_EVENTS;
  const rawEvents = list(span.events, 'events');
  if (rawEvents.length > 0) {
    events = new Array<SpanEvent>(rawEvents.length);
    for (let i = 0; i < rawEvents.length; i++) {
      const e = rawEvents[i];
      if (!isRecord(e)) throw new ShapeError(`events[${i}]`, 'an object', e);
      readTime(e.timeUnixNano, `events[${i}].timeUnixNano`);
      events[i] = { timeUs: time.us, name: str(e.name, `events[${i}].name`), attributes: attributes(e.attributes, `events[${i}].attributes`) };
    }
  }

  let links = NO_LINKS;
  const rawLinks = list(span.links, 'links');
  if (rawLinks.length > 0) {
    links = new Array<SpanLink>(rawLinks.length);
    for (let i = 0; i < rawLinks.length; i++) {
      const l = rawLinks[i];
      if (!isRecord(l)) throw new ShapeError(`links[${i}]`, 'an object', l);
      const linkTrace = readId(l.traceId, 16, `links[${i}].traceId`);
      const linkSpan = readId(l.spanId, 8, `links[${i}].spanId`);
      if (linkTrace === undefined || linkSpan === undefined) return idProblem;
      if (linkTrace === '' || linkSpan === '') return `links[${i}] must name a trace and a span, not all-zero ids`;
      links[i] = { traceId: linkTrace, spanId: linkSpan, attributes: attributes(l.attributes, `links[${i}].attributes`) };
    }
  }

  return {
    traceId,
    spanId,
    parentSpanId,
    traceState: str(span.traceState, 'traceState'),
    name: str(span.name, 'name'),
    kind: SPAN_KINDS[kindNumber] ?? 'unspecified',
    startUs,
    durationUs,
    attributes: attributes(span.attributes, 'attributes'),
    events,
    links,
    status: { code: STATUS_CODES[code] ?? 'unset', message: status === undefined ? '' : str(status.message, 'status.message') },
    resource,
    scope,
  };
}
