/**
 * payments entry point: `node dist/src/payments/main.js`. Telemetry starts first;
 * the service (fastify, pg, pino) is imported after, so it gets instrumented.
 */
import { startTelemetry } from '../shared/telemetry.js';
import { readPaymentsConfig } from './config.js';
import { exitOnStartupError } from '../shared/main-helpers.js';

try {
  const config = readPaymentsConfig(process.env);
  const telemetry = await startTelemetry('payments');
  const { createLogger } = await import('../shared/logger.js');
  const { runPayments } = await import('./service.js');
  const logger = createLogger('payments', config.logLevel);
  await runPayments(config, logger, telemetry);
} catch (err) {
  exitOnStartupError('payments', err);
}
