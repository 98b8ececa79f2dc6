/**
 * The browser test's load step: the `steady` scenario started from the Load page's form with a
 * short duration, its users and requests/s shown live, then stopped from the page.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { api } from '../control/lab-cli.js';
import type { LabStateFile } from '../control/lab-cli.js';
import { open, shoot } from './browser.js';

interface LoadState {
  state: string;
  scenario: string | null;
  intervals: Array<{ users: number; requests: number }>;
  summary: { requests: number; interrupted: boolean } | null;
}

const isLoad = (url: string): boolean => new URL(url).pathname === '/api/load';

/** In the page: the first two figures (users, requests/s) are both above 0. */
const KPIS_LIVE = `(() => {
  const kpis = document.querySelector('[data-testid="load-kpis"]');
  if (!kpis) return false;
  const [users, rps] = [...kpis.children].map((d) => parseFloat(d.textContent));
  return users > 0 && rps > 0;
})()`;

export async function loadFromTheForm(page: Page, state: LabStateFile): Promise<void> {
  await open(page, '#/load', 'Load');
  await page.getByTestId('load-empty').waitFor();
  await page.getByTestId('load-scenario').selectOption('steady');
  await page.getByLabel('Duration (s)').fill('60');
  const started = page.waitForResponse((r) => isLoad(r.url()) && r.request().method() === 'POST');
  await page.getByTestId('load-start').click();
  const response = await started;
  assert.equal(response.status(), 202, `POST /api/load answers 202: ${await response.text()}`);
  assert.deepEqual(response.request().postDataJSON(), { scenario: 'steady', durationMs: 60_000 });

  // Live: the figures and the charts fill while it runs.
  await page.waitForFunction(KPIS_LIVE, undefined, { timeout: 60_000 });
  await page.locator('.load figure.chart .uplot').first().waitFor();
  assert.match(await page.getByTestId('load-state').innerText(), /steady against http:\/\/127\.0\.0\.1:\d+ \(closed model\): running · \d+ s left/);
  const running = await api<LoadState>(state, 'GET', '/api/load');
  assert.equal(running.body.state, 'running');
  assert.ok(running.body.intervals.some((i) => i.users > 0 && i.requests > 0), `the lab's load run has users and requests: ${JSON.stringify(running.body.intervals.slice(-3))}`);
  // For the picture: a few seconds of lines rather than one point each.
  await page.waitForFunction(`Number(/(\\d+) s left/.exec(document.querySelector('[data-testid="load-state"]')?.textContent ?? '')?.[1] ?? 60) <= 52`);
  await shoot(page, 'load');

  // Stop: the page says it is done, and the lab's run was cut short.
  const stopped = page.waitForResponse((r) => isLoad(r.url()) && r.request().method() === 'DELETE');
  await page.getByTestId('load-stop').click();
  assert.equal((await stopped).status(), 202, 'DELETE /api/load answers 202 (stopping)');
  await page.getByTestId('load-state').filter({ hasText: /: done/ }).waitFor();
  await page.getByTestId('load-start').waitFor();
  const done = await api<LoadState>(state, 'GET', '/api/load');
  assert.equal(done.body.state, 'done');
  assert.equal(done.body.summary?.interrupted, true, `the run was stopped early: ${JSON.stringify(done.body.summary)}`);
  assert.ok((done.body.summary?.requests ?? 0) > 0);
}
