/**
 * The toxics that end connections, on real loopback sockets: limit_data, reset_peer,
 * timeout (with a limit, and 0 = hold until removed) and slow_close.
 */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { connect } from '../helpers/net.js';
import { addToxic, assertBetween, counterBytes, now, record, recordingServer, removeToxic, startProxy, updateToxic } from '../helpers/toxic-lab.js';
import type { RecordedSocket, ToxicBody, ToxicLab } from '../helpers/toxic-lab.js';

/** A hung socket fails the test instead of the run. */
const TEST_TIMEOUT_MS = 10_000;

/** Timers may fire a little early against performance.now(). */
const EARLY_MS = 5;
/** Scheduling slack on a loaded 2-core machine. */
const SLACK_MS = 250;

async function lab(t: TestContext, toxic: ToxicBody): Promise<{ proxy: ToxicLab; client: RecordedSocket; server: RecordedSocket; connectedAt: number }> {
  const upstream = await recordingServer(t);
  const proxy = await startProxy(t, upstream.port);
  await addToxic(proxy, toxic);
  // Taken before connecting: the proxy accepts (and a toxic's timer starts) after this,
  // while the continuation after `await connect()` may run late on a loaded machine.
  const connectedAt = now();
  const socket = await connect(t, proxy.port);
  const client = record(socket);
  const server = await upstream.nextSocket();
  return { proxy, client, server, connectedAt };
}

test('limit_data downstream passes exactly N bytes to the client, then closes', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { client, server } = await lab(t, { type: 'limit_data', stream: 'downstream', attributes: { bytes: 1000 } });
  const payload = counterBytes(5000);
  // The limit falls inside the second write, not on a write boundary.
  server.socket.write(payload.subarray(0, 600));
  server.socket.write(payload.subarray(600));
  const outcome = await client.done;
  assert.equal(outcome.how, 'end', 'a clean close (FIN), not a reset');
  assert.equal(outcome.data.length, 1000);
  assert.ok(outcome.data.equals(payload.subarray(0, 1000)), 'the first 1000 bytes, in order');
  assert.equal((await server.done).how, 'end', 'the upstream side is closed too');
});

test('limit_data upstream passes exactly N bytes to the server, then closes', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { client, server } = await lab(t, { type: 'limit_data', stream: 'upstream', attributes: { bytes: 300 } });
  const payload = counterBytes(1000);
  client.socket.write(payload);
  const outcome = await server.done;
  assert.equal(outcome.how, 'end');
  assert.ok(outcome.data.equals(payload.subarray(0, 300)), `exactly 300 bytes, got ${outcome.data.length}`);
  assert.equal((await client.done).how, 'end', 'the client side is closed too');
});

test('updating limit_data keeps the bytes already counted on open connections (as Toxiproxy does)', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { proxy, client, server } = await lab(t, { type: 'limit_data', stream: 'downstream', attributes: { bytes: 10 } });
  const payload = counterBytes(20);
  server.socket.write(payload.subarray(0, 6));
  await client.arrived(6);
  await updateToxic(proxy, 'limit_data_downstream', { attributes: { bytes: 8 } });
  server.socket.write(payload.subarray(6));
  const outcome = await client.done;
  assert.equal(outcome.how, 'end');
  assert.ok(outcome.data.equals(payload.subarray(0, 8)), `8 bytes in all (6 before the update, 2 after), got ${outcome.data.length}`);
});

test('reset_peer resets the client (ECONNRESET) timeout ms after data arrives, dropping the data', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { client, server } = await lab(t, { type: 'reset_peer', stream: 'downstream', attributes: { timeout: 150 } });
  const sent = now();
  server.socket.write('doomed');
  const outcome = await client.done;
  t.diagnostic(`ECONNRESET after ${(outcome.at - sent).toFixed(1)} ms`);
  assert.equal(outcome.how, 'ECONNRESET');
  assertBetween(outcome.at - sent, 150 - EARLY_MS, 150 + SLACK_MS, 'reset after timeout 150');
  assert.equal(outcome.data.length, 0, 'the data that triggered it was dropped');
  assert.equal((await server.done).how, 'ECONNRESET', 'the upstream is reset too');
});

test('reset_peer upstream with timeout 0 resets at once; the server never sees the data', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { client, server } = await lab(t, { type: 'reset_peer', stream: 'upstream', attributes: { timeout: 0 } });
  const sent = now();
  client.socket.write('doomed');
  const outcome = await client.done;
  assert.equal(outcome.how, 'ECONNRESET');
  assertBetween(outcome.at - sent, 0, SLACK_MS, 'reset at once');
  assert.equal((await server.done).data.length, 0);
});

test('timeout holds the connection (no data passes) and closes it after timeout ms', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { client, server, connectedAt } = await lab(t, { type: 'timeout', stream: 'upstream', attributes: { timeout: 200 } });
  client.socket.write('held');
  const [clientEnd, serverEnd] = await Promise.all([client.done, server.done]);
  t.diagnostic(`closed after ${(clientEnd.at - connectedAt).toFixed(1)} ms`);
  assert.equal(clientEnd.how, 'end');
  assert.equal(serverEnd.how, 'end');
  assertBetween(clientEnd.at - connectedAt, 200 - EARLY_MS, 200 + SLACK_MS, 'client side open until the timeout');
  assertBetween(serverEnd.at - connectedAt, 200 - EARLY_MS, 200 + SLACK_MS, 'server side open until the timeout');
  assert.equal(serverEnd.data.length, 0, 'no data passed upstream');
});

test('timeout 0 holds the connection until the toxic is removed, and removing it closes the connection', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { proxy, client, server } = await lab(t, { type: 'timeout', stream: 'downstream', attributes: { timeout: 0 } });
  client.socket.write('ping');
  await server.arrived(4); // upstream data is not held (the toxic sits downstream)
  server.socket.write('pong'); // ... but the answer is
  // A bounded wait for something that must NOT happen: the connection stays open.
  const early = await Promise.race([client.done.then((o) => o.how), delay(300, 'still open')]);
  assert.equal(early, 'still open', 'timeout 0 never closes by itself');
  assert.equal(client.bytes(), 0, 'nothing passed downstream while held');

  const removedAt = now();
  await removeToxic(proxy, 'timeout_downstream');
  const [clientEnd, serverEnd] = await Promise.all([client.done, server.done]);
  assert.equal(clientEnd.how, 'end', 'removing the toxic closes the held connection (as Toxiproxy does)');
  assert.equal(serverEnd.how, 'end');
  assert.ok(clientEnd.at >= removedAt);
  assert.equal(clientEnd.data.length, 0, 'held data is dropped, not delivered');
});

test('slow_close delays the close by delay ms; the data before it is not delayed', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { client, server } = await lab(t, { type: 'slow_close', stream: 'downstream', attributes: { delay: 200 } });
  const sent = now();
  server.socket.end('bye');
  const dataAt = await client.arrived(3);
  const outcome = await client.done;
  t.diagnostic(`data after ${(dataAt - sent).toFixed(1)} ms, end after ${(outcome.at - sent).toFixed(1)} ms`);
  assert.equal(outcome.how, 'end');
  assert.equal(outcome.data.toString(), 'bye');
  assertBetween(dataAt - sent, 0, 100, 'data passes at once');
  assertBetween(outcome.at - sent, 200 - EARLY_MS, 200 + SLACK_MS, 'the FIN reaches the client after delay 200');
});

test('slow_close upstream delays the client FIN to the server', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { client, server } = await lab(t, { type: 'slow_close', stream: 'upstream', attributes: { delay: 150 } });
  const sent = now();
  client.socket.end('bye');
  const outcome = await server.done;
  assert.equal(outcome.how, 'end');
  assert.equal(outcome.data.toString(), 'bye');
  assertBetween(outcome.at - sent, 150 - EARLY_MS, 150 + SLACK_MS, 'the FIN reaches the server after delay 150');
});
