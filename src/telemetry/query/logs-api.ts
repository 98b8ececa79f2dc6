/**
 * The hub's JSON log API:
 *   GET /api/logs?service=&severity=&q=&traceId=&start=&end=&limit=
 *     -> { "data": [record, ...] newest first, "stats": { returned, matched, stored, dropped } }
 *   GET /api/logs/tail?<same filters>&since=   (Server-Sent Events, see logs-tail.ts)
 * Errors answer { "error": { "code", "message" } } with the code's status.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LabError, isLabError } from '../../errors.js';
import type { Clock, QueryRoute } from '../contracts.js';
import type { LogStore } from '../logs/log-store.js';
import { sendJson } from './http-json.js';
import { toLogJson } from './logs-json.js';
import { filterParams, limitParam } from './logs-params.js';
import { DEFAULT_HEARTBEAT_MS, NODE_TIMERS, startLogTail } from './logs-tail.js';
import type { IntervalTimers } from './logs-tail.js';

export interface LogsApiOptions {
  logs: LogStore;
  /** Milliseconds since the epoch, for `since`; defaults to Date.now. */
  clock?: Clock;
  /** Between two heartbeat comments on a tail; default 15 s. */
  heartbeatMs?: number;
  /** Where the tail's heartbeat interval comes from; the global timers by default. */
  timers?: IntervalTimers;
}

export interface LogsResponseStats {
  /** Records in `data`. */
  returned: number;
  /** Stored records that matched, before the limit. */
  matched: number;
  /** Records the store holds now. */
  stored: number;
  /** Records the store has dropped so far (limit or retention). */
  dropped: number;
}

const DEFAULT_LIMIT = 100;

function sendError(res: ServerResponse, err: LabError, headers?: Record<string, string>): void {
  sendJson(res, err.statusCode, err.toJSON(), headers === undefined ? {} : { headers });
}

export function createLogsApi(options: LogsApiOptions): QueryRoute {
  const { logs } = options;
  const tail = {
    logs,
    clock: options.clock ?? Date.now,
    heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
    timers: options.timers ?? NODE_TIMERS,
  };

  function search(res: ServerResponse, params: URLSearchParams): void {
    const filter = filterParams(params);
    const limit = limitParam(params, DEFAULT_LIMIT);
    const result = logs.search({ ...filter, limit });
    const store = logs.stats();
    const stats: LogsResponseStats = { returned: result.records.length, matched: result.matched, stored: store.logs, dropped: store.droppedLogs };
    sendJson(res, 200, { data: result.records.map(toLogJson), stats });
  }

  return (req: IncomingMessage, res: ServerResponse, url: URL): boolean => {
    const path = url.pathname;
    if (path !== '/api/logs' && path !== '/api/logs/tail') return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(res, new LabError('LAB_QUERY_METHOD_NOT_ALLOWED', `method ${req.method ?? ''} not allowed on ${path}; use GET`), { allow: 'GET, HEAD' });
      return true;
    }
    try {
      if (path === '/api/logs') search(res, url.searchParams);
      else startLogTail(res, url.searchParams, tail);
    } catch (err) {
      if (!isLabError(err) || res.headersSent) throw err;
      sendError(res, err);
    }
    return true;
  };
}
