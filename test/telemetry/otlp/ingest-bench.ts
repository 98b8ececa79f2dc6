/**
 * Not a test: a quick measure of OTLP/HTTP protobuf ingest, as the benchmark
 * states it (batches of 512 spans from a separate client process). Run after a build:
 *   node dist/test/telemetry/otlp/ingest-bench.js [seconds] [connections]
 * Prints spans per second and spans per CPU-second of the receiver's process (which
 * decodes into a sink that only counts, so the stores are not measured here).
 */
import http from 'node:http';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { createOtlpHttpReceiver } from '../../../src/telemetry/otlp/index.js';
import { captureSpanBatch } from './payloads.js';

const BATCH = 512;

async function client(url: string, seconds: number, connections: number): Promise<void> {
  const body = await captureSpanBatch(BATCH, 'protobuf');
  process.send?.({ ready: true });
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const cpu0 = process.cpuUsage();
  const until = Date.now() + seconds * 1000;
  let batches = 0;
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = http.request(`${url}/v1/traces`, { method: 'POST', agent, headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
  const loop = async (): Promise<void> => {
    while (Date.now() < until) {
      await one();
      batches++;
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  agent.destroy();
  const cpu = process.cpuUsage(cpu0);
  process.send?.({ batches, bytes: body.length, cpuS: (cpu.user + cpu.system) / 1e6 });
}

async function main(): Promise<void> {
  const [mode, target, secondsArg, connectionsArg] = process.argv.slice(2);
  if (mode === '--client') return client(target!, Number(secondsArg), Number(connectionsArg));
  const seconds = Number(process.argv[2] ?? 5);
  const connections = Number(process.argv[3] ?? 4);
  let spans = 0;
  const sink = { addSpans: (s: unknown[]) => void (spans += s.length), addMetrics: () => undefined, addLogs: () => undefined, addSamples: () => undefined };
  const receiver = createOtlpHttpReceiver({ port: 0, sink });
  const { url } = await receiver.listen();
  const child = fork(fileURLToPath(import.meta.url), ['--client', url, String(seconds), String(connections)]);
  await once(child, 'message'); // ready: the batch is built
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const [result] = (await once(child, 'message')) as [{ batches: number; bytes: number; cpuS: number }];
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  await receiver.close();
  console.log(`batch: ${BATCH} spans, ${result.bytes} bytes of protobuf; ${connections} connections for ~${seconds} s`);
  console.log(`received ${spans} spans in ${result.batches} batches; CPU over ${wallS.toFixed(1)} s: receiver ${cpuS.toFixed(2)} s, client ${result.cpuS.toFixed(2)} s`);
  console.log(`ingest: ${Math.round(spans / wallS)} spans/s wall, ${Math.round(spans / cpuS)} spans per CPU-second of the receiver`);
}

await main();
