/**
 * The OTLP protobuf schema (opentelemetry-proto v1: common, resource, trace, metrics,
 * logs and the three collector services) plus google.rpc.Status, written as a
 * protobufjs JSON descriptor so that it ships inside dist with no .proto file at
 * runtime.
 *
 * Field names are the lowerCamelCase JSON names, so a decoded protobuf message has the
 * same keys as an OTLP/JSON document and one converter serves both encodings.
 * Enum-typed fields are declared as int32 (identical on the wire): unknown values stay
 * visible as numbers instead of vanishing into unknown fields, and the converters
 * check their range themselves.
 */
import protobuf from 'protobufjs';
import type { IField, IType, INamespace, Type } from 'protobufjs';

type FieldSpec = readonly [id: number, type: string, rule?: 'repeated'];

/**
 * One message type. `oneofs` names the proto's oneof groups (and the synthetic ones of
 * proto3 `optional` fields): their members get explicit presence.
 */
function message(fields: Record<string, FieldSpec>, oneofs: Record<string, string[]> = {}, nested?: Record<string, IType>): IType {
  // Strings are read with Buffer's native UTF-8 decoder (invalid sequences become
  // U+FFFD) instead of protobufjs's strict JavaScript one: the hot path of ingest.
  const out: IType = { fields: {}, options: { features: { utf8_validation: 'NONE' } } };
  const present = new Set(Object.values(oneofs).flat());
  for (const [name, [id, type, rule]] of Object.entries(fields)) {
    const field: IField = rule === undefined ? { id, type } : { id, type, rule };
    // Members of a oneof (and proto3 `optional` fields) need presence: an AnyValue
    // holding "" or 0 differs from an empty one. protobufjs's oneof support clears
    // the sibling members on every set (a quarter of decode time), so presence is
    // declared per field instead; the wire format is the same.
    if (present.has(name)) field.options = { features: { field_presence: 'EXPLICIT' } };
    out.fields[name] = field;
  }
  if (nested !== undefined) out.nested = nested;
  return out;
}

/** Wraps messages in their dotted package. */
function pkg(path: string, types: Record<string, IType>): INamespace {
  let node: INamespace = { nested: types };
  for (const part of path.split('.').reverse()) node = { nested: { [part]: node } };
  return node;
}

const COMMON = '.opentelemetry.proto.common.v1';
const RESOURCE = '.opentelemetry.proto.resource.v1.Resource';
const KV = `${COMMON}.KeyValue`;
const SCOPE = `${COMMON}.InstrumentationScope`;

const common = pkg('opentelemetry.proto.common.v1', {
  AnyValue: message(
    {
      stringValue: [1, 'string'],
      boolValue: [2, 'bool'],
      intValue: [3, 'int64'],
      doubleValue: [4, 'double'],
      arrayValue: [5, `${COMMON}.ArrayValue`],
      kvlistValue: [6, `${COMMON}.KeyValueList`],
      bytesValue: [7, 'bytes'],
    },
    { value: ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'] },
  ),
  ArrayValue: message({ values: [1, `${COMMON}.AnyValue`, 'repeated'] }),
  KeyValueList: message({ values: [1, KV, 'repeated'] }),
  KeyValue: message({ key: [1, 'string'], value: [2, `${COMMON}.AnyValue`] }),
  InstrumentationScope: message({
    name: [1, 'string'],
    version: [2, 'string'],
    attributes: [3, KV, 'repeated'],
    droppedAttributesCount: [4, 'uint32'],
  }),
});

const resource = pkg('opentelemetry.proto.resource.v1', {
  Resource: message({ attributes: [1, KV, 'repeated'], droppedAttributesCount: [2, 'uint32'] }),
});

const TRACE = '.opentelemetry.proto.trace.v1';
const trace = pkg('opentelemetry.proto.trace.v1', {
  ResourceSpans: message({ resource: [1, RESOURCE], scopeSpans: [2, `${TRACE}.ScopeSpans`, 'repeated'], schemaUrl: [3, 'string'] }),
  ScopeSpans: message({ scope: [1, SCOPE], spans: [2, `${TRACE}.Span`, 'repeated'], schemaUrl: [3, 'string'] }),
  Span: message(
    {
      traceId: [1, 'bytes'],
      spanId: [2, 'bytes'],
      traceState: [3, 'string'],
      parentSpanId: [4, 'bytes'],
      flags: [16, 'fixed32'],
      name: [5, 'string'],
      kind: [6, 'int32'], // enum SpanKind
      startTimeUnixNano: [7, 'fixed64'],
      endTimeUnixNano: [8, 'fixed64'],
      attributes: [9, KV, 'repeated'],
      droppedAttributesCount: [10, 'uint32'],
      events: [11, `${TRACE}.Span.Event`, 'repeated'],
      droppedEventsCount: [12, 'uint32'],
      links: [13, `${TRACE}.Span.Link`, 'repeated'],
      droppedLinksCount: [14, 'uint32'],
      status: [15, `${TRACE}.Status`],
    },
    {},
    {
      Event: message({
        timeUnixNano: [1, 'fixed64'],
        name: [2, 'string'],
        attributes: [3, KV, 'repeated'],
        droppedAttributesCount: [4, 'uint32'],
      }),
      Link: message({
        traceId: [1, 'bytes'],
        spanId: [2, 'bytes'],
        traceState: [3, 'string'],
        attributes: [4, KV, 'repeated'],
        droppedAttributesCount: [5, 'uint32'],
        flags: [6, 'fixed32'],
      }),
    },
  ),
  // Field 1 is reserved; code is enum StatusCode.
  Status: message({ message: [2, 'string'], code: [3, 'int32'] }),
});

const METRICS = '.opentelemetry.proto.metrics.v1';
const metrics = pkg('opentelemetry.proto.metrics.v1', {
  ResourceMetrics: message({ resource: [1, RESOURCE], scopeMetrics: [2, `${METRICS}.ScopeMetrics`, 'repeated'], schemaUrl: [3, 'string'] }),
  ScopeMetrics: message({ scope: [1, SCOPE], metrics: [2, `${METRICS}.Metric`, 'repeated'], schemaUrl: [3, 'string'] }),
  // Fields 4, 6 and 8 are reserved.
  Metric: message(
    {
      name: [1, 'string'],
      description: [2, 'string'],
      unit: [3, 'string'],
      gauge: [5, `${METRICS}.Gauge`],
      sum: [7, `${METRICS}.Sum`],
      histogram: [9, `${METRICS}.Histogram`],
      exponentialHistogram: [10, `${METRICS}.ExponentialHistogram`],
      summary: [11, `${METRICS}.Summary`],
      metadata: [12, KV, 'repeated'],
    },
    { data: ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] },
  ),
  Gauge: message({ dataPoints: [1, `${METRICS}.NumberDataPoint`, 'repeated'] }),
  // aggregationTemporality is enum AggregationTemporality (1 delta, 2 cumulative).
  Sum: message({ dataPoints: [1, `${METRICS}.NumberDataPoint`, 'repeated'], aggregationTemporality: [2, 'int32'], isMonotonic: [3, 'bool'] }),
  Histogram: message({ dataPoints: [1, `${METRICS}.HistogramDataPoint`, 'repeated'], aggregationTemporality: [2, 'int32'] }),
  ExponentialHistogram: message({
    dataPoints: [1, `${METRICS}.ExponentialHistogramDataPoint`, 'repeated'],
    aggregationTemporality: [2, 'int32'],
  }),
  Summary: message({ dataPoints: [1, `${METRICS}.SummaryDataPoint`, 'repeated'] }),
  NumberDataPoint: message(
    {
      attributes: [7, KV, 'repeated'],
      startTimeUnixNano: [2, 'fixed64'],
      timeUnixNano: [3, 'fixed64'],
      asDouble: [4, 'double'],
      asInt: [6, 'sfixed64'],
      exemplars: [5, `${METRICS}.Exemplar`, 'repeated'],
      flags: [8, 'uint32'],
    },
    { value: ['asDouble', 'asInt'] },
  ),
  HistogramDataPoint: message(
    {
      attributes: [9, KV, 'repeated'],
      startTimeUnixNano: [2, 'fixed64'],
      timeUnixNano: [3, 'fixed64'],
      count: [4, 'fixed64'],
      sum: [5, 'double'],
      bucketCounts: [6, 'fixed64', 'repeated'],
      explicitBounds: [7, 'double', 'repeated'],
      exemplars: [8, `${METRICS}.Exemplar`, 'repeated'],
      flags: [10, 'uint32'],
      min: [11, 'double'],
      max: [12, 'double'],
    },
    // proto3 `optional` fields: a one-member oneof gives them presence.
    { _sum: ['sum'], _min: ['min'], _max: ['max'] },
  ),
  ExponentialHistogramDataPoint: message(
    {
      attributes: [1, KV, 'repeated'],
      startTimeUnixNano: [2, 'fixed64'],
      timeUnixNano: [3, 'fixed64'],
      count: [4, 'fixed64'],
      sum: [5, 'double'],
      scale: [6, 'sint32'],
      zeroCount: [7, 'fixed64'],
      positive: [8, `${METRICS}.ExponentialHistogramDataPoint.Buckets`],
      negative: [9, `${METRICS}.ExponentialHistogramDataPoint.Buckets`],
      flags: [10, 'uint32'],
      exemplars: [11, `${METRICS}.Exemplar`, 'repeated'],
      min: [12, 'double'],
      max: [13, 'double'],
      zeroThreshold: [14, 'double'],
    },
    { _sum: ['sum'], _min: ['min'], _max: ['max'] },
    { Buckets: message({ offset: [1, 'sint32'], bucketCounts: [2, 'uint64', 'repeated'] }) },
  ),
  SummaryDataPoint: message(
    {
      attributes: [7, KV, 'repeated'],
      startTimeUnixNano: [2, 'fixed64'],
      timeUnixNano: [3, 'fixed64'],
      count: [4, 'fixed64'],
      sum: [5, 'double'],
      quantileValues: [6, `${METRICS}.SummaryDataPoint.ValueAtQuantile`, 'repeated'],
      flags: [8, 'uint32'],
    },
    {},
    { ValueAtQuantile: message({ quantile: [1, 'double'], value: [2, 'double'] }) },
  ),
  Exemplar: message(
    {
      filteredAttributes: [7, KV, 'repeated'],
      timeUnixNano: [2, 'fixed64'],
      asDouble: [3, 'double'],
      asInt: [6, 'sfixed64'],
      spanId: [4, 'bytes'],
      traceId: [5, 'bytes'],
    },
    { value: ['asDouble', 'asInt'] },
  ),
});

const LOGS = '.opentelemetry.proto.logs.v1';
const logs = pkg('opentelemetry.proto.logs.v1', {
  ResourceLogs: message({ resource: [1, RESOURCE], scopeLogs: [2, `${LOGS}.ScopeLogs`, 'repeated'], schemaUrl: [3, 'string'] }),
  ScopeLogs: message({ scope: [1, SCOPE], logRecords: [2, `${LOGS}.LogRecord`, 'repeated'], schemaUrl: [3, 'string'] }),
  // Field 4 is reserved; severityNumber is enum SeverityNumber (0-24).
  LogRecord: message({
    timeUnixNano: [1, 'fixed64'],
    observedTimeUnixNano: [11, 'fixed64'],
    severityNumber: [2, 'int32'],
    severityText: [3, 'string'],
    body: [5, `${COMMON}.AnyValue`],
    attributes: [6, KV, 'repeated'],
    droppedAttributesCount: [7, 'uint32'],
    flags: [8, 'fixed32'],
    traceId: [9, 'bytes'],
    spanId: [10, 'bytes'],
    eventName: [12, 'string'],
  }),
});

/** One collector service: its request, response and partial-success messages. */
function collector(signal: 'trace' | 'metrics' | 'logs', item: string, rejectedField: string): INamespace {
  const Name = signal === 'trace' ? 'Trace' : signal === 'metrics' ? 'Metrics' : 'Logs';
  const here = `.opentelemetry.proto.collector.${signal}.v1`;
  const itemType = signal === 'trace' ? `${TRACE}.ResourceSpans` : signal === 'metrics' ? `${METRICS}.ResourceMetrics` : `${LOGS}.ResourceLogs`;
  return pkg(`opentelemetry.proto.collector.${signal}.v1`, {
    [`Export${Name}ServiceRequest`]: message({ [item]: [1, itemType, 'repeated'] }),
    [`Export${Name}ServiceResponse`]: message({ partialSuccess: [1, `${here}.Export${Name}PartialSuccess`] }),
    [`Export${Name}PartialSuccess`]: message({ [rejectedField]: [1, 'int64'], errorMessage: [2, 'string'] }),
  });
}

const any = pkg('google.protobuf', { Any: message({ typeUrl: [1, 'string'], value: [2, 'bytes'] }) });
const rpc = pkg('google.rpc', {
  Status: message({ code: [1, 'int32'], message: [2, 'string'], details: [3, '.google.protobuf.Any', 'repeated'] }),
  // metadata (field 3, map<string, string>) is never sent.
  ErrorInfo: message({ reason: [1, 'string'], domain: [2, 'string'] }),
});

function merge(into: INamespace, from: INamespace): INamespace {
  for (const [name, child] of Object.entries(from.nested ?? {})) {
    into.nested ??= {};
    const existing = into.nested[name];
    if (existing !== undefined && 'nested' in existing && !('fields' in existing)) merge(existing, child);
    else into.nested[name] = child;
  }
  return into;
}

/** The whole descriptor, for anyone who wants to inspect or extend it. */
export const OTLP_DESCRIPTOR: INamespace = [
  common,
  resource,
  trace,
  metrics,
  logs,
  collector('trace', 'resourceSpans', 'rejectedSpans'),
  collector('metrics', 'resourceMetrics', 'rejectedDataPoints'),
  collector('logs', 'resourceLogs', 'rejectedLogRecords'),
  any,
  rpc,
].reduce<INamespace>((acc, part) => merge(acc, part), {});

const root = protobuf.Root.fromJSON(OTLP_DESCRIPTOR);

/**
 * protobufjs puts every field's default on the message prototype, so an unset member
 * of a oneof would read as '' or 0. Make fields with presence read as undefined when
 * unset, as in a parsed JSON document.
 */
function unsetPresenceDefaults(ns: protobuf.NamespaceBase): void {
  for (const child of ns.nestedArray) {
    if (child instanceof protobuf.Type) {
      const proto = child.ctor.prototype as Record<string, unknown>;
      for (const field of child.fieldsArray) {
        if (field.options?.['features'] !== undefined && !field.repeated && field.resolvedType === null) proto[field.name] = undefined;
      }
    }
    if (child instanceof protobuf.Namespace) unsetPresenceDefaults(child);
  }
}
unsetPresenceDefaults(root);

function lookup(name: string): Type {
  return root.lookupType(name);
}

/** The message types the receivers use, resolved once at load. */
export const OTLP_TYPES = Object.freeze({
  traceRequest: lookup('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'),
  traceResponse: lookup('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse'),
  metricsRequest: lookup('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest'),
  metricsResponse: lookup('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse'),
  logsRequest: lookup('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest'),
  logsResponse: lookup('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse'),
  status: lookup('google.rpc.Status'),
  errorInfo: lookup('google.rpc.ErrorInfo'),
});
