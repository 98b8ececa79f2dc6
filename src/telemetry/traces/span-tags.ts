/**
 * The tags a span carries in Jaeger's model, as Jaeger's OTLP ingest derives them
 * (opentelemetry-collector-contrib pkg/translator/jaeger): the span's attributes plus
 * `span.kind`, `otel.status_code`, `otel.status_description`, `error`,
 * `otel.scope.name`, `otel.scope.version` and `w3c.tracestate`; the resource's
 * attributes become the process's tags, `service.name` its service name.
 *
 * Tag search and the Jaeger query API both read them from here, so what a search
 * matches is what the API shows.
 */
import type { AttributeValue, Resource, SpanData } from '../model.js';

/** Jaeger's service name for a resource without `service.name`. */
export const NO_SERVICE_NAME = 'OTLPResourceNoServiceName';

export const TAG_SPAN_KIND = 'span.kind';
export const TAG_STATUS_CODE = 'otel.status_code';
export const TAG_STATUS_DESCRIPTION = 'otel.status_description';
export const TAG_ERROR = 'error';
export const TAG_SCOPE_NAME = 'otel.scope.name';
export const TAG_SCOPE_VERSION = 'otel.scope.version';
export const TAG_TRACE_STATE = 'w3c.tracestate';
/** The log field holding a span event's name. */
export const FIELD_EVENT = 'event';

export function serviceOf(resource: Resource): string {
  const name = resource.attributes['service.name'];
  return typeof name === 'string' && name !== '' ? name : NO_SERVICE_NAME;
}

/** A span's kind as Jaeger's `span.kind` tag (and the operations API's spanKind): '' when unspecified. */
export function jaegerSpanKind(span: SpanData): string {
  return span.kind === 'unspecified' ? '' : span.kind;
}

/**
 * The tags derived from the span's fields rather than its attributes, in the order
 * Jaeger's translator appends them (scope first, then kind, status, error, trace state).
 */
export function derivedTags(span: SpanData): [string, string | boolean][] {
  const tags: [string, string | boolean][] = [];
  if (span.scope.name !== '') tags.push([TAG_SCOPE_NAME, span.scope.name]);
  if (span.scope.version !== '') tags.push([TAG_SCOPE_VERSION, span.scope.version]);
  const kind = jaegerSpanKind(span);
  if (kind !== '') tags.push([TAG_SPAN_KIND, kind]);
  if (span.status.code === 'ok') tags.push([TAG_STATUS_CODE, 'OK']);
  if (span.status.code === 'error') tags.push([TAG_STATUS_CODE, 'ERROR'], [TAG_ERROR, true]);
  if (span.status.message !== '') tags.push([TAG_STATUS_DESCRIPTION, span.status.message]);
  if (span.traceState !== '') tags.push([TAG_TRACE_STATE, span.traceState]);
  return tags;
}

/**
 * A value as Jaeger compares it in a tag search (its KeyValue.AsString): strings as
 * they are, numbers and booleans in decimal and `true`/`false`, arrays and maps as JSON.
 */
export function tagString(value: AttributeValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function attributeIs(attributes: Record<string, AttributeValue>, key: string, want: string): boolean {
  if (!Object.hasOwn(attributes, key)) return false;
  return tagString(attributes[key] ?? null) === want;
}

function derivedIs(span: SpanData, key: string, want: string): boolean {
  switch (key) {
    case TAG_SPAN_KIND:
      return span.kind !== 'unspecified' && span.kind === want;
    case TAG_STATUS_CODE:
      return (span.status.code === 'ok' && want === 'OK') || (span.status.code === 'error' && want === 'ERROR');
    case TAG_ERROR:
      return span.status.code === 'error' && want === 'true';
    case TAG_STATUS_DESCRIPTION:
      return span.status.message !== '' && span.status.message === want;
    case TAG_SCOPE_NAME:
      return span.scope.name !== '' && span.scope.name === want;
    case TAG_SCOPE_VERSION:
      return span.scope.version !== '' && span.scope.version === want;
    case TAG_TRACE_STATE:
      return span.traceState !== '' && span.traceState === want;
    default:
      return false;
  }
}

/**
 * Whether the span has the tag `key` with the value `want`, looking where Jaeger's
 * memory store looks: the span's tags, its process's tags, and its logs' fields.
 */
export function spanHasTag(span: SpanData, key: string, want: string): boolean {
  if (attributeIs(span.attributes, key, want)) return true;
  if (derivedIs(span, key, want)) return true;
  if (attributeIs(span.resource.attributes, key, want)) return true;
  for (const event of span.events) {
    if (attributeIs(event.attributes, key, want)) return true;
    if (key === FIELD_EVENT && event.name === want && !Object.hasOwn(event.attributes, FIELD_EVENT)) return true;
  }
  return false;
}
