/**
 * Active health checks, as an ALB target group runs them: every interval, a GET of
 * the health path on each backend over a fresh connection; a 2xx answer within the
 * timeout passes, anything else fails. The pool applies the thresholds. Timers are
 * unref'd, so checks never keep a process alive; stop() ends checks in progress.
 */
import http from 'node:http';
import type { ClientRequest } from 'node:http';
import type { BackendPool, BackendState } from './pool.js';

export interface HealthCheckerOptions {
  pool: BackendPool;
  path: string;
  intervalMs: number;
  timeoutMs: number;
}

export interface HealthChecker {
  stop(): void;
}

/** The result of one check. */
export type CheckResult = { passed: boolean; detail: string };

export function startHealthChecks(options: HealthCheckerOptions): HealthChecker {
  const { pool, path, intervalMs, timeoutMs } = options;
  const inProgress = new Map<BackendState, ClientRequest>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const check = (state: BackendState): void => {
    const { host, port } = state.backend;
    let done = false;
    const finish = (result: CheckResult): void => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      inProgress.delete(state);
      request.destroy();
      if (!stopped) pool.reportCheck(state, result.passed, result.detail);
    };
    const request = http.request({
      host,
      port,
      path,
      method: 'GET',
      agent: false,
      headers: { host: `${host}:${port}`, 'user-agent': 'cloudlab-edge-health-check/1', connection: 'close' },
    });
    inProgress.set(state, request);
    const deadline = setTimeout(() => finish({ passed: false, detail: `GET ${path} had no answer within ${timeoutMs} ms` }), timeoutMs);
    deadline.unref();
    request.on('response', (res) => {
      const status = res.statusCode ?? 0;
      // The body does not matter; the connection is closed right after the status line.
      res.on('error', () => undefined);
      res.resume();
      finish({ passed: status >= 200 && status < 300, detail: `GET ${path} answered ${status}` });
    });
    request.on('error', (err: NodeJS.ErrnoException) => finish({ passed: false, detail: `GET ${path} failed: ${err.code ?? err.message}` }));
    request.end();
  };

  const round = (): void => {
    if (stopped) return;
    for (const state of pool.list()) if (!inProgress.has(state)) check(state);
    schedule();
  };
  const schedule = (): void => {
    timer = setTimeout(round, intervalMs);
    timer.unref();
  };
  schedule();

  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      for (const request of inProgress.values()) request.destroy();
      inProgress.clear();
    },
  };
}
