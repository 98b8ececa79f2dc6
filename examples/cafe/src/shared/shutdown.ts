/**
 * Graceful shutdown on SIGTERM/SIGINT: stop accepting (Fastify answers 503 on
 * kept-alive connections), let in-flight requests finish within the deadline,
 * then close the pools and telemetry and exit 0. A second signal exits at once.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from './logger.js';

export interface ShutdownOptions {
  app: FastifyInstance;
  logger: Logger;
  timeoutMs: number;
  /** Closed in order after the server: pools, caches, flag providers, telemetry. */
  resources: ReadonlyArray<{ name: string; close: () => Promise<unknown> }>;
}

export function onShutdownSignals(options: ShutdownOptions): void {
  let shuttingDown = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (shuttingDown) {
      options.logger.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    shuttingDown = true;
    void shutdown(options, signal).then((code) => process.exit(code));
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}

async function shutdown(options: ShutdownOptions, signal: string): Promise<number> {
  const { app, logger, timeoutMs } = options;
  logger.info(`${signal}: stopping; in-flight requests have ${timeoutMs} ms`);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const closed = app.close().then(() => 'closed' as const);
  const outcome = await Promise.race([closed, deadline]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    logger.warn(`requests still running after ${timeoutMs} ms: closing their connections`);
    app.server.closeAllConnections();
    await closed.catch(() => undefined);
  }
  for (const resource of options.resources) {
    try {
      await resource.close();
    } catch (err) {
      logger.warn({ err }, `closing ${resource.name} failed: ${(err as Error).message}`);
    }
  }
  logger.info('stopped');
  return 0;
}
