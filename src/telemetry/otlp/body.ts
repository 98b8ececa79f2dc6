/**
 * Reading an OTLP/HTTP request body within a byte limit, before and after gzip:
 * a body over the limit is refused as soon as it is known to be (Content-Length, or
 * the byte that crosses it), and decompression stops at the limit, so neither a large
 * upload nor a gzip bomb can hold more than `limit` bytes in memory.
 */
import type { IncomingMessage } from 'node:http';
import { gunzip } from 'node:zlib';
import { LabError } from '../../errors.js';

function tooLarge(what: string, limit: number): LabError {
  return new LabError('LAB_OTLP_PAYLOAD_TOO_LARGE', `${what} is over the limit of ${limit} bytes (maxBodyBytes)`);
}

/** Collects the body; rejects with LAB_OTLP_PAYLOAD_TOO_LARGE past `limit` and stops keeping bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(tooLarge(`request body (Content-Length ${declared})`, limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        chunks.length = 0;
        // Whatever else arrives is discarded by Node (the stream keeps flowing with no listener).
        reject(tooLarge('request body', limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(new LabError('LAB_OTLP_BAD_PAYLOAD', `request body could not be read: ${err.message}`, { cause: err }));
    };
    const onAborted = (): void => onError(new Error('request aborted'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

/** Decompresses a gzip body, producing at most `limit` bytes. */
export function gunzipWithin(body: Buffer, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    gunzip(body, { maxOutputLength: Math.max(1, limit) }, (err, out) => {
      if (err === null) return resolve(out);
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return reject(tooLarge('decompressed request body', limit));
      reject(new LabError('LAB_OTLP_BAD_PAYLOAD', `gzip body cannot be decompressed: ${err.message}`, { cause: err }));
    });
  });
}

export type BodyEncoding = 'protobuf' | 'json';

/** Maps a Content-Type to an OTLP encoding, or undefined when it is neither. */
export function encodingOf(contentType: string | undefined): BodyEncoding | undefined {
  if (contentType === undefined) return undefined;
  const media = contentType.split(';', 1)[0]!.trim().toLowerCase();
  if (media === 'application/x-protobuf') return 'protobuf';
  if (media === 'application/json') return 'json';
  return undefined;
}

/** 'gzip', 'identity', or undefined for an encoding the receiver does not take. */
export function compressionOf(contentEncoding: string | undefined): 'gzip' | 'identity' | undefined {
  const value = (contentEncoding ?? '').trim().toLowerCase();
  if (value === '' || value === 'identity') return 'identity';
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  return undefined;
}
