/**
 * The OTLP decoders: a request body (protobuf bytes or OTLP/JSON text) to the hub's
 * model. Both encodings become the same message shape (protobufjs for protobuf,
 * JSON.parse for JSON) and go through one converter per signal. A body that cannot
 * be decoded at all throws LabError LAB_OTLP_BAD_PAYLOAD; invalid items inside a good
 * body are counted in Decoded.rejected, for partial success.
 */
import { LabError } from '../../errors.js';
import type { Clock } from '../contracts.js';
import type { Decoded, LogData, MetricData, SpanData } from '../model.js';
import { convertLogs } from './convert-logs.js';
import { convertMetrics } from './convert-metrics.js';
import { convertTraces } from './convert-traces.js';
import { OTLP_TYPES } from './schema.js';
import type { Type } from 'protobufjs';

export type OtlpSignal = 'traces' | 'metrics' | 'logs';
export type OtlpEncoding = 'protobuf' | 'json';

export interface DecodeOptions {
  /** Milliseconds since the epoch; stamps log records that carry no time. Default Date.now. */
  clock?: Clock;
}

const REQUEST_NAMES: Record<OtlpSignal, string> = {
  traces: 'ExportTraceServiceRequest',
  metrics: 'ExportMetricsServiceRequest',
  logs: 'ExportLogsServiceRequest',
};

const REQUEST_TYPES: Record<OtlpSignal, Type> = {
  traces: OTLP_TYPES.traceRequest,
  metrics: OTLP_TYPES.metricsRequest,
  logs: OTLP_TYPES.logsRequest,
};

function asBuffer(body: Uint8Array): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Decodes the protobuf or JSON body of one signal's export request into its message shape. */
function parse(signal: OtlpSignal, body: Uint8Array | string, encoding: OtlpEncoding): unknown {
  if (encoding === 'protobuf') {
    if (typeof body === 'string') throw new TypeError('a protobuf body must be bytes, not a string');
    try {
      return REQUEST_TYPES[signal].decode(asBuffer(body));
    } catch (err) {
      // protobufjs: "index out of range", "invalid wire type", "max depth exceeded", ...
      throw new LabError('LAB_OTLP_BAD_PAYLOAD', `protobuf body is not a valid ${REQUEST_NAMES[signal]}: ${reason(err)}`, { cause: err });
    }
  }
  let text = typeof body === 'string' ? body : asBuffer(body).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new LabError('LAB_OTLP_BAD_PAYLOAD', `JSON body is not valid JSON: ${reason(err)}`, { cause: err });
  }
}

/** Stack exhaustion on hostile nesting is a bad payload too, not a crash. */
function guarded<T>(convert: () => Decoded<T>): Decoded<T> {
  try {
    return convert();
  } catch (err) {
    if (err instanceof LabError) throw err;
    throw new LabError('LAB_OTLP_BAD_PAYLOAD', `body cannot be converted: ${reason(err)}`, { cause: err });
  }
}

export function decodeTraces(body: Uint8Array | string, encoding: OtlpEncoding): Decoded<SpanData> {
  const message = parse('traces', body, encoding);
  return guarded(() => convertTraces(message));
}

export function decodeMetrics(body: Uint8Array | string, encoding: OtlpEncoding): Decoded<MetricData> {
  const message = parse('metrics', body, encoding);
  return guarded(() => convertMetrics(message));
}

export function decodeLogs(body: Uint8Array | string, encoding: OtlpEncoding, options: DecodeOptions = {}): Decoded<LogData> {
  const message = parse('logs', body, encoding);
  return guarded(() => convertLogs(message, options.clock));
}
