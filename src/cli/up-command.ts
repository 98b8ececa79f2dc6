/**
 * `cloudlab up [-d] [-f cloudlab.yaml] [--free-ports]`: starts the lab. In the
 * foreground it runs until Ctrl-C; with -d it starts a detached copy of itself,
 * shows that copy's progress, and returns once the lab is up.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES, LabError } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import type { LabConfig } from '../config/index.js';
import type { Lab } from '../control/index.js';
import { parseFlags } from './args.js';
import { untilStopSignal } from './signals.js';
import { createProgressView } from './progress-view.js';
import type { ProgressEvent } from './progress-view.js';

export const UP_HELP = `Usage: cloudlab up [flags]

Starts the whole lab from ./cloudlab.yaml (or the built-in cafe demo when there is
none): postgres and the cache behind fault proxies, the services with their
replicas behind the edge, the hub and the console. Prints every URL when ready.

Flags:
  -d, --detach        run in the background; stop it with \`cloudlab down\`
  -f, --file <path>   the config file (default ./cloudlab.yaml)
      --free-ports    give every listener a free port instead of the configured one
  -h, --help          show this help
`;

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

type DaemonMessage = { type: 'hello' } | { type: 'progress'; event: ProgressEvent } | { type: 'ready'; banner: string } | { type: 'failed'; message: string; code: string };
/** What `up -d` sends its detached copy: the config it validated, so the copy starts the lab without reading it again. */
type ParentMessage = { type: 'config'; config: LabConfig };

export function banner(lab: Lab, name: string, ms: number, detached: boolean): string {
  const width = Math.max(...Object.keys(lab.urls).map((k) => k.length)) + 2;
  const lines = Object.entries(lab.urls).map(([k, v]) => `  ${k.padEnd(width)}${v}`);
  const notes = lab.notes.map((n) => `  ${n}\n`).join('');
  return `\ncloudlab: lab "${name}" is up in ${(ms / 1000).toFixed(1)} s\n${lines.join('\n')}\n\n${notes}${notes ? '\n' : ''}${detached ? 'Stop it with `cloudlab down`; `cloudlab status` and `cloudlab logs -f` show how it runs.' : 'Stop it with Ctrl-C (or `cloudlab down` from another terminal).'}\n`;
}

export async function runUpCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parseFlags('up', argv, {
    detach: { type: 'boolean', short: 'd' },
    file: { type: 'string', short: 'f' },
    'free-ports': { type: 'boolean' },
    'daemon-child': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    out.write(UP_HELP);
    return 0;
  }
  const t0 = Date.now();
  const child = values['daemon-child'] === true && typeof process.send === 'function';
  // The control plane's modules load while the config arrives (`up -d` itself never needs them).
  const control = values.detach === true ? null : import('../control/index.js');
  control?.catch(() => undefined); // awaited below, unless the config fails first
  let config: LabConfig;
  if (child) {
    config = await configFromParent();
  } else {
    const { loadConfig } = await import('../config/index.js');
    config = await loadConfig({ cwd: process.cwd(), ...(values.file ? { file: values.file } : {}), env: process.env, overrides: { freePorts: values['free-ports'] === true } });
    if (values.detach) return detach(argv, config, out);
  }

  const send = (message: DaemonMessage): void => {
    if (child && process.connected) process.send!(message);
  };
  const view = child ? null : createProgressView(out, t0);
  const { planFromConfig, startLab } = await control!;
  const plan = planFromConfig(config);
  let lab: Lab;
  try {
    lab = await startLab(plan, (event) => {
      view?.event(event);
      send({ type: 'progress', event });
      if (child) process.stdout.write(`${event.part} ${event.state}: ${event.detail}\n`);
    });
  } catch (err) {
    view?.done();
    if (child) send({ type: 'failed', message: (err as Error).message, code: (err as LabError).code ?? 'LAB_CONTROL_INTERNAL' });
    throw err;
  }
  view?.done();
  const text = banner(lab, plan.name, Date.now() - t0, child);
  if (child) {
    send({ type: 'ready', banner: text });
    process.stdout.write(text);
  } else out.write(text);
  const reason = await Promise.race([untilStopSignal(), lab.stopRequested.then(() => 'cloudlab down')]);
  (child ? process.stdout : out).write(`cloudlab: stopping (${reason})\n`);
  await lab.stop();
  return 0;
}

/** The detached copy's config: it asks (so no message is sent before it listens), `up -d` answers. */
function configFromParent(): Promise<LabConfig> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ParentMessage): void => {
      if (message.type !== 'config') return;
      stopListening();
      resolve(message.config);
    };
    const onDisconnect = (): void => {
      stopListening();
      reject(new LabError('LAB_UP_FAILED', 'the `cloudlab up -d` that started this copy went away before it sent the config; fix: run `cloudlab up -d` again'));
    };
    const stopListening = (): void => {
      process.off('message', onMessage);
      process.off('disconnect', onDisconnect);
    };
    process.on('message', onMessage);
    process.once('disconnect', onDisconnect);
    process.send!({ type: 'hello' } satisfies DaemonMessage);
  });
}

async function detach(argv: string[], config: LabConfig, out: NodeJS.WritableStream): Promise<number> {
  mkdirSync(join(config.stateDir, 'logs'), { recursive: true });
  const logFile = join(config.stateDir, 'logs', 'lab.log');
  const log = openSync(logFile, 'a');
  const args = [MAIN, 'up', ...argv.filter((a) => a !== '-d' && a !== '--detach'), '--daemon-child'];
  // advanced: the config goes over as a structured clone, as it is.
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log, log, 'ipc'], cwd: process.cwd(), env: process.env, serialization: 'advanced' });
  const view = createProgressView(out);
  return new Promise<number>((resolve, reject) => {
    let settled = false;
    const finish = (code: number): void => {
      if (settled) return;
      settled = true;
      view.done();
      if (child.connected) child.disconnect();
      child.unref();
      resolve(code);
    };
    child.on('message', (message: DaemonMessage) => {
      if (message.type === 'hello') child.send({ type: 'config', config } satisfies ParentMessage);
      else if (message.type === 'progress') view.event(message.event);
      else if (message.type === 'ready') {
        view.done();
        out.write(message.banner);
        finish(0);
      } else {
        view.done();
        settled = true;
        reject(new LabError(message.code in ERROR_CODES ? (message.code as ErrorCode) : 'LAB_UP_FAILED', `${message.message} (the lab's log: ${logFile})`));
      }
    });
    child.on('exit', (code, signal) => {
      if (settled) return;
      settled = true;
      view.done();
      reject(new LabError('LAB_UP_FAILED', `the lab exited before it was ready (${signal ?? `code ${code}`}); its log: ${logFile}`));
    });
  });
}
