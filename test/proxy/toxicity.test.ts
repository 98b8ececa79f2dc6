/**
 * Toxicity: the chance that a toxic applies to a connection, rolled once per
 * connection and direction. Uses limit_data 1 on an echo upstream, so an affected
 * connection is told apart from a spared one by its bytes, with no timing involved.
 */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { connect, echoServer } from '../helpers/net.js';
import { addToxic, record, startProxy, updateToxic } from '../helpers/toxic-lab.js';
import type { ToxicLab } from '../helpers/toxic-lab.js';

/** A hung socket fails the test instead of the run. */
const TEST_TIMEOUT_MS = 15_000;

const MESSAGE = 'hello';

async function lab(t: TestContext, toxicity: number, seed?: number): Promise<ToxicLab> {
  const echo = await echoServer(t);
  const proxy = await startProxy(t, echo.port, seed === undefined ? {} : { seed });
  const toxic = await addToxic(proxy, { type: 'limit_data', toxicity, attributes: { bytes: 1 } });
  assert.equal(toxic.toxicity, toxicity, 'the API keeps the toxicity asked for (0 is not "unset")');
  return proxy;
}

/** One connection: echo MESSAGE, end; true when the toxic cut it after 1 byte. */
async function affected(t: TestContext, proxy: ToxicLab): Promise<boolean> {
  const client = record(await connect(t, proxy.port));
  client.socket.end(MESSAGE);
  const outcome = await client.done;
  client.socket.destroy();
  assert.equal(outcome.how, 'end');
  const text = outcome.data.toString();
  assert.ok(text === 'h' || text === MESSAGE, `either cut after 1 byte or whole, got ${JSON.stringify(text)}`);
  return text === 'h';
}

test('toxicity 0 affects no connection', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const proxy = await lab(t, 0);
  const results = await Promise.all(Array.from({ length: 20 }, () => affected(t, proxy)));
  assert.deepEqual(results, Array(20).fill(false));
});

test('toxicity 1 affects every connection', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const proxy = await lab(t, 1);
  const results = await Promise.all(Array.from({ length: 20 }, () => affected(t, proxy)));
  assert.deepEqual(results, Array(20).fill(true));
});

test('toxicity 0.5 with a seeded server affects a repeatable mix of 40 connections', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const runs: boolean[][] = [];
  for (const seed of [42, 42]) {
    const proxy = await lab(t, 0.5, seed);
    const run: boolean[] = [];
    // One at a time, so that the seeded rolls meet the connections in a fixed order.
    for (let i = 0; i < 40; i++) run.push(await affected(t, proxy));
    runs.push(run);
  }
  const hits = runs[0]!.filter(Boolean).length;
  t.diagnostic(`seed 42: ${hits} of 40 connections affected`);
  assert.ok(hits >= 8 && hits <= 32, `a mix, got ${hits} of 40 affected`);
  assert.deepEqual(runs[1], runs[0], 'the same seed gives the same pattern');
});

test('changing toxicity through the API re-rolls open connections', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const proxy = await lab(t, 0);
  const client = record(await connect(t, proxy.port));
  client.socket.write('a');
  await client.arrived(1); // spared: the byte came back and the connection is open
  assert.equal((await updateToxic(proxy, 'limit_data_downstream', { toxicity: 1 })).toxicity, 1);
  client.socket.write('bc');
  const outcome = await client.done;
  assert.equal(outcome.how, 'end');
  assert.equal(outcome.data.toString(), 'ab', 'now affected: one more byte passes, then the connection closes');
});
