/** What both entry points do around the service: config errors, fatal errors. */
import { ConfigError } from './config.js';

/** Prints a config error (or any startup failure) as one line and exits 1. */
export function exitOnStartupError(service: string, err: unknown): never {
  if (err instanceof ConfigError) {
    process.stderr.write(`${service}: configuration error: ${err.message}\n`);
  } else {
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`${service}: failed to start: ${message}\n`);
  }
  process.exit(1);
}
