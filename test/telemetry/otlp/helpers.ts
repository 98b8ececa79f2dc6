/**
 * Test helpers for OTLP in: a recording sink, receivers on 127.0.0.1:0 closed after the
 * test, raw POSTs, and the expected model of what an OTel SDK exported, worked out
 * independently of the decoders (BigInt time math on the SDK's own hrtime values).
 */
import type { TestContext } from 'node:test';
import type { HrTime, Attributes as SdkAttributes } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { AggregationTemporality, DataPointType } from '@opentelemetry/sdk-metrics';
import { SpanStatusCode } from '@opentelemetry/api';
import { createOtlpGrpcReceiver, createOtlpHttpReceiver } from '../../../src/telemetry/otlp/index.js';
import type { OtlpGrpcReceiverOptions, OtlpHttpReceiverOptions } from '../../../src/telemetry/otlp/index.js';
import type { TelemetrySink } from '../../../src/telemetry/contracts.js';
import type { AttributeValue, Attributes, LogData, MetricData, Sample, SpanData, StatusCode, Temporality } from '../../../src/telemetry/model.js';
import { SPAN_KINDS } from '../../../src/telemetry/model.js';

export interface RecordingSink extends TelemetrySink {
  spans: SpanData[];
  metrics: MetricData[];
  logs: LogData[];
  samples: Sample[];
  /** Requests that delivered something. */
  calls: number;
}

export function recordingSink(): RecordingSink {
  const sink: RecordingSink = {
    spans: [],
    metrics: [],
    logs: [],
    samples: [],
    calls: 0,
    addSpans: (items) => void (sink.calls++, sink.spans.push(...items)),
    addMetrics: (items) => void (sink.calls++, sink.metrics.push(...items)),
    addLogs: (items) => void (sink.calls++, sink.logs.push(...items)),
    addSamples: (items) => void (sink.calls++, sink.samples.push(...items)),
  };
  return sink;
}

export async function httpReceiver(t: TestContext, options: Partial<OtlpHttpReceiverOptions> = {}): Promise<{ url: string; sink: RecordingSink }> {
  const sink = recordingSink();
  const receiver = createOtlpHttpReceiver({ port: 0, sink, ...options });
  t.after(() => receiver.close());
  const { url } = await receiver.listen();
  return { url, sink };
}

export async function grpcReceiver(t: TestContext, options: Partial<OtlpGrpcReceiverOptions> = {}): Promise<{ url: string; port: number; sink: RecordingSink }> {
  const sink = recordingSink();
  const receiver = createOtlpGrpcReceiver({ port: 0, sink, ...options });
  t.after(() => receiver.close());
  const { url, port } = await receiver.listen();
  return { url, port, sink };
}

export interface Reply {
  status: number;
  headers: Headers;
  body: Buffer;
}

export async function post(url: string, body: Uint8Array | string, headers: Record<string, string>, method = 'POST'): Promise<Reply> {
  const init: RequestInit = { method, headers };
  if (method !== 'GET' && method !== 'HEAD') init.body = typeof body === 'string' ? body : new Uint8Array(body);
  const res = await fetch(url, init);
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

export const PROTOBUF = { 'content-type': 'application/x-protobuf' };
export const JSON_TYPE = { 'content-type': 'application/json' };

// ---- expected model, from the SDK's own records ----

const NS_PER_S = 1_000_000_000n;

export function hrNs(t: HrTime): bigint {
  return BigInt(t[0]) * NS_PER_S + BigInt(t[1]);
}

export function hrUs(t: HrTime): number {
  return Number(hrNs(t) / 1000n);
}

function value(v: unknown): AttributeValue {
  if (Array.isArray(v)) return v.map((x) => value(x));
  if (v === undefined || v === null) return null;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (typeof v === 'object') return attrs(v as Record<string, unknown>);
  return v as AttributeValue;
}

export function attrs(a: SdkAttributes | Record<string, unknown> | undefined): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(a ?? {})) if (v !== undefined) out[k] = value(v);
  return out;
}

const STATUS_CODES: Record<SpanStatusCode, StatusCode> = { [SpanStatusCode.UNSET]: 'unset', [SpanStatusCode.OK]: 'ok', [SpanStatusCode.ERROR]: 'error' };

export function expectedSpan(span: ReadableSpan): SpanData {
  const ctx = span.spanContext();
  return {
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? '',
    traceState: ctx.traceState?.serialize() ?? '',
    name: span.name,
    kind: SPAN_KINDS[span.kind + 1]!,
    startUs: hrUs(span.startTime),
    durationUs: Number((hrNs(span.endTime) - hrNs(span.startTime)) / 1000n),
    attributes: attrs(span.attributes),
    events: span.events.map((e) => ({ timeUs: hrUs(e.time), name: e.name, attributes: attrs(e.attributes) })),
    links: span.links.map((l) => ({ traceId: l.context.traceId, spanId: l.context.spanId, attributes: attrs(l.attributes) })),
    status: { code: STATUS_CODES[span.status.code], message: span.status.message ?? '' },
    resource: { attributes: attrs(span.resource.attributes) },
    scope: { name: span.instrumentationScope.name, version: span.instrumentationScope.version ?? '' },
  };
}

export function expectedLog(record: ReadableLogRecord): LogData {
  const timeUs = hrNs(record.hrTime) === 0n ? hrUs(record.hrTimeObserved) : hrUs(record.hrTime);
  return {
    timeUs,
    observedUs: hrUs(record.hrTimeObserved),
    severityNumber: record.severityNumber ?? 0,
    severityText: record.severityText ?? '',
    body: value(record.body),
    attributes: attrs(record.attributes),
    traceId: record.spanContext?.traceId ?? '',
    spanId: record.spanContext?.spanId ?? '',
    resource: { attributes: attrs(record.resource.attributes) },
    scope: { name: record.instrumentationScope.name, version: record.instrumentationScope.version ?? '' },
  };
}

const TEMPORALITY: Record<AggregationTemporality, Temporality> = { [AggregationTemporality.DELTA]: 'delta', [AggregationTemporality.CUMULATIVE]: 'cumulative' };

export function expectedMetrics(rm: ResourceMetrics): MetricData[] {
  const resource = { attributes: attrs(rm.resource.attributes) };
  const out: MetricData[] = [];
  for (const sm of rm.scopeMetrics) {
    const scope = { name: sm.scope.name, version: sm.scope.version ?? '' };
    for (const m of sm.metrics) {
      const base = { name: m.descriptor.name, description: m.descriptor.description, unit: m.descriptor.unit, resource, scope };
      const temporality = TEMPORALITY[m.aggregationTemporality];
      const times = (p: { startTime: HrTime; endTime: HrTime; attributes: SdkAttributes }): { attributes: Attributes; startUs: number; timeUs: number } => ({
        attributes: attrs(p.attributes),
        startUs: hrUs(p.startTime),
        timeUs: hrUs(p.endTime),
      });
      switch (m.dataPointType) {
        case DataPointType.GAUGE:
          out.push({ ...base, type: 'gauge', points: m.dataPoints.map((p) => ({ ...times(p), value: p.value })) });
          break;
        case DataPointType.SUM:
          out.push({ ...base, type: 'sum', temporality, monotonic: m.isMonotonic, points: m.dataPoints.map((p) => ({ ...times(p), value: p.value })) });
          break;
        case DataPointType.HISTOGRAM:
          out.push({
            ...base,
            type: 'histogram',
            temporality,
            points: m.dataPoints.map((p) => ({
              ...times(p),
              count: p.value.count,
              sum: p.value.sum,
              bounds: p.value.buckets.boundaries,
              bucketCounts: p.value.buckets.counts,
            })),
          });
          break;
        case DataPointType.EXPONENTIAL_HISTOGRAM:
          out.push({
            ...base,
            type: 'exponential_histogram',
            temporality,
            points: m.dataPoints.map((p) => ({
              ...times(p),
              count: p.value.count,
              sum: p.value.sum,
              scale: p.value.scale,
              zeroCount: p.value.zeroCount,
              positive: { offset: p.value.positive.offset, bucketCounts: p.value.positive.bucketCounts },
              negative: { offset: p.value.negative.offset, bucketCounts: p.value.negative.bucketCounts },
            })),
          });
          break;
      }
    }
  }
  return out;
}

/** Sorts by a key so that order of arrival does not matter. */
export function byKey<T>(items: T[], key: (item: T) => string): T[] {
  return [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
