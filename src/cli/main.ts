#!/usr/bin/env node
import { LabError } from '../errors.js';
import { runProxyCommand, PROXY_HELP } from './proxy-command.js';
import { runCollectorCommand, COLLECTOR_HELP } from './collector-command.js';
import { runConfigCommand, CONFIG_HELP } from './config-command.js';
import { runUpCommand, UP_HELP } from './up-command.js';
import { runDownCommand, DOWN_HELP } from './down-command.js';
import { runStatusCommand, runPsCommand, runRestartCommand, runScaleCommand, STATUS_HELP, PS_HELP, RESTART_HELP, SCALE_HELP } from './lab-commands.js';
import { runLogsCommand, LOGS_HELP } from './logs-command.js';
import { VERSION } from './version.js';

const HELP = `cloudlab ${VERSION}: a local, AWS-shaped reliability lab

Usage: cloudlab <command> [flags]

Commands:
  up          start the whole lab (the cafe demo, or ./cloudlab.yaml); -d for the background
  down        stop the lab of this directory (--volumes also deletes .cloudlab/)
  status      every part of the running lab, with its state and URL
  ps          every replica: pid, port, state, restarts
  logs        the services' output (cloudlab logs [service] [-f])
  restart     rolling restart of a service (cloudlab restart cafe)
  scale       change a service's replicas (cloudlab scale cafe=3)
  proxy       run the Toxiproxy-compatible fault proxy (API on 127.0.0.1:8474)
  collector   run the OpenTelemetry hub (OTLP on :4317/:4318, query APIs on :9090)
  config      validate cloudlab.yaml and print the effective config (--json, --file)

Flags:
  -h, --help       show this help (or a command's: cloudlab proxy --help)
  -v, --version    print the version
`;

const COMMANDS: Record<string, { run(argv: string[], out: NodeJS.WritableStream): Promise<number>; help: string }> = {
  up: { run: runUpCommand, help: UP_HELP },
  down: { run: runDownCommand, help: DOWN_HELP },
  status: { run: runStatusCommand, help: STATUS_HELP },
  ps: { run: runPsCommand, help: PS_HELP },
  logs: { run: runLogsCommand, help: LOGS_HELP },
  restart: { run: runRestartCommand, help: RESTART_HELP },
  scale: { run: runScaleCommand, help: SCALE_HELP },
  proxy: { run: runProxyCommand, help: PROXY_HELP },
  collector: { run: runCollectorCommand, help: COLLECTOR_HELP },
  config: { run: runConfigCommand, help: CONFIG_HELP },
};

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    out.write(HELP);
    return 0;
  }
  if (first === '-v' || first === '--version') {
    out.write(`${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[first];
  if (!command) {
    throw new LabError('LAB_CLI_UNKNOWN_COMMAND', `unknown command "${first}"; commands: ${Object.keys(COMMANDS).join(', ')} (see cloudlab --help)`);
  }
  return command.run(rest, out);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof LabError) process.stderr.write(`cloudlab: ${err.message} [${err.code}]\n`);
    else process.stderr.write(`cloudlab: unexpected error: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
