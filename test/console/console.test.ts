/**
 * The console in a real browser (headless Debian chromium through playwright-core), against a
 * lab started with the CLI and a short background load: the overview charts draw; the chaos
 * page's "Database latency" scenario raises p95; a scenario injected from its form with a
 * duration counts down in Active and is removed; a trace opens from the traces page (also with
 * the keyboard, from the scatter plot) with cafe → payments spans; a log line leads to its trace;
 * "Reset all" clears faults, toxics and flags; a load run starts and stops from the Load page;
 * the Drills page shows its empty state, then a short real drill (`cloudlab drill`) with its verdict,
 * summary and report. Screenshots of every page go to test-artifacts/console/;
 * CLOUDLAB_UPDATE_SCREENSHOTS=1 also copies them to docs/images/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { systemBinary } from '../helpers/binaries.js';
import { api, eventually, labDir, labState, run } from '../control/lab-cli.js';
import { ARTIFACTS, DOC_IMAGES, ON_TRACE_VIEW, ROOT, UPDATE_SCREENSHOTS, cafeP95, chaosLoaded, open, proxies, shoot } from './browser.js';
import { injectWithDuration, resetAll } from './chaos-steps.js';
import { loadFromTheForm } from './load-steps.js';
import { startTraffic } from './traffic.js';

/** GET /api/drills's items (src/drill/types.ts DrillListing), as far as the test reads them. */
interface DrillListing {
  id: string;
  name: string;
  verdict: string;
}

/** A scatter point's accessible name: service and operation, duration, time. */
const POINT_NAME = /^(cafe|payments) \S.*, \d+(\.\d+)? (µs|ms|s), at \d\d:\d\d:\d\d\.\d{3}(, \d+ error spans?)?$/;

test('the console in headless chromium: charts, chaos, traces, logs, reset all, load, drills', { timeout: 420_000 }, async (t) => {
  const executablePath = systemBinary(t, 'chromium', 'chromium');
  if (!executablePath) return;
  assert.ok(existsSync(join(ROOT, 'dist', 'console', 'index.html')), 'dist/console/index.html is missing: run `npm run build:console` first');
  await mkdir(ARTIFACTS, { recursive: true });
  if (UPDATE_SCREENSHOTS) await mkdir(DOC_IMAGES, { recursive: true });

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
    const toxic = (await proxies(state))['postgres']?.toxics.find((x) => x.type === 'latency');
    assert.equal(toxic?.attributes['latency'], 300, `postgres has a 300 ms latency toxic: ${JSON.stringify(toxic)}`);
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

  await t.test('a scenario injected from its form with a duration counts down in Active; Remove removes it', () => injectWithDuration(page, state));

  await t.test('a trace opens from the traces page and shows cafe → payments spans', async () => {
    // Traces with a payments span are the orders: cafe's POST /orders calling payments.
    await open(page, '#/traces?service=payments', 'Traces');
    await page.getByTestId('trace-link').first().waitFor({ timeout: 90_000 });
    await page.getByTestId('trace-scatter').first().waitFor();
    await shoot(page, 'traces');

    // The keyboard: Tab from the form's last control reaches the plot (one tab stop), the arrow
    // keys move between the points, each named for its trace, and Enter opens one.
    await page.getByTestId('scatter-points').getByRole('button').first().waitFor({ state: 'attached' });
    await page.getByRole('button', { name: 'Find traces' }).focus();
    await page.keyboard.press('Tab');
    const focused = (): Promise<{ name: string; id: string }> =>
      page.evaluate<{ name: string; id: string }>(`(() => { const e = document.activeElement; return e?.closest('[data-testid="scatter-points"]') ? { name: e.getAttribute('aria-label'), id: e.dataset.traceId } : { name: '', id: '' }; })()`);
    const newest = await focused();
    assert.match(newest.name, POINT_NAME, 'Tab lands on the newest point, named for its trace');
    assert.equal(await page.getByTestId('scatter-points').locator('button[tabindex="0"]').count(), 1, 'the plot is one tab stop');
    await page.keyboard.press('Home');
    const oldest = await focused();
    assert.match(oldest.name, POINT_NAME);
    assert.notEqual(oldest.id, newest.id, 'Home moves to the oldest point');
    await page.keyboard.press('End');
    const last = await focused();
    assert.ok(last.id && last.id !== oldest.id, 'End moves to the newest point');
    await page.keyboard.press('ArrowLeft');
    const previous = await focused();
    assert.ok(previous.id && previous.id !== last.id, 'ArrowLeft moves to the point before');
    await page.keyboard.press('Enter');
    await page.waitForFunction(`location.hash === ${JSON.stringify(`#/traces/${previous.id}`)}`);
    await page.getByTestId('span-row').first().waitFor();

    await open(page, '#/traces?service=payments', 'Traces');
    await page.getByTestId('trace-link').first().waitFor({ timeout: 90_000 });
    // The results sort by duration: slowest first, then fastest first, the header saying which.
    const durations = (): Promise<number[]> => page.evaluate<number[]>(`[...document.querySelectorAll('table.trace-results td[data-us]')].map((td) => Number(td.dataset.us))`);
    await page.getByTestId('sort-duration').click();
    const slowest = await durations();
    assert.ok(slowest.length > 0);
    assert.deepEqual(slowest, [...slowest].sort((a, b) => b - a), 'slowest first');
    assert.equal(await page.locator('table.trace-results th[aria-sort="descending"]').innerText(), 'Duration ▼');
    await page.getByTestId('sort-duration').click();
    const fastest = await durations();
    assert.deepEqual(fastest, [...fastest].sort((a, b) => a - b), 'fastest first after a second press');
    await page.getByTestId('sort-start').click();

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

  await t.test('"Reset all" clears every fault, toxic and flag', () => resetAll(page, state));

  await t.test('a load run starts from the Load page, shows its users and requests live, and stops', () => loadFromTheForm(page, state));

  await t.test('the drills page comes after Load: empty at first, then a real drill with its verdict, summary and report', async () => {
    const nav = await page.getByRole('navigation', { name: 'Pages' }).getByRole('link').allInnerTexts();
    assert.deepEqual(nav, ['Overview', 'Traces', 'Logs', 'Chaos', 'Load', 'Drills', 'Explore']);
    const listed = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/drills');
    await open(page, '#/drills', 'Drills');
    assert.equal((await listed).status(), 200, 'GET /api/drills from the page answers 200');
    await page.getByTestId('drills-empty').waitFor();
    assert.equal(await page.getByTestId('drills-empty').innerText(), 'No drills yet: run cloudlab drill examples/drills/replica-failover.yaml');
    assert.deepEqual((await api<{ drills: unknown[] }>(state, 'GET', '/api/drills')).body, { drills: [] });

    // A short run of the example drill with the real drill engine, against this lab.
    const params = ['--param', 'load_for=10s', '--param', 'kill_at=3s', '--param', 'window=10s'];
    const drill = await run(dir, ['drill', join(ROOT, 'examples', 'drills', 'replica-failover.yaml'), ...params]);
    const { drills } = (await api<{ drills: DrillListing[] }>(state, 'GET', '/api/drills')).body;
    assert.equal(drills.length, 1, `cloudlab drill left one journal (exit ${drill.code}):\n${drill.stdout}\n${drill.stderr}`);
    const listing = drills[0]!;

    // The page picks it up by itself (it refreshes every few seconds).
    const row = page.locator(`[data-testid="drill-row"][data-drill-id="${listing.id}"]`);
    await row.waitFor();
    assert.equal(await row.getByRole('heading', { level: 2 }).innerText(), 'replica-failover');
    const badge = row.getByTestId('verdict');
    assert.match(await badge.innerText(), new RegExp(`^\\S+ ${listing.verdict}$`), 'the verdict as a word (and an icon), not only a colour');
    assert.ok((await badge.getAttribute('title'))?.length, 'the badge says what the verdict means');
    const report = row.getByTestId('drill-report');
    assert.equal(await report.getAttribute('href'), `/api/drills/${encodeURIComponent(listing.id)}/report`);
    assert.equal(await report.getAttribute('target'), '_blank');
    const [tab] = await Promise.all([page.context().waitForEvent('page'), report.click()]);
    await tab.waitForLoadState();
    assert.equal(new URL(tab.url()).pathname, `/api/drills/${encodeURIComponent(listing.id)}/report`);
    assert.match(await tab.title(), /replica-failover/, 'the report opens in a new tab (the token cookie goes with it)');
    await tab.close();

    const toggle = row.getByRole('button', { name: 'Summary of replica-failover' });
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    const summary = row.getByTestId('drill-summary');
    await summary.waitFor();
    const text = await summary.innerText();
    for (const phase of ['before', 'method', 'rollbacks']) assert.match(text, new RegExp(`${phase}: \\w+`), `the summary lists the ${phase} phase`);
    assert.match(text, /kill-replica on cafe \(1\) at \+\d/, 'the summary lists the fault the drill injected');
    await shoot(page, 'drills');
  });

  await t.test('the explore page renders', async () => {
    await open(page, '#/explore', 'Explore');
    await page.locator('figure.chart .uplot').first().waitFor();
    await shoot(page, 'explore');
  });

  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  assert.ok((traffic.counts['2xx'] ?? 0) > 0, `the load got answers: ${JSON.stringify(traffic.counts)}`);
});
