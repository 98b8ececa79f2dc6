// The cafe benchmark's helper processes (the stack supervisor and the telemetry hub):
// forked in their own process group, so a Ctrl-C at the terminal reaches only the
// benchmark, which then stops them in order; each child also cleans up and exits
// when its parent goes away (the IPC channel closes), even if the parent was killed.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';

const CLOSE_TIMEOUT_MS = 20_000;

/**
 * Forks `script` (which calls serve()) and returns a handle to call its methods.
 * @param {URL} script
 */
export function forkChild(script) {
  const child = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], detached: true });
  let nextId = 0;
  const pending = new Map();
  const exited = once(child, 'exit').then(([code, signal]) => {
    for (const { reject, name } of pending.values()) reject(new Error(`${script.pathname} exited (${signal ?? code}) during ${name}`));
    pending.clear();
    return { code, signal };
  });
  child.on('message', (message) => {
    const call = pending.get(message.id);
    if (call === undefined) return;
    pending.delete(message.id);
    if (message.error !== undefined) call.reject(new Error(message.error));
    else call.resolve(message.value);
  });
  const running = () => child.exitCode === null && child.signalCode === null;

  return {
    child,
    exited,
    /** Calls `name(args)` in the child; resolves with what it returns. */
    call(name, args = {}) {
      if (!running() || !child.connected) return Promise.reject(new Error(`${script.pathname} is not running (calling ${name})`));
      const id = ++nextId;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, name });
        child.send({ id, name, args });
      });
    },
    /** Asks the child to clean up and exit; kills it if it has not within the timeout. */
    async stop(timeoutMs = CLOSE_TIMEOUT_MS) {
      if (!running()) return;
      if (child.connected) child.send({ close: true });
      const timer = sleep(timeoutMs, 'timeout', { ref: false });
      if ((await Promise.race([exited, timer])) === 'timeout') this.kill();
      await exited;
    },
    /** Last resort: SIGKILL (its own children are then left to the OS). */
    kill() {
      if (running()) child.kill('SIGKILL');
    },
  };
}

/**
 * The child side. `methods` are called by name with one argument; `close()` (if
 * any) runs once, on the parent's request or when the parent is gone, then the
 * process exits.
 * @param {Record<string, (args: any) => unknown> & { close?: () => Promise<void> }} methods
 */
export function serve(methods) {
  let closing;
  const close = (code) => {
    closing ??= Promise.resolve()
      .then(() => methods.close?.())
      .catch((err) => console.error(err))
      .finally(() => process.exit(code));
    return closing;
  };
  process.on('disconnect', () => void close(0));
  // Not in the terminal's process group, but someone may signal it directly.
  process.on('SIGTERM', () => void close(0));
  process.on('SIGINT', () => void close(0));
  process.on('message', (message) => {
    if (message.close) {
      void close(0);
      return;
    }
    const method = methods[message.name];
    Promise.resolve()
      .then(() => {
        if (typeof method !== 'function' || message.name === 'close') throw new Error(`no method ${message.name}`);
        return method(message.args);
      })
      .then(
        (value) => process.connected && process.send({ id: message.id, value }),
        (err) => process.connected && process.send({ id: message.id, error: err instanceof Error ? err.message : String(err) }),
      );
  });
}
