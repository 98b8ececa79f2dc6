import { formatConfig, loadConfig, SCHEMA_FILE } from '../config/index.js';
import { LabError } from '../errors.js';
import { parseFlags } from './args.js';

export const CONFIG_HELP = `Usage: cloudlab config [--file cloudlab.yaml] [--json] [--free-ports]

Validates the lab's config and prints the effective config: every default spelled out,
durations and paths as the lab will use them. Without --file it reads ./cloudlab.yaml
(then ./cloudlab.yml), or else shows the built-in cafe demo. Passwords print as ********.
The YAML output is itself a valid cloudlab.yaml (save it and pass it with --file).
Editors can complete and check the file with ${SCHEMA_FILE}; see docs/config.md.

  -f, --file        the config file (relative to the current directory)
  --json            print JSON instead of YAML
  --free-ports      set every public listen port to 0, as cloudlab up --free-ports does
`;

/** `cloudlab config`: prints the effective config; a bad config throws its LabError. */
export async function runConfigCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseFlags('config', argv, {
    file: { type: 'string', short: 'f' },
    json: { type: 'boolean' },
    'free-ports': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    out.write(CONFIG_HELP);
    return 0;
  }
  if (positionals.length > 0) {
    throw new LabError('LAB_CLI_BAD_FLAG', `cloudlab config: takes no arguments, received "${positionals.join(' ')}"; pass the file with --file`);
  }
  const config = await loadConfig({
    cwd: process.cwd(),
    ...(values.file === undefined ? {} : { file: values.file }),
    env: process.env,
    overrides: { freePorts: values['free-ports'] === true },
  });
  out.write(formatConfig(config, values.json ? 'json' : 'yaml'));
  return 0;
}
