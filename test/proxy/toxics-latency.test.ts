/**
 * The latency toxic on real loopback sockets: it delays its own direction by
 * latency ± jitter and leaves the other direction alone. One-way delays are measured
 * with a server that stamps arrivals (client and server share this process's clock).
 */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { connect, echoServer, readBytes } from '../helpers/net.js';
import { addToxic, assertBetween, now, record, recordingServer, startProxy } from '../helpers/toxic-lab.js';
import type { RecordedSocket } from '../helpers/toxic-lab.js';

/** A hung socket fails the test instead of the run. */
const TEST_TIMEOUT_MS = 10_000;

const LATENCY_MS = 100;
const JITTER_MS = 20;
/** Timers may fire a little early against performance.now() (libuv's cached loop time). */
const EARLY_MS = 5;
/** Scheduling slack on a loaded 2-core machine. */
const SLACK_MS = 120;
/** A direction without the toxic arrives before the toxic could release anything. */
const UNDELAYED_MS = LATENCY_MS - JITTER_MS - EARLY_MS;
const SAMPLES = 3;

/** Sends one byte each way SAMPLES times; returns the one-way delays (ms) of each direction. */
async function oneWayDelays(client: RecordedSocket, server: RecordedSocket): Promise<{ up: number[]; down: number[] }> {
  const up: number[] = [];
  const down: number[] = [];
  for (let i = 1; i <= SAMPLES; i++) {
    let sent = now();
    client.socket.write('u');
    up.push((await server.arrived(i)) - sent);
    sent = now();
    server.socket.write('d');
    down.push((await client.arrived(i)) - sent);
  }
  return { up, down };
}

async function lab(t: TestContext, stream: 'upstream' | 'downstream'): Promise<{ client: RecordedSocket; server: RecordedSocket }> {
  const upstream = await recordingServer(t);
  const proxy = await startProxy(t, upstream.port);
  const toxic = await addToxic(proxy, { type: 'latency', stream, attributes: { latency: LATENCY_MS, jitter: JITTER_MS } });
  assert.equal(toxic.name, `latency_${stream}`);
  const client = record(await connect(t, proxy.port));
  const server = await upstream.nextSocket();
  return { client, server };
}

test('downstream latency delays server-to-client bytes by latency ± jitter, and not client-to-server bytes', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { client, server } = await lab(t, 'downstream');
  const { up, down } = await oneWayDelays(client, server);
  t.diagnostic(`down ${down.map((ms) => ms.toFixed(1)).join(', ')} ms; up ${up.map((ms) => ms.toFixed(1)).join(', ')} ms`);
  for (const ms of down) assertBetween(ms, LATENCY_MS - JITTER_MS - EARLY_MS, LATENCY_MS + JITTER_MS + SLACK_MS, 'downstream one-way delay');
  for (const ms of up) assertBetween(ms, 0, UNDELAYED_MS, 'upstream one-way delay (no toxic there)');
});

test('upstream latency delays client-to-server bytes by latency ± jitter, and not server-to-client bytes', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { client, server } = await lab(t, 'upstream');
  const { up, down } = await oneWayDelays(client, server);
  t.diagnostic(`up ${up.map((ms) => ms.toFixed(1)).join(', ')} ms; down ${down.map((ms) => ms.toFixed(1)).join(', ')} ms`);
  for (const ms of up) assertBetween(ms, LATENCY_MS - JITTER_MS - EARLY_MS, LATENCY_MS + JITTER_MS + SLACK_MS, 'upstream one-way delay');
  for (const ms of down) assertBetween(ms, 0, UNDELAYED_MS, 'downstream one-way delay (no toxic there)');
});

test('the echo round trip grows by about the latency of a downstream toxic', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const echo = await echoServer(t);
  const proxy = await startProxy(t, echo.port);
  const roundTrips = async (): Promise<number[]> => {
    const socket = await connect(t, proxy.port);
    const out: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const started = now();
      const back = readBytes(socket, 4);
      socket.write('ping');
      assert.equal((await back).toString(), 'ping');
      out.push(now() - started);
    }
    socket.destroy();
    return out;
  };
  const before = await roundTrips();
  for (const ms of before) assertBetween(ms, 0, UNDELAYED_MS, 'round trip without toxic');
  await addToxic(proxy, { type: 'latency', attributes: { latency: LATENCY_MS, jitter: JITTER_MS } });
  const after = await roundTrips();
  t.diagnostic(`round trips before ${before.map((ms) => ms.toFixed(1)).join(', ')} ms; after ${after.map((ms) => ms.toFixed(1)).join(', ')} ms`);
  for (const ms of after) assertBetween(ms, LATENCY_MS - JITTER_MS - EARLY_MS, LATENCY_MS + JITTER_MS + SLACK_MS, 'round trip with 100 ± 20 ms downstream latency');
});

test('a stream of chunks is delayed once, not latency per chunk (delay is measured from the read)', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { client, server } = await lab(t, 'downstream');
  // Ten writes in a row: with the delay counted from each chunk's read time, the
  // last one arrives about one latency after it was sent, not ten.
  const started = now();
  for (let i = 0; i < 10; i++) server.socket.write(Buffer.alloc(100, i));
  const last = await client.arrived(1000);
  assertBetween(last - started, LATENCY_MS - JITTER_MS - EARLY_MS, LATENCY_MS + JITTER_MS + SLACK_MS, 'ten back-to-back writes');
  assert.deepEqual(
    Buffer.concat(client.chunks.map((c) => c.data)),
    Buffer.concat(Array.from({ length: 10 }, (_, i) => Buffer.alloc(100, i))),
  );
});
