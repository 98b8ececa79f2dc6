/**
 * The built-in cache as a process: `node resp-main.js --host H --port N`. Prints
 * `cache listening on redis://H:P` once it listens; SIGTERM or SIGINT closes it
 * and exits 0. A failure to listen prints the reason and exits 1.
 */
import { isLabError } from '../errors.js';
import { urlHost } from './launch.js';
import { createRespServer } from './resp/server.js';

function usage(message: string): never {
  process.stderr.write(`resp-main: ${message}\nusage: node resp-main.js --host <host> --port <port>\n`);
  process.exit(2);
}

function parseArgs(argv: readonly string[]): { host: string; port: number } {
  let host = '127.0.0.1';
  let port = 6379;
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) usage(`${flag} needs a value`);
    if (flag === '--host') host = value;
    else if (flag === '--port') {
      port = Number(value);
      if (!/^\d+$/.test(value) || port > 65_535) usage(`--port must be an integer from 0 to 65535, received "${value}"`);
    } else usage(`unknown flag "${flag}"`);
  }
  return { host, port };
}

async function main(): Promise<void> {
  const { host, port } = parseArgs(process.argv.slice(2));
  let server;
  try {
    server = await createRespServer({ host, port });
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}${isLabError(err) ? ` [${err.code}]` : ''}\n`);
    process.exit(1);
  }
  const running = server;
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`cache listening on redis://${urlHost(host)}:${running.port}\n`);
}

await main();
