/** Target validation: every bad target is a LAB_SCRAPE_BAD_TARGET naming the field, the URL and the value. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LabError } from '../../../src/errors.js';
import { createScraper, resolveTargets } from '../../../src/telemetry/scrape/index.js';
import type { ScrapeTargetOptions } from '../../../src/telemetry/scrape/index.js';

function rejects(targets: unknown, pattern: RegExp, timeoutMs?: number): void {
  assert.throws(
    () => resolveTargets(targets as ScrapeTargetOptions[], timeoutMs),
    (err: unknown) => {
      assert.ok(err instanceof LabError);
      assert.equal(err.code, 'LAB_SCRAPE_BAD_TARGET');
      assert.equal(err.statusCode, 400);
      assert.match(err.message, pattern);
      return true;
    },
  );
}

test('targets resolve to url, job, instance (with the default port), interval and capped timeout', () => {
  const [a, b, c, d] = resolveTargets([
    { url: 'http://127.0.0.1:8000/metrics', job: 'cafe', intervalMs: 15_000 },
    { url: 'https://example.com', intervalMs: 5000 },
    { url: 'http://[::1]:9100/', intervalMs: 1000 },
    { url: 'localhost:9090', intervalMs: 30_000 },
  ]);
  assert.deepEqual(a, { url: 'http://127.0.0.1:8000/metrics', job: 'cafe', instance: '127.0.0.1:8000', intervalMs: 15_000, timeoutMs: 10_000, authorization: undefined });
  assert.deepEqual([b?.url, b?.job, b?.instance, b?.timeoutMs], ['https://example.com/metrics', 'scrape', 'example.com:443', 5000]);
  assert.deepEqual([c?.url, c?.instance], ['http://[::1]:9100/', '[::1]:9100'], 'an explicit / is kept');
  assert.deepEqual([d?.url, d?.instance], ['http://localhost:9090/metrics', 'localhost:9090']);
  assert.ok(Object.isFrozen(a));
});

test('bad targets name the field, the value and the URL', () => {
  rejects([{ url: 'ftp://host:21/metrics', intervalMs: 1000 }], /^targets\[0\]\.url must be an http:\/\/ or https:\/\/ URL, received "ftp:\/\/host:21\/metrics" \(scheme ftp\)$/);
  rejects([{ url: 'not a url', intervalMs: 1000 }], /^targets\[0\]\.url must be a URL such as http:\/\/127\.0\.0\.1:8000\/metrics, received "not a url"$/);
  rejects([{ url: '', intervalMs: 1000 }], /targets\[0\]\.url must be a URL .* received ""/);
  rejects([{ intervalMs: 1000 }], /targets\[0\]\.url must be a URL .* received nothing/);
  rejects([{ url: 'http://a:1/m', intervalMs: 1000 }, { url: 'http://a:1/m', intervalMs: 0 }], /^targets\[1\]\.intervalMs must be a positive number of milliseconds, received 0 \(for http:\/\/a:1\/m\)$/);
  rejects([{ url: 'http://a:1/m', intervalMs: '15s' }], /intervalMs .* received "15s"/);
  rejects([{ url: 'http://a:1/m', intervalMs: 1000, job: '' }], /^targets\[0\]\.job must be a non-empty string, received "" \(for http:\/\/a:1\/m\)$/);
  rejects([{ url: 'http://a:1/m', intervalMs: 1000 }, { url: 'http://a:1/m', intervalMs: 5 }], /^targets\[1\] repeats targets\[0\]: the same url "http:\/\/a:1\/m" and job "scrape"/);
  rejects([], /^timeoutMs must be a positive number of milliseconds, received -1$/, -1);
  rejects({ url: 'http://a:1/m' }, /^targets must be an array/);
  assert.throws(() => createScraper({ targets: [{ url: 'mailto:x@y', intervalMs: 1 }], sink: { addSamples: () => undefined, addSpans: () => undefined, addMetrics: () => undefined, addLogs: () => undefined } }), /mailto:x@y/);
  // The same URL under two jobs is two targets, as in Prometheus.
  assert.equal(resolveTargets([{ url: 'http://a:1/m', intervalMs: 1, job: 'x' }, { url: 'http://a:1/m', intervalMs: 1, job: 'y' }]).length, 2);
});
