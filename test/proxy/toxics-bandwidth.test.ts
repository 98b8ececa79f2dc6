/**
 * The throughput-shaping toxics on real loopback sockets: bandwidth (rate in KB/s, one
 * direction only) and slicer (one write becomes many smaller writes).
 */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../helpers/net.js';
import { addToxic, assertBetween, counterBytes, now, record, recordingServer, startProxy } from '../helpers/toxic-lab.js';

/** A hung socket fails the test instead of the run. */
const TEST_TIMEOUT_MS = 20_000;

test('bandwidth 100 KB/s moves 500 KB downstream in about 5 s, and leaves upstream at full speed', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const upstream = await recordingServer(t);
  const proxy = await startProxy(t, upstream.port);
  await addToxic(proxy, { type: 'bandwidth', stream: 'downstream', attributes: { rate: 100 } });
  const client = record(await connect(t, proxy.port));
  const server = await upstream.nextSocket();

  const SIZE = 500_000; // Toxiproxy's KB is 1000 bytes
  const down = counterBytes(SIZE);
  const up = counterBytes(SIZE, 7);
  const half = client.arrived(SIZE / 2);
  const all = client.arrived(SIZE);
  const upAll = server.arrived(SIZE);
  const started = now();
  server.socket.write(down);
  client.socket.write(up);

  const upMs = (await upAll) - started;
  const halfMs = (await half) - started;
  const allMs = (await all) - started;
  t.diagnostic(`500 KB downstream at 100 KB/s: half after ${halfMs.toFixed(0)} ms, all after ${allMs.toFixed(0)} ms; 500 KB upstream in ${upMs.toFixed(0)} ms`);
  assertBetween(allMs, 4500, 6000, '500 KB at 100 KB/s');
  assertBetween(halfMs, 2100, 3100, 'the first 250 KB (a steady rate, not a burst at the end)');
  assertBetween(upMs, 0, 1000, '500 KB upstream, where there is no toxic');
  assert.ok(Buffer.concat(client.chunks.map((c) => c.data)).equals(down), 'downstream bytes intact and in order');
  assert.ok(Buffer.concat(server.chunks.map((c) => c.data)).equals(up), 'upstream bytes intact and in order');
});

/** Writes 10 KB from one side in a single write; resolves with how the other side read it. */
async function tenKilobytes(
  t: TestContext,
  slicer: Record<string, number> | undefined,
  stream: 'upstream' | 'downstream',
): Promise<{ sizes: number[]; ms: number }> {
  const upstream = await recordingServer(t);
  const proxy = await startProxy(t, upstream.port);
  if (slicer) await addToxic(proxy, { type: 'slicer', stream, attributes: slicer });
  const client = record(await connect(t, proxy.port));
  const server = await upstream.nextSocket();
  const payload = counterBytes(10_240);
  const [writer, reader] = stream === 'downstream' ? [server, client] : [client, server];
  const done = reader.arrived(payload.length);
  const started = now();
  writer.socket.write(payload);
  const ms = (await done) - started;
  assert.ok(Buffer.concat(reader.chunks.map((c) => c.data)).equals(payload), 'bytes intact and in order');
  return { sizes: reader.chunks.map((c) => c.data.length), ms };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

test('slicer splits one 10 KB write into many small writes, delay µs apart', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const plain = await tenKilobytes(t, undefined, 'downstream');
  // average 256 ± 64 bytes, 1 ms apart: about 40 slices over some 40 ms.
  const sliced = await tenKilobytes(t, { average_size: 256, size_variation: 64, delay: 1000 }, 'downstream');
  t.diagnostic(`without slicer: ${plain.sizes.length} data event(s); with slicer: ${sliced.sizes.length} events, median ${median(sliced.sizes)} bytes, ${sliced.ms.toFixed(0)} ms`);
  assert.ok(plain.sizes.length <= 3, `without the toxic 10 KB arrives in a few reads, got ${plain.sizes.length}`);
  assert.ok(sliced.sizes.length >= 20, `sliced into many reads, got ${sliced.sizes.length}`);
  // A reader that falls behind may get two slices in one read; most reads are one slice.
  assert.ok(median(sliced.sizes) <= 256 + 64, `median read ${median(sliced.sizes)} bytes, expected at most 320`);
  assertBetween(sliced.ms, 30, 1000, 'about 40 slices 1 ms apart');
});

test('slicer on the upstream stream slices client-to-server writes', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const sliced = await tenKilobytes(t, { average_size: 512, size_variation: 0, delay: 1000 }, 'upstream');
  t.diagnostic(`upstream: ${sliced.sizes.length} data events, median ${median(sliced.sizes)} bytes`);
  assert.ok(sliced.sizes.length >= 10, `sliced into many reads, got ${sliced.sizes.length}`);
  assert.ok(median(sliced.sizes) <= 512, `median read ${median(sliced.sizes)} bytes, expected at most 512`);
});
