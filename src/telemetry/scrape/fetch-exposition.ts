/**
 * One HTTP GET of a /metrics endpoint, as Prometheus's scraper makes it: the text
 * format asked for, gzip accepted, redirects followed, a body size limit, and an
 * AbortSignal for the timeout. node:http rather than fetch, because fetch refuses
 * the "bad ports" of the Fetch standard (6000, 6665-6669, 10080, ...) that an
 * exporter may well listen on.
 */
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** What Prometheus asks for when it only speaks the text format. */
const ACCEPT = 'text/plain;version=0.0.4;q=1,*/*;q=0.1';
const MAX_REDIRECTS = 10;

/** A failure described here (status, content type, size), reported as it is. */
export class ScrapeFailure extends Error {}

export interface FetchExpositionOptions {
  headers: Record<string, string>;
  signal: AbortSignal;
  maxBodyBytes: number;
}

export function fetchExposition(url: string, options: FetchExpositionOptions, redirects = MAX_REDIRECTS): Promise<string> {
  return new Promise((resolve, reject) => {
    const client = url.startsWith('https:') ? https : http;
    const headers = { accept: ACCEPT, 'accept-encoding': 'gzip', ...options.headers };
    const req = client.get(url, { headers, signal: options.signal }, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if ([301, 302, 303, 307, 308].includes(status) && location !== undefined) {
        res.resume();
        if (redirects === 0) {
          reject(new ScrapeFailure(`stopped after ${MAX_REDIRECTS} redirects`));
          return;
        }
        fetchExposition(new URL(location, url).href, options, redirects - 1).then(resolve, reject);
        return;
      }
      if (status < 200 || status > 299) {
        res.resume();
        reject(new ScrapeFailure(`server returned HTTP status ${status} ${res.statusMessage ?? ''}`.trimEnd()));
        return;
      }
      const type = res.headers['content-type'] ?? '';
      if (type.includes('protobuf')) {
        res.resume();
        reject(new ScrapeFailure(`unsupported Content-Type ${JSON.stringify(type)}; expected the text format (text/plain; version=0.0.4)`));
        return;
      }
      let body: Readable = res;
      if ((res.headers['content-encoding'] ?? '').toLowerCase() === 'gzip') {
        const gunzip = createGunzip();
        res.on('error', (err) => gunzip.destroy(err));
        body = res.pipe(gunzip);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      body.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBodyBytes) {
          req.destroy();
          body.destroy();
          reject(new ScrapeFailure(`body exceeded the ${options.maxBodyBytes}-byte limit`));
          return;
        }
        chunks.push(chunk);
      });
      body.on('error', reject);
      body.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    req.on('error', reject);
  });
}
