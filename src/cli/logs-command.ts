/**
 * `cloudlab logs [service] [-f] [-n N]`: the services' stdout and stderr, from the
 * files the supervisor keeps, prefixed with the replica as compose does. Works
 * after the lab stopped too.
 */
import { readLogs } from '../supervisor/index.js';
import { countFlag, parseFlags } from './args.js';
import { stateDirFor } from './lab-client.js';

export const LOGS_HELP = `Usage: cloudlab logs [service] [flags]

Flags:
  -f, --follow       keep printing new lines until Ctrl-C
  -n, --tail <N>     only the last N lines (default: all)
      --file <path>  the config file (default ./cloudlab.yaml)
  -h, --help         show this help
`;

export async function runLogsCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseFlags('logs', argv, {
    follow: { type: 'boolean', short: 'f' },
    tail: { type: 'string', short: 'n' },
    file: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    out.write(LOGS_HELP);
    return 0;
  }
  const stateDir = await stateDirFor(process.cwd(), values.file);
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const tail = values.tail === undefined ? undefined : countFlag('logs', 'tail', values.tail, 1);
    for await (const line of readLogs(stateDir, { ...(positionals[0] ? { service: positionals[0] } : {}), follow: values.follow === true, ...(tail ? { tail } : {}), signal: controller.signal })) {
      out.write(`${line.replica.padEnd(12)}| ${line.line}\n`);
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  return 0;
}
