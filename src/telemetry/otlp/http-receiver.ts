/**
 * The OTLP/HTTP receiver (OTLP spec, "OTLP/HTTP"): POST /v1/traces, /v1/metrics and
 * /v1/logs with a protobuf or JSON body, optionally gzip-compressed. It answers in the
 * request's encoding: an Export*ServiceResponse (partial success when items were
 * refused), or a google.rpc.Status with a 4xx/5xx.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LabError, describeValue, isLabError } from '../../errors.js';
import type { Clock, TelemetrySink } from '../contracts.js';
import { compressionOf, encodingOf, gunzipWithin, readBody } from './body.js';
import { deliver } from './deliver.js';
import type { OtlpEncoding, OtlpSignal } from './decode.js';
import { GRPC_CODES, encodeExportResponse, encodeStatus } from './responses.js';

export const DEFAULT_OTLP_HTTP_PORT = 4318;
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** The paths of the three signals, as OTLP exporters append them to the base URL. */
export const OTLP_HTTP_PATHS: Readonly<Record<OtlpSignal, string>> = Object.freeze({
  traces: '/v1/traces',
  metrics: '/v1/metrics',
  logs: '/v1/logs',
});

const SIGNAL_BY_PATH = new Map<string, OtlpSignal>(Object.entries(OTLP_HTTP_PATHS).map(([signal, path]) => [path, signal as OtlpSignal]));

const CONTENT_TYPES: Record<OtlpEncoding, string> = { protobuf: 'application/x-protobuf', json: 'application/json' };

const STATUS_GRPC_CODE: Record<number, number> = {
  400: GRPC_CODES.INVALID_ARGUMENT,
  404: GRPC_CODES.NOT_FOUND,
  405: GRPC_CODES.UNIMPLEMENTED,
  413: GRPC_CODES.RESOURCE_EXHAUSTED,
  415: GRPC_CODES.INVALID_ARGUMENT,
};

export interface OtlpHttpReceiverOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 4318; 0 picks a free port. */
  port?: number;
  /** Largest body accepted, compressed and decompressed. Default 4 MiB. */
  maxBodyBytes?: number;
  sink: TelemetrySink;
  /** Milliseconds since the epoch, for log records without a time. Default Date.now. */
  clock?: Clock;
}

export interface OtlpReceiverAddress {
  host: string;
  port: number;
  /** The base URL to give an OTLP exporter (`OTEL_EXPORTER_OTLP_ENDPOINT`). */
  url: string;
}

export interface OtlpHttpReceiver {
  listen(): Promise<OtlpReceiverAddress>;
  close(): Promise<void>;
}

export function createOtlpHttpReceiver(options: OtlpHttpReceiverOptions): OtlpHttpReceiver {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? DEFAULT_OTLP_HTTP_PORT;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const { sink } = options;
  const clock = options.clock ?? Date.now;
  let server: Server | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const contentType = req.headers['content-type'];
    const encoding = encodingOf(contentType);
    // Errors go back in the request's encoding; JSON when it is neither.
    const replyEncoding: OtlpEncoding = encoding ?? 'json';
    try {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const path = q === -1 ? url : url.slice(0, q);
      const signal = SIGNAL_BY_PATH.get(path);
      if (signal === undefined) {
        throw new LabError('LAB_OTLP_NOT_FOUND', `no OTLP endpoint at ${describeValue(path)}; the receiver takes POST ${Object.values(OTLP_HTTP_PATHS).join(', ')}`);
      }
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        throw new LabError('LAB_OTLP_METHOD_NOT_ALLOWED', `${path} takes POST, received ${req.method ?? 'nothing'}`);
      }
      if (encoding === undefined) {
        throw new LabError(
          'LAB_OTLP_UNSUPPORTED_MEDIA_TYPE',
          `Content-Type must be application/x-protobuf or application/json, received ${describeValue(contentType)}`,
        );
      }
      const compression = compressionOf(req.headers['content-encoding']);
      if (compression === undefined) {
        throw new LabError(
          'LAB_OTLP_UNSUPPORTED_MEDIA_TYPE',
          `Content-Encoding must be gzip or identity, received ${describeValue(req.headers['content-encoding'])}`,
        );
      }
      let body = await readBody(req, maxBodyBytes);
      if (compression === 'gzip') body = await gunzipWithin(body, maxBodyBytes);
      const decoded = deliver(signal, body, encoding, sink, clock);
      send(res, 200, encoding, encodeExportResponse(signal, encoding, decoded));
    } catch (err) {
      const error = isLabError(err) ? err : new LabError('LAB_OTLP_SINK_FAILED', `OTLP request failed: ${String(err)}`, { cause: err });
      if (error.statusCode === 413) res.setHeader('connection', 'close');
      const code = STATUS_GRPC_CODE[error.statusCode] ?? GRPC_CODES.INTERNAL;
      send(res, error.statusCode, replyEncoding, encodeStatus(replyEncoding, code, error.message, error.code));
    }
  };

  return {
    listen() {
      if (server !== undefined) return Promise.reject(new Error('OTLP/HTTP receiver is already listening'));
      const s = createServer((req, res) => void handle(req, res));
      server = s;
      return new Promise((resolve, reject) => {
        const onError = (err: NodeJS.ErrnoException): void => {
          server = undefined;
          reject(new LabError('LAB_OTLP_LISTEN_FAILED', `OTLP/HTTP receiver cannot listen on ${host}:${port}: ${err.code ?? err.message}`, { cause: err }));
        };
        s.once('error', onError);
        s.listen(port, host, () => {
          s.off('error', onError);
          const address = s.address() as AddressInfo;
          const urlHost = address.address.includes(':') ? `[${address.address}]` : address.address;
          resolve({ host: address.address, port: address.port, url: `http://${urlHost}:${address.port}` });
        });
      });
    },
    close() {
      const s = server;
      server = undefined;
      if (s === undefined) return Promise.resolve();
      return new Promise((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    },
  };
}

function send(res: ServerResponse, status: number, encoding: OtlpEncoding, body: Uint8Array): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': CONTENT_TYPES[encoding], 'content-length': body.byteLength });
  res.end(body);
}
