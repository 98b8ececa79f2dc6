/**
 * A worker thread of a load run: runs its shard (a share of the users or arrivals)
 * and answers the main thread's ticks with its interval and order records; at the end
 * it sends its raw histogram buckets and counters, for an exact merge.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { abortShard, runShard } from './local-shard.js';
import { Shard, systemClock } from './shard.js';
import type { FromWorker, ToWorker, WorkerInput } from './worker-protocol.js';

const input = workerData as WorkerInput;
const port = parentPort;
if (!port) throw new Error('worker.ts runs as a worker thread of runLoad()');

let records: string[] = [];
const takeRecords = (): string[] => {
  const out = records;
  records = [];
  return out;
};
const post = (message: FromWorker): void => port.postMessage(message);

const shard = new Shard({
  scenario: input.scenario, index: input.index, count: input.count, connections: input.connections, transport: input.transport, clock: systemClock,
  onRecord: input.recording ? (line) => records.push(line) : undefined,
});

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'start':
      runShard(shard, input.scenario, message.t0).then(
        (snapshot) => {
          post({ type: 'done', snapshot, interval: shard.takeInterval(), records: takeRecords() });
          port.close();
        },
        (err: unknown) => post({ type: 'failed', message: String((err as Error).message ?? err), stack: String((err as Error).stack ?? '') }),
      );
      break;
    case 'tick':
      post({ type: 'interval', id: message.id, interval: shard.takeInterval(), records: takeRecords() });
      break;
    case 'abort':
      abortShard(shard);
      break;
  }
});
post({ type: 'ready' });
