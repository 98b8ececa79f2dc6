// Request and answer between the telemetry benchmark and its child processes (the hub,
// the OTLP client), over the fork() IPC channel. Each child has its own event loop, so
// neither shares a core's time slices with the process that measures it.
import { fork } from 'node:child_process';

/**
 * Forks `script` and returns a handle whose call(method, params) resolves with the
 * child's answer. Events the child emits unasked go to `onEvent`.
 * @param {URL} script
 * @param {{ execArgv?: string[], onEvent?: (event: unknown) => void }} options
 */
export function forkChild(script, { execArgv = [], onEvent = () => undefined } = {}) {
  const child = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
  const pending = new Map();
  let nextId = 1;
  let exited;
  child.on('message', (message) => {
    if (message.event !== undefined) return onEvent(message.event);
    const waiter = pending.get(message.id);
    if (waiter === undefined) return undefined;
    pending.delete(message.id);
    if (message.error !== undefined) waiter.reject(new Error(`${script.pathname}: ${message.error}`));
    else waiter.resolve(message.result);
    return undefined;
  });
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.once('exit', (code, signal) => {
    exited = `exited (${signal ?? `code ${code}`})`;
    for (const waiter of pending.values()) waiter.reject(new Error(`${script.pathname} ${exited} before it answered`));
    pending.clear();
  });
  return {
    pid: child.pid,
    call(method, params = {}) {
      if (exited !== undefined) return Promise.reject(new Error(`${script.pathname} ${exited}`));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, method, params });
      });
    },
    /** Asks the child to stop (its `stop` handler), and kills it if it is still there after 5 s. */
    async stop() {
      if (exited !== undefined) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      try {
        await this.call('stop');
      } catch {
        // already going
      }
      if (child.connected) child.disconnect();
      await gone;
      clearTimeout(timer);
    },
  };
}

/**
 * The child side: answers each call with handlers[method](params); `stop` runs the
 * handler's own stop (if any) and exits. The child also exits when the parent goes.
 * @param {Record<string, (params: any) => unknown>} handlers
 * @returns {(event: unknown) => void} sends an event to the parent
 */
export function serve(handlers) {
  process.on('disconnect', () => process.exit(0));
  process.on('message', ({ id, method, params }) => {
    const handler = handlers[method];
    Promise.resolve()
      .then(() => {
        if (handler === undefined && method !== 'stop') throw new Error(`no method ${method}`);
        return handler?.(params);
      })
      .then(
        (result) => process.send({ id, result: result ?? null }),
        (err) => process.send({ id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
      )
      .finally(() => {
        if (method === 'stop') process.disconnect();
      });
  });
  return (event) => {
    if (process.connected) process.send({ event });
  };
}
