/** Helpers for the console's browser test: screenshots, navigation, and what the lab says. */
import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { api } from '../control/lab-cli.js';
import type { LabStateFile } from '../control/lab-cli.js';

// Compiled to dist/test/console/: the repository root is three levels up.
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'console');
export const DOC_IMAGES = join(ROOT, 'docs', 'images');
export const UPDATE_SCREENSHOTS = process.env['CLOUDLAB_UPDATE_SCREENSHOTS'] === '1';

/** In the page: the route is one trace's view (#/traces/<id>). */
export const ON_TRACE_VIEW = '/^#\\/traces\\/[^/?]+/.test(location.hash)';

export interface ToxiproxyProxy {
  name: string;
  enabled: boolean;
  toxics: Array<{ name: string; type: string; attributes: Record<string, unknown> }>;
}

/** The shape of GET /api/chaos's faults (src/chaos/types.ts ActiveFault), as far as the test reads it. */
export interface Fault {
  id: string;
  origin: string;
  scenario: string;
  detail: string;
  startedAtMs: number | null;
  expiresAtMs: number | null;
}

export async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  if (UPDATE_SCREENSHOTS) await copyFile(join(ARTIFACTS, `${name}.png`), join(DOC_IMAGES, `console-${name}.png`));
}

/** Navigates inside the console (hash routes) and waits for the page's heading. */
export async function open(page: Page, hash: string, heading: string): Promise<void> {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
  await page.getByRole('heading', { level: 1, name: heading }).first().waitFor();
}

/** Waits for the chaos page to list the postgres proxy and the scenarios; fails with the page's error when it shows one instead. */
export async function chaosLoaded(page: Page): Promise<void> {
  await page.getByTestId('proxy-card').filter({ hasText: 'postgres' }).or(page.getByRole('alert')).first().waitFor();
  await page.getByTestId('scenario-form').or(page.getByRole('alert')).first().waitFor();
  const alerts = await page.getByRole('alert').allTextContents();
  assert.deepEqual(alerts, [], `the chaos page shows an error instead of the proxies and scenarios: ${alerts.join('; ')}`);
}

export async function faults(state: LabStateFile): Promise<Fault[]> {
  const answer = await api<{ faults: Fault[] }>(state, 'GET', '/api/chaos');
  assert.equal(answer.status, 200, `GET /api/chaos answers 200: ${JSON.stringify(answer.body)}`);
  return answer.body.faults;
}

export async function proxies(state: LabStateFile): Promise<Record<string, ToxiproxyProxy>> {
  return (await api<Record<string, ToxiproxyProxy>>(state, 'GET', '/api/proxy/proxies')).body;
}

/** The highest per-route p95 of the cafe over the last 30 s, in seconds (what the overview's p95 chart plots). */
export async function cafeP95(state: LabStateFile): Promise<number | undefined> {
  const bucket = 'rate(http_server_request_duration_seconds_bucket{job="cafe",http_route!~"/health|/ready|/live|/metrics"}[30s])';
  const query = `max(histogram_quantile(0.95, sum by (le, http_route) (${bucket})))`;
  const answer = await api<{ data: { result: Array<{ value: [number, string] }> } }>(state, 'GET', `/api/hub/api/v1/query?${new URLSearchParams({ query }).toString()}`);
  const value = Number(answer.body.data.result[0]?.value[1]);
  return Number.isFinite(value) ? value : undefined;
}
