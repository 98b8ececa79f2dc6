/**
 * The browser test's chaos steps: a scenario injected from its form with a duration (the form
 * refuses a bad value first, without sending anything), its countdown in Active, Remove; then
 * "Reset all" clearing faults, toxics and flags. Each checks the page and the lab's API.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { api } from '../control/lab-cli.js';
import type { LabStateFile } from '../control/lab-cli.js';
import { chaosLoaded, faults, open, proxies, shoot } from './browser.js';
import type { Fault } from './browser.js';

const isChaosPost = (url: string, method: string): boolean => method === 'POST' && new URL(url).pathname === '/api/chaos';

export async function injectWithDuration(page: Page, state: LabStateFile): Promise<void> {
  await open(page, '#/chaos', 'Chaos');
  await chaosLoaded(page);
  const form = page.locator('[data-testid="scenario-form"][data-scenario="cache-latency"]');
  const value = form.getByLabel('latency_ms (ms)', { exact: true });
  const submit = form.getByRole('button', { name: 'Inject cache-latency' });

  // Not whole milliseconds: refused beside the field, marked invalid, and nothing is sent.
  const sent: string[] = [];
  const onRequest = (r: { url(): string; method(): string }): void => void (isChaosPost(r.url(), r.method()) && sent.push(r.url()));
  page.on('request', onRequest);
  await value.fill('12.5');
  await submit.click();
  await form.locator('input[aria-invalid="true"]').waitFor();
  const problem = await form.locator('.field-error').innerText();
  assert.match(problem, /^latency_ms \(ms\) must be a whole number of milliseconds from 0 to 600000, received "12\.5"$/);
  const describedBy = (await value.getAttribute('aria-describedby')) ?? '';
  const errorId = await form.locator('.field-error').getAttribute('id');
  assert.ok(errorId && describedBy.split(' ').includes(errorId), `the field's description includes its problem: ${describedBy}`);

  // 40 ms for 1 minute.
  await value.fill('40');
  await form.getByLabel('Duration', { exact: true }).selectOption('1m');
  const posted = page.waitForResponse((r) => isChaosPost(r.url(), r.request().method()));
  await submit.click();
  const response = await posted;
  page.off('request', onRequest);
  assert.equal(sent.length, 1, `one POST /api/chaos, after the value was fixed: ${sent.join(', ')}`);
  assert.equal(response.status(), 201);
  assert.deepEqual(response.request().postDataJSON(), { scenario: 'cache-latency', value: 40, durationMs: 60_000 });
  const { fault } = (await response.json()) as { fault: Fault };

  // Active lists it with a live countdown; the lab holds it with its expiry.
  const row = page.locator(`[data-testid="active-fault"][data-fault-id="${fault.id}"]`);
  const countdown = row.getByTestId('fault-countdown');
  await countdown.waitFor();
  const first = await countdown.innerText();
  assert.match(first, /^removed by the lab in (1:00|0:[0-5]\d)$/);
  // It counts down live: wait for the text to change.
  await page.waitForFunction(`document.querySelector('[data-fault-id="${fault.id}"] [data-testid="fault-countdown"]')?.textContent !== ${JSON.stringify(first)}`);
  const held = (await faults(state)).find((f) => f.id === fault.id);
  assert.ok(held && held.expiresAtMs !== null && held.startedAtMs !== null, `GET /api/chaos holds ${fault.id} with its expiry: ${JSON.stringify(held)}`);
  assert.equal(held.expiresAtMs - held.startedAtMs, 60_000);
  const cache = (await proxies(state))['cache'];
  assert.ok(cache?.toxics.some((t) => t.type === 'latency' && t.attributes['latency'] === 40), `the cache proxy has a 40 ms latency toxic: ${JSON.stringify(cache)}`);
  // The picture shows the top of the page: Active with the countdown, the one-click scenarios.
  await page.evaluate('window.scrollTo(0, 0)');
  await shoot(page, 'chaos');

  // Remove: gone from the page (and said so) and from the lab.
  const removed = page.waitForResponse((r) => r.request().method() === 'DELETE' && r.url().endsWith(`/api/chaos/${fault.id}`));
  await row.getByRole('button', { name: `Remove cache-latency: ${fault.detail}` }).click();
  assert.equal((await removed).status(), 200);
  await row.waitFor({ state: 'detached' });
  assert.match(await page.getByTestId('active-announcement').innerText(), /^Removed cache-latency: /);
  assert.equal((await faults(state)).some((f) => f.id === fault.id), false, `${fault.id} is no longer active`);
  assert.deepEqual((await proxies(state))['cache']?.toxics, [], 'the cache proxy has no toxics after Remove');
}

export async function resetAll(page: Page, state: LabStateFile): Promise<void> {
  await open(page, '#/chaos', 'Chaos');
  await chaosLoaded(page);
  // A flag too, so that Reset all has faults of two kinds to clear.
  await page.getByRole('button', { name: 'Payment errors', exact: true }).click();
  await page.getByTestId('active-fault').filter({ hasText: 'payments-errors' }).waitFor();
  const flags = await api<{ flags: Record<string, unknown> }>(state, 'GET', '/api/flags');
  assert.equal(flags.body.flags['paymentFailureRate'], 0.5, `Payment errors set the flag: ${JSON.stringify(flags.body)}`);

  const reset = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/chaos/reset'));
  await page.getByRole('button', { name: 'Reset all' }).click();
  const response = await reset;
  assert.equal(response.status(), 200, 'POST /api/chaos/reset from the page answers 200');
  const { removed } = (await response.json()) as { removed: Fault[] };
  const scenarios = removed.map((f) => f.scenario);
  for (const expected of ['postgres-latency', 'payments-errors']) assert.ok(scenarios.includes(expected), `Reset all removed ${expected}: ${scenarios.join(', ')}`);
  await page.getByTestId('no-active-faults').waitFor();
  assert.match(await page.getByTestId('active-announcement').innerText(), /^Reset all removed \d+ faults?/);

  assert.deepEqual(await faults(state), []);
  for (const proxy of Object.values(await proxies(state))) {
    assert.deepEqual(proxy.toxics, [], `${proxy.name} has no toxics after Reset all`);
    assert.equal(proxy.enabled, true, `${proxy.name} is enabled after Reset all`);
  }
  assert.deepEqual((await api<{ flags: Record<string, unknown> }>(state, 'GET', '/api/flags')).body.flags, {}, 'no flag is set after Reset all');
}
