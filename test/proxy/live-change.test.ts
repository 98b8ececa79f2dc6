/**
 * Toxics added, changed and removed through the API act on connections that are
 * already open, and no byte in flight is lost, duplicated or reordered on the way.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { api, connect, echoServer, readBytes } from '../helpers/net.js';
import { addToxic, assertBetween, counterBytes, now, record, removeToxic, startProxy, until, updateToxic } from '../helpers/toxic-lab.js';
import type { ToxicLab } from '../helpers/toxic-lab.js';

/** A hung socket fails the test instead of the run. */
const TEST_TIMEOUT_MS = 20_000;

test('a toxic added, updated and removed acts on an already open connection', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const echo = await echoServer(t);
  const proxy = await startProxy(t, echo.port);
  const socket = await connect(t, proxy.port);
  const roundTrip = async (): Promise<number> => {
    const started = now();
    const back = readBytes(socket, 4);
    socket.write('ping');
    assert.equal((await back).toString(), 'ping');
    return now() - started;
  };
  const before = await roundTrip();
  await addToxic(proxy, { name: 'lag', type: 'latency', attributes: { latency: 120 } });
  const added = await roundTrip();
  await updateToxic(proxy, 'lag', { attributes: { latency: 250 } });
  const updated = await roundTrip();
  await removeToxic(proxy, 'lag');
  const removed = await roundTrip();
  t.diagnostic(`round trip ${before.toFixed(1)} → ${added.toFixed(1)} (added 120) → ${updated.toFixed(1)} (updated 250) → ${removed.toFixed(1)} ms (removed)`);
  // Anything under 100 ms is "no toxic": the smallest latency used here is 120.
  assertBetween(before, 0, 100, 'before the toxic');
  assertBetween(added, 115, 120 + 150, 'after adding latency 120');
  assertBetween(updated, 245, 250 + 150, 'after updating it to 250');
  assertBetween(removed, 0, 100, 'after removing it');
});

test('a timeout 0 toxic added to an open connection holds it, and removing it closes it', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const echo = await echoServer(t);
  const proxy = await startProxy(t, echo.port);
  const client = record(await connect(t, proxy.port));
  client.socket.write('a');
  await client.arrived(1);
  await addToxic(proxy, { type: 'timeout', attributes: { timeout: 0 } });
  client.socket.write('b');
  // Evidence that 'b' made the round trip to the echo and back to the proxy, where it is held.
  const stats = proxy.server.collection.get(proxy.name).stats.bytes.downstream;
  await until(() => stats.received >= 2, 'the echoed "b" to reach the proxy');
  assert.equal(client.bytes(), 1, 'the echoed "b" is held');
  await removeToxic(proxy, 'timeout_downstream');
  const outcome = await client.done;
  assert.equal(outcome.how, 'end');
  assert.equal(outcome.data.toString(), 'a');
});

/** Applies one API change; each runs when the client has received a given share of the stream. */
type Step = [share: number, what: string, run: (proxy: ToxicLab) => Promise<unknown>];

const STEPS: Step[] = [
  [0.04, 'add latency downstream 30 ± 10', (p) => addToxic(p, { name: 'lag', type: 'latency', attributes: { latency: 30, jitter: 10 } })],
  [0.1, 'update latency to 60 ± 30', (p) => updateToxic(p, 'lag', { attributes: { latency: 60, jitter: 30 } })],
  [0.16, 'add bandwidth upstream 4000 KB/s', (p) => addToxic(p, { name: 'bw', type: 'bandwidth', stream: 'upstream', attributes: { rate: 4000 } })],
  [0.22, 'add slicer downstream 2000 ± 500 B', (p) => addToxic(p, { name: 'slice', type: 'slicer', attributes: { average_size: 2000, size_variation: 500, delay: 100 } })],
  [0.3, 'update bandwidth to 2000 KB/s', (p) => updateToxic(p, 'bw', { attributes: { rate: 2000 } })],
  [0.38, 'update latency toxicity to 0', (p) => updateToxic(p, 'lag', { toxicity: 0 })],
  [0.44, 'add latency upstream 20 ± 20', (p) => addToxic(p, { name: 'lag-up', type: 'latency', stream: 'upstream', attributes: { latency: 20, jitter: 20 } })],
  [0.5, 'update latency toxicity to 1', (p) => updateToxic(p, 'lag', { toxicity: 1 })],
  [0.56, 'update slicer to 700 ± 300 B, no delay', (p) => updateToxic(p, 'slice', { attributes: { average_size: 700, size_variation: 300, delay: 0 } })],
  [0.62, 'remove latency downstream', (p) => removeToxic(p, 'lag')],
  [0.68, 'update bandwidth to 0 (no limit)', (p) => updateToxic(p, 'bw', { attributes: { rate: 0 } })],
  [0.72, 'update bandwidth to 8000 KB/s', (p) => updateToxic(p, 'bw', { attributes: { rate: 8000 } })],
  [0.78, 'remove bandwidth', (p) => removeToxic(p, 'bw')],
  [0.84, 'remove slicer', (p) => removeToxic(p, 'slice')],
  [0.9, 'remove latency upstream', (p) => removeToxic(p, 'lag-up')],
  [0.95, 'add and at once remove a latency', async (p) => {
    await addToxic(p, { name: 'blip', type: 'latency', attributes: { latency: 40 } });
    await removeToxic(p, 'blip');
  }],
];

test('no byte is lost or reordered while toxics are added, updated and removed mid-stream', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const echo = await echoServer(t);
  const proxy = await startProxy(t, echo.port);
  const client = record(await connect(t, proxy.port));
  const TOTAL = 3_000_000;
  const payload = counterBytes(TOTAL);
  const started = now();

  // Write in 16 KB pieces at most WINDOW bytes ahead of what came back, so that every
  // change meets data in flight in both directions (unpaced, the whole stream would
  // sit in kernel buffers past the upstream toxics within milliseconds).
  const WINDOW = 256 * 1024;
  let written = 0;
  const writer = (async () => {
    for (let offset = 0; offset < TOTAL; offset += 16_384) {
      if (offset > WINDOW) await client.arrived(offset - WINDOW);
      const piece = payload.subarray(offset, offset + 16_384);
      written += piece.length;
      if (!client.socket.write(piece)) await once(client.socket, 'drain');
    }
  })();

  const log: string[] = [];
  for (const [share, what, run] of STEPS) {
    await client.arrived(Math.floor(TOTAL * share));
    const inFlight = written - client.bytes();
    assert.ok(inFlight > 0, `bytes in flight when the change "${what}" was made`);
    await run(proxy);
    log.push(`${(share * 100).toFixed(0)}%: ${what}, ${inFlight} bytes in flight (at ${(now() - started).toFixed(0)} ms)`);
  }
  await writer;
  client.socket.end(); // the echo ends after the last byte, so 'end' comes after everything that survived
  const outcome = await client.done;
  t.diagnostic(`3 MB round trip through ${STEPS.length} live changes in ${(now() - started).toFixed(0)} ms, ${outcome.dataEvents} reads`);
  for (const line of log) t.diagnostic(line);

  assert.equal(outcome.how, 'end', 'the echo ended after our end: the connection survived every change');
  assert.equal(outcome.data.length, TOTAL, 'no byte lost or duplicated');
  if (!outcome.data.equals(payload)) {
    let i = 0;
    while (outcome.data[i] === payload[i]) i++;
    assert.fail(`bytes differ from offset ${i}: got ${outcome.data[i]}, expected ${payload[i]}`);
  }
  assert.deepEqual((await api(proxy.url, 'GET', `/proxies/${proxy.name}/toxics`)).json, [], 'every toxic was removed');
});
