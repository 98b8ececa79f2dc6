import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import type { TestContext } from 'node:test';
import { waitReady } from '../../src/supervisor/wait-ready.js';
import type { RunningProcess } from '../../src/supervisor/run-process.js';

const HEALTH = { intervalMs: 1000, timeoutMs: 1000, retries: 3, startPeriodMs: 60_000 };
/** Far longer than the test's own timeout: a check that waited for it would fail the test. */
const NEVER_MS = 600_000;

/**
 * A fake process (no child is spawned): waitReady only needs its exit promise and its
 * output events, and the test prints a line on its behalf with `print()`.
 */
function fakeProcess(t: TestContext): { proc: RunningProcess; print: () => void; exit: () => void } {
  const listeners = new Set<() => void>();
  let exit!: () => void;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => (exit = () => resolve({ code: 0, signal: null })));
  t.after(() => exit());
  const proc: RunningProcess = {
    pid: 0,
    exited,
    hasExited: () => false,
    signalGroup: () => undefined,
    recentOutput: () => [],
    onOutput(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { proc, print: () => [...listeners].forEach((l) => l()), exit };
}

/** An HTTP server on a free port that answers 503 until `ready()`, then 200; it counts the checks. */
async function server(t: TestContext): Promise<{ url: string; ready: () => void; checks: () => number; firstCheck: Promise<void> }> {
  let healthy = false;
  let checks = 0;
  let first!: () => void;
  const firstCheck = new Promise<void>((resolve) => (first = resolve));
  const srv = http.createServer((_req, res) => {
    checks++;
    first();
    res.writeHead(healthy ? 200 : 503).end();
  });
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  t.after(() => new Promise<void>((resolve) => srv.close(() => resolve())));
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/health`, ready: () => (healthy = true), checks: () => checks, firstCheck };
}

test('a line of output brings the next check forward: no wait for the poll interval', { timeout: 20_000 }, async (t) => {
  const { proc, print } = fakeProcess(t);
  const target = await server(t);
  const outcome = waitReady({ type: 'http', url: target.url }, HEALTH, proc, { pollMs: NEVER_MS });
  await target.firstCheck; // failed (503); the next one would come only after NEVER_MS
  target.ready();
  print(); // "listening"
  assert.deepEqual(await outcome, { type: 'ready' });
  assert.equal(target.checks(), 2);
});

test('a line printed while a check runs counts too: the check after it follows at once', { timeout: 20_000 }, async (t) => {
  const { proc, print } = fakeProcess(t);
  let checks = 0;
  const srv = http.createServer((_req, res) => {
    checks++;
    if (checks === 1) {
      // The process prints while its first check is still unanswered; that check then fails.
      print();
      res.writeHead(503).end();
    } else res.writeHead(200).end();
  });
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  t.after(() => new Promise<void>((resolve) => srv.close(() => resolve())));
  const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/`;
  assert.deepEqual(await waitReady({ type: 'http', url }, HEALTH, proc, { pollMs: NEVER_MS }), { type: 'ready' });
  assert.equal(checks, 2);
});

test('without output the checks keep to the poll interval, and an exit ends the wait', { timeout: 20_000 }, async (t) => {
  const { proc, exit } = fakeProcess(t);
  const target = await server(t);
  const outcome = waitReady({ type: 'http', url: target.url }, HEALTH, proc, { pollMs: NEVER_MS });
  await target.firstCheck;
  exit();
  assert.deepEqual(await outcome, { type: 'exited' });
  assert.equal(target.checks(), 1, 'no second check came before the interval');
});
