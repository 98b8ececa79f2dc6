#!/usr/bin/env node
import { LabError } from '../errors.js';
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
  load        run a load scenario (steady, morning-rush, spike, or a file) with live progress and reports
  chaos       inject a fault into the running lab (cloudlab chaos list | status | reset | <scenario>)
  drill       run a drill: hypothesis, faults under load, invariants, verdict and report
  export      write the real stack's files: docker compose, Kubernetes, Terraform (AWS), with guides

Flags:
  -h, --help       show this help (or a command's: cloudlab proxy --help)
  -v, --version    print the version
`;

type Run = (argv: string[], out: NodeJS.WritableStream) => Promise<number>;

// Each command's module is loaded only when it runs: `cloudlab proxy` never loads the
// hub, and the processes `cloudlab up` starts begin serving sooner.
const COMMANDS: Record<string, () => Promise<Run>> = {
  up: async () => (await import('./up-command.js')).runUpCommand,
  down: async () => (await import('./down-command.js')).runDownCommand,
  status: async () => (await import('./lab-commands.js')).runStatusCommand,
  ps: async () => (await import('./lab-commands.js')).runPsCommand,
  logs: async () => (await import('./logs-command.js')).runLogsCommand,
  restart: async () => (await import('./lab-commands.js')).runRestartCommand,
  scale: async () => (await import('./lab-commands.js')).runScaleCommand,
  proxy: async () => (await import('./proxy-command.js')).runProxyCommand,
  collector: async () => (await import('./collector-command.js')).runCollectorCommand,
  config: async () => (await import('./config-command.js')).runConfigCommand,
  load: async () => (await import('./load-command.js')).runLoadCommand,
  chaos: async () => (await import('./chaos-command.js')).runChaosCommand,
  drill: async () => (await import('./drill-command.js')).runDrillCommand,
  export: async () => (await import('./export-command.js')).runExportCommand,
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
  return (await command())(rest, out);
}

// A reader that went away (`cloudlab drill x --dry-run | head`) is not an error of ours.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

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
