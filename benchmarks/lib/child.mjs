// Starting and stopping the benchmark's child processes. Each child has its own event
// loop (and so its own core when the scheduler allows), tells its ports with one
// IPC message when ready, and exits when told to stop or when the parent goes away.
import { fork } from 'node:child_process';
import { once } from 'node:events';

const READY_TIMEOUT_MS = 15_000;

/**
 * Forks `script` and resolves with the child and its first message ({ ready: ... }).
 * @param {URL} script
 * @param {Record<string, unknown>} options sent to the child as its first message
 * @param {string[]} execArgv Node flags of the child (e.g. --cpu-prof)
 */
export async function startChild(script, options = {}, execArgv = process.execArgv) {
  const child = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
  const failed = once(child, 'exit').then(([code]) => {
    throw new Error(`${script.pathname} exited with code ${code} before it was ready`);
  });
  let timer;
  const timedOut = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${script.pathname} was not ready after ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
  });
  child.send({ start: options });
  try {
    const [message] = await Promise.race([once(child, 'message'), failed, timedOut]);
    return { child, ready: message.ready };
  } catch (err) {
    child.kill();
    throw err;
  } finally {
    clearTimeout(timer);
    failed.catch(() => undefined);
  }
}

/** The child's CPU time so far (user + system), in microseconds. */
export async function childCpuMicros(child) {
  child.send({ cpu: true });
  for (;;) {
    const [message] = await once(child, 'message');
    if (message.cpu) return message.cpu.user + message.cpu.system;
  }
}

/** Asks a child to stop, and kills it if it has not exited within 5 s (a CPU profile takes a moment to write). */
export async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  if (child.connected) child.send({ stop: true });
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/**
 * The child side: waits for the start message, runs `start(options)` (which resolves
 * with what to report and a stop function), and exits on stop or when the parent dies.
 * @param {(options: any) => Promise<{ ready: unknown, stop: () => Promise<void> }>} start
 */
export function runChild(start) {
  let stop = async () => undefined;
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message) => {
    if (message.start) {
      start(message.start).then(
        (started) => {
          stop = started.stop;
          process.send({ ready: started.ready });
        },
        (err) => {
          console.error(err);
          process.exit(1);
        },
      );
    } else if (message.cpu) {
      process.send({ cpu: process.cpuUsage() });
    } else if (message.stop) {
      stop().finally(() => process.exit(0));
    }
  });
}
