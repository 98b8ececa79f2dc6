/**
 * `cloudlab down [--volumes]`: stops the lab running from this directory (through
 * its control API, so it stops its processes in reverse order), then makes sure
 * nothing is left: a lab that does not answer is killed and whatever it had
 * started is stopped from the process table it kept. `--volumes` then deletes the
 * state directory (database, cache files, logs), as compose's does.
 */
import { rm } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { readLabState } from '../control/index.js';
import { isAlive, reapOrphans } from '../supervisor/index.js';
import { parseFlags, durationFlag } from './args.js';
import { callLab, stateDirFor } from './lab-client.js';

export const DOWN_HELP = `Usage: cloudlab down [flags]

Stops the lab started from this directory and every process it runs.

Flags:
  -f, --file <path>    the config file (default ./cloudlab.yaml)
  -v, --volumes        also delete the state directory (.cloudlab: database, cache, logs)
  -t, --timeout <dur>  how long the lab may take to stop before it is killed (default 30s)
  -h, --help           show this help
`;

async function waitForExit(pid: number, deadline: number): Promise<boolean> {
  // The lab is another process tree: its exit is observable only by polling its pid.
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await delay(100);
  }
  return true;
}

export async function runDownCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parseFlags('down', argv, {
    file: { type: 'string', short: 'f' },
    volumes: { type: 'boolean', short: 'v' },
    timeout: { type: 'string', short: 't' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    out.write(DOWN_HELP);
    return 0;
  }
  const timeoutMs = durationFlag('down', 'timeout', values.timeout, 30_000);
  const stateDir = await stateDirFor(process.cwd(), values.file);
  const state = await readLabState(stateDir);
  if (state) {
    out.write(`cloudlab: stopping lab "${state.name}" (pid ${state.pid})\n`);
    try {
      await callLab(state, 'POST', '/api/down');
    } catch {
      process.kill(state.pid, 'SIGTERM');
    }
    if (!(await waitForExit(state.pid, Date.now() + timeoutMs))) {
      out.write(`cloudlab: the lab did not stop within ${timeoutMs} ms; killing it\n`);
      process.kill(state.pid, 'SIGKILL');
      await waitForExit(state.pid, Date.now() + 5000);
    }
  } else out.write(`cloudlab: no lab is running from ${stateDir}\n`);
  const reaped = await reapOrphans(stateDir);
  if (reaped.killed.length > 0) out.write(`cloudlab: stopped ${reaped.killed.length} leftover process(es): ${reaped.killed.map((k) => `${k.name} (pid ${k.pid})`).join(', ')}\n`);
  if (values.volumes) {
    await rm(stateDir, { recursive: true, force: true });
    out.write(`cloudlab: deleted ${stateDir}\n`);
  }
  out.write('cloudlab: down\n');
  return 0;
}
