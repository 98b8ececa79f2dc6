/**
 * The Fastify instance both services start from: pino logger, the error body
 * `{ error: { code, message } }`, request metrics, load shedding, /health and
 * /metrics. Each service adds its own routes.
 */
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyError, FastifyInstance } from 'fastify';
import underPressure from '@fastify/under-pressure';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import type { Counter } from '@opentelemetry/api';
import type { Logger } from './logger.js';
import type { Telemetry } from './telemetry.js';
import { HttpError, errorBody, unavailable } from './errors.js';
import { httpDurationRecorder } from './http-metrics.js';
import { traceRequests } from './server-spans.js';
import { traced } from './trace-context.js';
import { isDatabaseUnavailable } from './db.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: never shed this route (probes, metrics). */
    shed?: boolean;
  }
}

export interface HttpServerOptions {
  service: string;
  logger: Logger;
  telemetry: Telemetry;
  /** 503 when the mean event-loop delay is above this (0 disables). */
  shedEventLoopDelayMs: number;
}

export interface HttpServer {
  app: FastifyInstance;
  /** Counts 503s answered by load shedding, by reason. */
  shed: Counter;
}

export async function createHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const loggerInstance: FastifyBaseLogger = options.logger; // widened, so the instance is a plain FastifyInstance
  const app = Fastify({
    loggerInstance,
    // Per-request logs off: the duration histogram and spans cover requests; errors are logged.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    bodyLimit: 64 * 1024,
  });
  const shed = options.telemetry.meter.createCounter(`${options.service}.requests.shed`, {
    description: 'Requests answered 503 at once by load shedding, by reason.',
  });

  // One onResponse hook for both: every hook costs each request a dispatch.
  const recordDuration = httpDurationRecorder(options.telemetry.meter);
  const endServerSpan = options.telemetry.enabled ? traceRequests(app, options.telemetry.roots) : undefined;
  app.addHook('onResponse', (request, reply, done) => {
    endServerSpan?.(request, reply);
    recordDuration(request, reply);
    done();
  });

  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) {
      if (error.retryAfterS !== undefined) void reply.header('retry-after', String(error.retryAfterS));
      if (error.statusCode >= 500) traced(request, () => request.log.warn({ err: error, code: error.code }, error.message));
      return reply.code(error.statusCode).send(errorBody(error.code, error.message));
    }
    if (isDatabaseUnavailable(error)) {
      traced(request, () => request.log.warn({ err: error }, `database unavailable: ${error.message}`));
      return reply.code(503).header('retry-after', '1').send(errorBody('DATABASE_UNAVAILABLE', `the database is unavailable or too slow (${error.message}); retry later`));
    }
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status < 500) {
      return reply.code(status).send(errorBody(error.code ?? 'BAD_REQUEST', error.message));
    }
    traced(request, () => request.log.error({ err: error, method: request.method, url: request.url }, `unhandled error: ${error.message}`));
    // The server span (server-spans.ts) turns ERROR from the 500 itself; this adds what was thrown.
    request.serverSpan?.recordException(error);
    return reply.code(500).send(errorBody('INTERNAL', 'internal server error'));
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(errorBody('ROUTE_NOT_FOUND', `no route for ${request.method} ${request.url.split('?', 1)[0] ?? ''}`)),
  );

  if (options.shedEventLoopDelayMs > 0) {
    await app.register(underPressure, {
      maxEventLoopDelay: options.shedEventLoopDelayMs,
      sampleInterval: 500,
      retryAfter: 1,
      // A rejected promise goes to the error handler: 503, Retry-After, the usual body.
      pressureHandler: async (request, _reply, type, value) => {
        if (request.routeOptions.config.shed === false) return;
        shed.add(1, { reason: type });
        throw unavailable('OVERLOADED', `shedding load: ${type} is ${String(value)}, above its bound; retry later`);
      },
    });
  }

  app.get('/health', { config: { shed: false } }, () => ({ status: 'ok' }));

  const serializer = new PrometheusSerializer();
  app.get('/metrics', { config: { shed: false } }, async (_request, reply) => {
    const { resourceMetrics } = await options.telemetry.metricsReader.collect();
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(serializer.serialize(resourceMetrics));
  });

  return { app, shed };
}
