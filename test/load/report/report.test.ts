import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareSummaries, formatSummary, htmlPathFor, readSummary, writeReports } from '../../../src/load/report/index.js';
import { LabError } from '../../../src/errors.js';
import { latency, summary } from './fixtures.js';

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cloudlab-report-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('writeReports writes the JSON summary, which round-trips, and the HTML beside it', async (t) => {
  const dir = await tempDir(t);
  const s = summary();
  const files = await writeReports(s, join(dir, 'out', 'report.json'));
  assert.equal(files.json, join(dir, 'out', 'report.json'));
  assert.equal(files.html, join(dir, 'out', 'report.html'));
  assert.deepEqual(JSON.parse(await readFile(files.json, 'utf8')), s);
  assert.deepEqual(await readSummary(files.json), s);
  assert.equal(htmlPathFor('/x/run'), '/x/run.html');
});

test('the HTML report draws its charts inline, shows verdicts, tasks and environment, and links nothing external', async (t) => {
  const dir = await tempDir(t);
  const { html } = await writeReports(summary({ scenario: 'a <b>', interrupted: true }), join(dir, 'r.json'));
  const text = await readFile(html, 'utf8');
  assert.equal((text.match(/<svg /g) ?? []).length, 4, 'users, req/s, latency, errors');
  for (const title of ['Users', 'Requests per second', 'Response time', 'Errors by kind']) assert.match(text, new RegExp(`aria-label="${title}"`));
  assert.match(text, /<polyline[^>]+points="[\d., ]+"><title>p99<\/title>/);
  assert.match(text, /http_5xx/);
  assert.match(text, /class="pass">pass<\/td><td>http_req_duration<\/td><td>p\(95\)&lt;250/);
  assert.match(text, /class="fail">FAIL<\/td><td>http_req_failed/);
  assert.match(text, /thresholds failed/);
  assert.match(text, /<td>menu<\/td>/);
  assert.match(text, /<td>order<\/td>/);
  assert.match(text, /v20\.0\.0/);
  assert.match(text, /interrupted/);
  assert.match(text, /a &lt;b&gt;/, 'the scenario name is escaped');
  assert.doesNotMatch(text, /https?:\/\/(?!127\.0\.0\.1:8000)/, 'no URL but the target');
  assert.doesNotMatch(text, /<script|<link|src=/);
});

test('an empty run still renders', async (t) => {
  const dir = await tempDir(t);
  const { html } = await writeReports(summary({ intervals: [], tasks: [], thresholds: [], requests: 0 }), join(dir, 'empty.json'));
  const text = await readFile(html, 'utf8');
  assert.match(text, /no data/);
  assert.match(text, /No thresholds/);
});

test('writeReports and readSummary fail with a code naming the file', async (t) => {
  const dir = await tempDir(t);
  await assert.rejects(writeReports(summary(), dir), (err: unknown) => err instanceof LabError && err.code === 'LAB_LOAD_REPORT_WRITE_FAILED' && err.message.includes(dir));
  await assert.rejects(readSummary(join(dir, 'missing.json')), (err: unknown) => err instanceof LabError && err.code === 'LAB_LOAD_REPORT_INVALID');
  const { writeFile } = await import('node:fs/promises');
  await writeFile(join(dir, 'other.json'), '{"a":1}');
  await assert.rejects(readSummary(join(dir, 'other.json')), /must be a summary that cloudlab load --out wrote/);
});

test('compareSummaries lists requests/s, percentiles, error ratio and tasks with the % change', () => {
  const a = summary();
  const b = summary({
    requestsPerSecond: 150,
    errorRatio: 0,
    errors: {},
    responseTime: latency(12),
    tasks: [{ name: 'menu', requests: 400, errors: {}, responseTime: latency(9), serviceTime: latency(8) }, { name: 'pay', requests: 5, errors: {}, responseTime: latency(40), serviceTime: latency(40) }],
  });
  const text = compareSummaries(a, b);
  const line = (prefix: string): string => text.split('\n').find((l) => l.startsWith(prefix)) ?? '';
  assert.match(line('requests/s'), /100\.0\s+150\.0\s+\+50\.0%$/);
  assert.match(line('error ratio'), /1\.33%\s+0\.00%\s+-100\.0%$/);
  assert.match(line('response p50'), /10\.0 ms\s+12\.0 ms\s+\+20\.0%$/);
  assert.match(line('response p99'), /30\.0 ms\s+36\.0 ms\s+\+20\.0%$/);
  assert.match(line('menu: requests/s'), /80\.0\s+133\.3\s+\+66\.7%$/);
  assert.match(line('order: requests/s'), /20\.0\s+-\s+-$/);
  assert.match(line('pay: p95'), /-\s+80\.0 ms\s+-$/);
  assert.match(text, /^A: steady against http:\/\/127\.0\.0\.1:8000, 2024-05-01T10:00:00\.000Z/);
});

test('formatSummary shows totals, tasks and verdicts', () => {
  const text = formatSummary(summary());
  assert.match(text, /300 requests in 3\.0 s: 100\.0 req\/s, errors 1\.33% \(timeout 1, http_5xx 3\)/);
  assert.match(text, /^menu\s+240\s+2\s+9\.00 ms\s+18\.0 ms\s+27\.0 ms\s+45\.0 ms$/m);
  assert.match(text, /✔ http_req_duration p\(95\)<250 \(actual 20\)/);
  assert.match(text, /✖ http_req_failed rate<0\.01 \(actual 0\.0133\)/);
});
