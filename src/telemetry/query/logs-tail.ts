/**
 * The live log tail over Server-Sent Events: GET /api/logs/tail. The stream opens
 * with a comment line, replays the matching records of the `since` window (oldest
 * first), then sends each new matching record as `data: <json>` followed by a blank
 * line; a comment every heartbeat keeps proxies from closing an idle stream. When
 * the client goes, the subscription and the heartbeat go with it.
 *
 * A client that reads slower than records arrive does not make the hub buffer
 * without bound: past MAX_BUFFERED_BYTES unsent, records are skipped, and a comment
 * says how many as soon as the stream has drained.
 */
import type { ServerResponse } from 'node:http';
import type { Clock } from '../contracts.js';
import type { LogStore } from '../logs/log-store.js';
import type { LogData } from '../model.js';
import { toLogJson } from './logs-json.js';
import { filterParams, limitParam, sinceParam } from './logs-params.js';

/** The interval functions the tail's heartbeat uses; injected in tests. */
export interface IntervalTimers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface LogTailOptions {
  logs: LogStore;
  clock: Clock;
  heartbeatMs: number;
  timers: IntervalTimers;
}

export const DEFAULT_HEARTBEAT_MS = 15_000;
const MAX_BUFFERED_BYTES = 1024 * 1024;
const DEFAULT_REPLAY_LIMIT = 100;

export const NODE_TIMERS: IntervalTimers = {
  setInterval: (callback, ms) => setInterval(callback, ms).unref(),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

/** Starts a tail on `res`; throws LAB_LOGS_BAD_PARAM (before anything is sent) for a bad parameter. */
export function startLogTail(res: ServerResponse, params: URLSearchParams, options: LogTailOptions): void {
  const filter = filterParams(params);
  const limit = limitParam(params, DEFAULT_REPLAY_LIMIT);
  const sinceUs = sinceParam(params, options.clock() * 1000);

  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  });
  if (res.req.method === 'HEAD') {
    res.end();
    return;
  }
  res.write(': cloudlab log tail\n\n');

  let skipped = 0;
  const send = (log: LogData): void => {
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      skipped++;
      return;
    }
    res.write(`data: ${JSON.stringify(toLogJson(log))}\n\n`);
  };
  // Once the client has read everything queued, tell it what it missed.
  const onDrain = (): void => {
    if (skipped === 0) return;
    res.write(`: skipped ${skipped} records, the client reads slower than they arrive\n\n`);
    skipped = 0;
  };
  res.on('drain', onDrain);

  if (sinceUs !== undefined) {
    const startUs = Math.max(sinceUs, filter.startUs ?? -Infinity);
    const replay = options.logs.search({ ...filter, startUs, limit }).records;
    for (let i = replay.length - 1; i >= 0; i--) send(replay[i] as LogData);
  }
  // Same tick as the replay: no record can arrive between the two, so none is lost or sent twice.
  const unsubscribe = options.logs.subscribe(filter, send);
  const heartbeat = options.timers.setInterval(() => {
    if (res.writableLength <= MAX_BUFFERED_BYTES) res.write(': heartbeat\n\n');
  }, options.heartbeatMs);

  const stop = (): void => {
    res.off('drain', onDrain);
    unsubscribe();
    options.timers.clearInterval(heartbeat);
  };
  res.once('close', stop);
  // A client already gone (the socket closed before this handler ran) gets no 'close' now.
  if (res.socket === null || res.socket.destroyed) {
    res.off('close', stop);
    stop();
  }
}
