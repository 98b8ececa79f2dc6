/**
 * cafe entry point: `node dist/src/cafe/main.js`. Telemetry starts first; the
 * service is imported after, so the pg and pino instrumentations patch those modules as they load.
 */
import { startTelemetry } from '../shared/telemetry.js';
import { exitOnStartupError } from '../shared/main-helpers.js';
import { readCafeConfig } from './config.js';

try {
  const config = readCafeConfig(process.env);
  const telemetry = await startTelemetry('cafe');
  const { createLogger } = await import('../shared/logger.js');
  const { runCafe } = await import('./service.js');
  await runCafe(config, createLogger('cafe', config.logLevel), telemetry);
} catch (err) {
  exitOnStartupError('cafe', err);
}
