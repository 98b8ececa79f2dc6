/**
 * What the receivers answer: Export*ServiceResponse with partial success (OTLP spec,
 * "Partial Success"), and google.rpc.Status for errors, each in protobuf or JSON.
 */
import type { Decoded } from '../model.js';
import type { OtlpEncoding, OtlpSignal } from './decode.js';
import { OTLP_TYPES } from './schema.js';

/** The partial-success field that counts refused items, per signal. */
export const REJECTED_FIELDS: Readonly<Record<OtlpSignal, string>> = Object.freeze({
  traces: 'rejectedSpans',
  metrics: 'rejectedDataPoints',
  logs: 'rejectedLogRecords',
});

const NOUNS: Record<OtlpSignal, string> = { traces: 'spans', metrics: 'data points', logs: 'log records' };
const RESPONSE_TYPES = { traces: OTLP_TYPES.traceResponse, metrics: OTLP_TYPES.metricsResponse, logs: OTLP_TYPES.logsResponse };
const EMPTY = new Uint8Array(0);
const EMPTY_JSON = Buffer.from('{}');
const MAX_MESSAGE_CHARS = 2000;

/** The partial_success error_message: how many were refused and the first reasons. */
export function partialSuccessMessage(signal: OtlpSignal, decoded: Decoded<unknown>): string {
  const total = decoded.rejected + decoded.items.length;
  const head = `rejected ${decoded.rejected} of ${total} ${NOUNS[signal]}`;
  const text = decoded.errors.length === 0 ? head : `${head}: ${decoded.errors.join('; ')}`;
  return text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS - 3)}...` : text;
}

/**
 * The Export*ServiceResponse body. When everything was accepted partial_success stays
 * unset, as the spec asks: an empty protobuf message (zero bytes), or `{}` in JSON.
 */
export function encodeExportResponse(signal: OtlpSignal, encoding: OtlpEncoding, decoded: Decoded<unknown>): Uint8Array {
  if (decoded.rejected === 0) return encoding === 'protobuf' ? EMPTY : EMPTY_JSON;
  const partialSuccess = { [REJECTED_FIELDS[signal]]: decoded.rejected, errorMessage: partialSuccessMessage(signal, decoded) };
  if (encoding === 'protobuf') return RESPONSE_TYPES[signal].encode({ partialSuccess }).finish();
  // proto3 JSON writes int64 as a decimal string.
  return Buffer.from(JSON.stringify({ partialSuccess: { ...partialSuccess, [REJECTED_FIELDS[signal]]: String(decoded.rejected) } }));
}

/** gRPC status codes used in google.rpc.Status.code. */
export const GRPC_CODES = Object.freeze({
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
});

const ERROR_INFO_TYPE = 'type.googleapis.com/google.rpc.ErrorInfo';
const DOMAIN = 'cloudlab';

/**
 * A google.rpc.Status body, with a google.rpc.ErrorInfo detail whose `reason` is the
 * LabError code, so a program can branch on it.
 */
export function encodeStatus(encoding: OtlpEncoding, code: number, message: string, reason: string): Uint8Array {
  if (encoding === 'protobuf') {
    const info = OTLP_TYPES.errorInfo.encode({ reason, domain: DOMAIN }).finish();
    return OTLP_TYPES.status.encode({ code, message, details: [{ typeUrl: ERROR_INFO_TYPE, value: info }] }).finish();
  }
  return Buffer.from(JSON.stringify({ code, message, details: [{ '@type': ERROR_INFO_TYPE, reason, domain: DOMAIN }] }));
}
