/**
 * The console in a real browser (headless Debian chromium through playwright-core), against a
 * lab started with the CLI and a short background load: the overview charts draw, the chaos
 * page's "Database latency" scenario raises p95, a trace opens with cafe → payments spans, a log
 * line leads to its trace, and "Reset all" clears the toxics. Screenshots of every page go to
 * test-artifacts/console/; CLOUDLAB_UPDATE_SCREENSHOTS=1 also copies them to docs/images/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';
import { systemBinary } from '../helpers/binaries.js';
import { api, eventually, labDir, labState, run } from '../control/lab-cli.js';
import type { LabStateFile } from '../control/lab-cli.js';
import { startTraffic } from './traffic.js';

// Compiled to dist/test/console/: the repository root is three levels up.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ARTIFACTS = join(ROOT, 'test-artifacts', 'console');
const DOC_IMAGES = join(ROOT, 'docs', 'images');

interface ToxiproxyProxy {
  name: string;
  enabled: boolean;
  toxics: Array<{ name: string; type: string; attributes: Record<string, unknown> }>;
}

/** The highest per-route p95 of the cafe over the last 30 s, in seconds (what the overview's p95 chart plots). */
async function cafeP95(state: LabStateFile): Promise<number | undefined> {
  const bucket = 'rate(http_server_request_duration_seconds_bucket{job="cafe",http_route!~"/health|/ready|/live|/metrics"}[30s])';
  const query = `max(histogram_quantile(0.95, sum by (le, http_route) (${bucket})))`;
  const answer = await api<{ data: { result: Array<{ value: [number, string] }> } }>(state, 'GET', `/api/hub/api/v1/query?${new URLSearchParams({ query }).toString()}`);
  const value = Number(answer.body.data.result[0]?.value[1]);
  return Number.isFinite(value) ? value : undefined;
}

/** In the page: the route is one trace's view (#/traces/<id>). */
const ON_TRACE_VIEW = '/^#\\/traces\\/[^/?]+/.test(location.hash)';

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  if (process.env['CLOUDLAB_UPDATE_SCREENSHOTS'] === '1') await copyFile(join(ARTIFACTS, `${name}.png`), join(DOC_IMAGES, `console-${name}.png`));
}

/** Navigates inside the console (hash routes) and waits for the page's heading. */
async function open(page: Page, hash: string, heading: string): Promise<void> {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
  await page.getByRole('heading', { level: 1, name: heading }).first().waitFor();
}

/** Waits for the chaos page to list the postgres proxy; fails with the page's error when it shows one instead. */
async function chaosLoaded(page: Page): Promise<void> {
  await page.getByTestId('proxy-card').filter({ hasText: 'postgres' }).or(page.getByRole('alert')).first().waitFor();
  const alerts = await page.getByRole('alert').allTextContents();
  assert.deepEqual(alerts, [], `the chaos page shows an error instead of the proxies: ${alerts.join('; ')}`);
}

test('the console in headless chromium: charts, chaos, traces, logs, reset all', { timeout: 300_000 }, async (t) => {
  const executablePath = systemBinary(t, 'chromium', 'chromium');
  if (!executablePath) return;
  assert.ok(existsSync(join(ROOT, 'dist', 'console', 'index.html')), 'dist/console/index.html is missing: run `npm run build:console` first');
  await mkdir(ARTIFACTS, { recursive: true });
  if (process.env['CLOUDLAB_UPDATE_SCREENSHOTS'] === '1') await mkdir(DOC_IMAGES, { recursive: true });

  // Registered before labDir's `cloudlab down`, so that the browser and the load stop first.
  const cleanups: Array<() => Promise<void>> = [];
  t.after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
  const dir = await labDir(t, 'console');
  const up = await run(dir, ['up', '-d', '--free-ports']);
  assert.equal(up.code, 0, `cloudlab up failed:\n${up.stdout}\n${up.stderr}`);
  const state = await labState(dir);
  const edgeUrl = state.urls['cafe (edge)'];
  const consoleUrl = state.urls['console'];
  assert.ok(edgeUrl && consoleUrl, `lab.json names the edge and the console: ${JSON.stringify(state.urls)}`);

  const traffic = startTraffic({ edgeUrl });
  cleanups.push(traffic.stop);

  const browser = await chromium.launch({ executablePath, headless: true, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
  cleanups.push(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));

  // The console link sets the token cookie; the overview is the first page.
  await page.goto(consoleUrl);
  await page.getByRole('heading', { level: 1, name: /Overview/ }).waitFor();

  await t.test('the overview charts have data points', async () => {
    await page.locator('figure.chart .uplot canvas').first().waitFor({ timeout: 90_000 });
    await page.locator('figure.chart', { hasText: 'p95' }).locator('.uplot').first().waitFor({ timeout: 90_000 });
    await page.getByLabel('Theme').selectOption('light');
    await shoot(page, 'overview-light');
    await page.getByLabel('Theme').selectOption('dark');
    await page.waitForFunction("document.documentElement.dataset.theme === 'dark'");
    await shoot(page, 'overview-dark');
    await page.getByLabel('Theme').selectOption('light');
  });

  await t.test('the database latency scenario raises p95 and is listed as active', async () => {
    const before = await eventually('a p95 for the cafe before the fault', () => cafeP95(state), 60_000);
    await open(page, '#/chaos', 'Chaos');
    await chaosLoaded(page);
    await page.getByRole('button', { name: 'Database latency', exact: true }).click();
    await page.getByTestId('active-fault').filter({ hasText: 'postgres' }).filter({ hasText: 'latency' }).waitFor();
    const proxies = await api<Record<string, ToxiproxyProxy>>(state, 'GET', '/api/proxy/proxies');
    const toxic = proxies.body['postgres']?.toxics.find((x) => x.type === 'latency');
    assert.equal(toxic?.attributes['latency'], 300, `postgres has a 300 ms latency toxic: ${JSON.stringify(proxies.body['postgres'])}`);
    await shoot(page, 'chaos');
    const threshold = Math.max(before * 2, before + 0.15);
    const after = await eventually(`cafe p95 above ${threshold.toFixed(3)} s (before: ${before.toFixed(3)} s)`, async () => {
      const p95 = await cafeP95(state);
      return p95 !== undefined && p95 > threshold ? p95 : undefined;
    }, 90_000);
    assert.ok(after > before, `p95 rose from ${before} s to ${after} s`);
    await open(page, '#/overview', 'Overview');
    await page.locator('figure.chart', { hasText: 'p95' }).locator('.uplot').first().waitFor();
    await shoot(page, 'overview-fault');
  });

  await t.test('a trace opens from the traces page and shows cafe → payments spans', async () => {
    // Traces with a payments span are the orders: cafe's POST /orders calling payments.
    await open(page, '#/traces?service=payments', 'Traces');
    await page.getByTestId('trace-link').first().waitFor({ timeout: 90_000 });
    await page.getByTestId('trace-scatter').first().waitFor();
    await shoot(page, 'traces');
    await page.getByTestId('trace-link').first().click();
    await page.waitForFunction(ON_TRACE_VIEW);
    await page.getByTestId('span-row').filter({ hasText: 'payments' }).first().waitFor();
    await page.getByTestId('span-row').filter({ hasText: 'cafe' }).first().waitFor();
    await shoot(page, 'trace');
  });

  await t.test('a log line links to its trace', async () => {
    await open(page, '#/logs', 'Logs');
    const link = page.getByTestId('log-line').getByTestId('log-trace-link').first();
    await link.waitFor({ timeout: 90_000 });
    await shoot(page, 'logs');
    await link.click();
    await page.waitForFunction(ON_TRACE_VIEW);
    await page.getByTestId('span-row').first().waitFor();
  });

  await t.test('"Reset all" clears the toxics', async () => {
    await open(page, '#/chaos', 'Chaos');
    await chaosLoaded(page);
    const reset = page.waitForResponse((r) => r.url().endsWith('/api/proxy/reset'));
    await page.getByRole('button', { name: 'Reset all' }).click();
    assert.equal((await reset).status(), 204, 'POST /api/proxy/reset from the page answers 204');
    await page.getByTestId('no-active-faults').waitFor();
    const proxies = await api<Record<string, ToxiproxyProxy>>(state, 'GET', '/api/proxy/proxies');
    for (const proxy of Object.values(proxies.body)) {
      assert.deepEqual(proxy.toxics, [], `${proxy.name} has no toxics after Reset all`);
      assert.equal(proxy.enabled, true, `${proxy.name} is enabled after Reset all`);
    }
  });

  await t.test('the load and explore pages render', async () => {
    await open(page, '#/load', 'Load');
    await page.getByTestId('load-empty').waitFor();
    await shoot(page, 'load');
    await open(page, '#/explore', 'Explore');
    await page.locator('figure.chart .uplot').first().waitFor();
    await shoot(page, 'explore');
  });

  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  assert.ok((traffic.counts['2xx'] ?? 0) > 0, `the load got answers: ${JSON.stringify(traffic.counts)}`);
});
