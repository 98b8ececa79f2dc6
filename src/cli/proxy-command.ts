import { createToxiproxyServer, populateFromFile, TOXIPROXY_API_VERSION } from '../proxy/index.js';
import { LabError } from '../errors.js';
import { parseFlags, portFlag } from './args.js';
import { VERSION } from './version.js';
import { untilStopSignal } from './signals.js';

export const PROXY_HELP = `Usage: cloudlab proxy [--host 127.0.0.1] [--port 8474] [--config toxiproxy.json] [--seed N]

Runs the Toxiproxy-compatible fault proxy: the Toxiproxy ${TOXIPROXY_API_VERSION} HTTP API and its
proxies, a drop-in for toxiproxy-server (its -host/-port/-config/-seed flags work too).

  --host      address of the admin API (default 127.0.0.1)
  --port      port of the admin API (default 8474; 0 picks a free one)
  --config    a toxiproxy.json file: proxies to create at start
  --seed      seed for toxicity rolls and jitter, for repeatable runs
`;

/** `cloudlab proxy`: runs until SIGINT or SIGTERM, then closes every socket. */
export async function runProxyCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parseFlags('proxy', argv, {
    host: { type: 'string' },
    port: { type: 'string' },
    config: { type: 'string' },
    seed: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    out.write(PROXY_HELP);
    return 0;
  }
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) {
    throw new LabError('LAB_CLI_BAD_FLAG', `cloudlab proxy: --seed must be an integer, received "${values.seed}"`);
  }
  const server = createToxiproxyServer({
    host: values.host ?? '127.0.0.1',
    port: portFlag('proxy', 'port', values.port, 8474),
    seed,
    version: VERSION,
  });
  if (values.config) {
    const proxies = await populateFromFile(server.collection, values.config);
    for (const p of proxies) out.write(`proxy ${p.name}: ${p.listen} -> ${p.upstream}${p.enabled ? '' : ' (disabled)'}\n`);
  }
  let address;
  try {
    address = await server.listen();
  } catch (err) {
    await server.close();
    throw err;
  }
  out.write(`cloudlab proxy ${VERSION}: Toxiproxy ${TOXIPROXY_API_VERSION} API on ${address.url} (metrics at ${address.url}/metrics)\n`);
  await untilStopSignal();
  out.write('cloudlab proxy: shutting down\n');
  await server.close();
  return 0;
}
