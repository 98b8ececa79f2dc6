/**
 * The OTLP/gRPC receiver: the three collector services' unary Export methods on one
 * insecure HTTP/2 port, with a hand-built service definition (no .proto loading).
 * Messages are decoded in the handler rather than in grpc-js's deserializer, so a bad
 * one is answered INVALID_ARGUMENT with the reason instead of a generic INTERNAL.
 * grpc-js accepts gzip-compressed messages and bounds their decompressed size.
 */
import { Server, ServerCredentials, status } from '@grpc/grpc-js';
import type { sendUnaryData, ServerUnaryCall, ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import { LabError, isLabError } from '../../errors.js';
import type { Clock, TelemetrySink } from '../contracts.js';
import { deliver } from './deliver.js';
import type { OtlpSignal } from './decode.js';
import type { OtlpReceiverAddress } from './http-receiver.js';
import { encodeExportResponse } from './responses.js';

export const DEFAULT_OTLP_GRPC_PORT = 4317;
/** gRPC's own default receive limit. */
export const DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/** The full method paths of the three Export calls. */
export const OTLP_GRPC_PATHS: Readonly<Record<OtlpSignal, string>> = Object.freeze({
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
});

export interface OtlpGrpcReceiverOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 4317; 0 picks a free port. */
  port?: number;
  /** Largest message accepted, after decompression. Default 4 MiB. */
  maxMessageBytes?: number;
  sink: TelemetrySink;
  /** Milliseconds since the epoch, for log records without a time. Default Date.now. */
  clock?: Clock;
  /** How long close() lets calls in flight finish before cancelling them. Default 2000. */
  closeTimeoutMs?: number;
}

export interface OtlpGrpcReceiver {
  listen(): Promise<OtlpReceiverAddress>;
  close(): Promise<void>;
}

const identity = (value: Buffer): Buffer => value;

/** A service with one unary Export method whose messages stay raw bytes. */
function exportService(path: string): ServiceDefinition {
  return {
    Export: {
      path,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    },
  };
}

const GRPC_STATUS_BY_HTTP: Record<number, status> = { 400: status.INVALID_ARGUMENT, 413: status.RESOURCE_EXHAUSTED };

export function createOtlpGrpcReceiver(options: OtlpGrpcReceiverOptions): OtlpGrpcReceiver {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? DEFAULT_OTLP_GRPC_PORT;
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const closeTimeoutMs = options.closeTimeoutMs ?? 2000;
  const { sink } = options;
  const clock = options.clock ?? Date.now;
  let server: Server | undefined;

  const handler =
    (signal: OtlpSignal) =>
    (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>): void => {
      try {
        const decoded = deliver(signal, call.request, 'protobuf', sink, clock);
        callback(null, Buffer.from(encodeExportResponse(signal, 'protobuf', decoded)));
      } catch (err) {
        const error = isLabError(err) ? err : new LabError('LAB_OTLP_SINK_FAILED', String(err), { cause: err });
        callback({ code: GRPC_STATUS_BY_HTTP[error.statusCode] ?? status.INTERNAL, details: error.message });
      }
    };

  return {
    listen() {
      if (server !== undefined) return Promise.reject(new Error('OTLP/gRPC receiver is already listening'));
      const s = new Server({ 'grpc.max_receive_message_length': maxMessageBytes });
      for (const [signal, path] of Object.entries(OTLP_GRPC_PATHS) as [OtlpSignal, string][]) {
        const impl: UntypedServiceImplementation = { Export: handler(signal) };
        s.addService(exportService(path), impl);
      }
      server = s;
      const target = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
      return new Promise((resolve, reject) => {
        s.bindAsync(target, ServerCredentials.createInsecure(), (err, boundPort) => {
          if (err !== null) {
            server = undefined;
            s.forceShutdown();
            reject(new LabError('LAB_OTLP_LISTEN_FAILED', `OTLP/gRPC receiver cannot listen on ${target}: ${err.message}`, { cause: err }));
            return;
          }
          const urlHost = host.includes(':') ? `[${host}]` : host;
          resolve({ host, port: boundPort, url: `http://${urlHost}:${boundPort}` });
        });
      });
    },
    close() {
      const s = server;
      server = undefined;
      if (s === undefined) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(() => s.forceShutdown(), closeTimeoutMs);
        timer.unref();
        s.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}
