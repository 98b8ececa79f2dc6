/** OTLP in: the OTLP/HTTP and OTLP/gRPC receivers and the decoders behind them. */
export { createOtlpHttpReceiver, DEFAULT_OTLP_HTTP_PORT, DEFAULT_MAX_BODY_BYTES, OTLP_HTTP_PATHS } from './http-receiver.js';
export type { OtlpHttpReceiver, OtlpHttpReceiverOptions, OtlpReceiverAddress } from './http-receiver.js';
export { createOtlpGrpcReceiver, DEFAULT_OTLP_GRPC_PORT, DEFAULT_MAX_MESSAGE_BYTES, OTLP_GRPC_PATHS } from './grpc-receiver.js';
export type { OtlpGrpcReceiver, OtlpGrpcReceiverOptions } from './grpc-receiver.js';
export { decodeTraces, decodeMetrics, decodeLogs } from './decode.js';
export type { DecodeOptions, OtlpEncoding, OtlpSignal } from './decode.js';
export { encodeExportResponse, encodeStatus, partialSuccessMessage, REJECTED_FIELDS } from './responses.js';
export { OTLP_DESCRIPTOR, OTLP_TYPES } from './schema.js';
