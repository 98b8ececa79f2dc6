/**
 * http.server.request.duration as the OpenTelemetry HTTP semantic conventions
 * define it (seconds; method, route, status code, scheme), recorded from the server's
 * onResponse hook so it carries the route template and exists with telemetry off.
 */
import type { Meter } from '@opentelemetry/api';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The bucket boundaries the semantic conventions recommend for HTTP durations. */
const DURATION_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** What records a request's duration, for the server's onResponse hook (http-server.ts). */
export function httpDurationRecorder(meter: Meter): (request: FastifyRequest, reply: FastifyReply) => void {
  const duration = meter.createHistogram('http.server.request.duration', {
    description: 'Duration of HTTP server requests.',
    unit: 's',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS_S },
  });
  return (request, reply) => {
    duration.record(reply.elapsedTime / 1000, {
      'http.request.method': request.method,
      'http.route': request.routeOptions.url ?? 'unmatched',
      'http.response.status_code': reply.statusCode,
      'url.scheme': 'http',
    });
  };
}

/** Pool gauges (`<prefix>.db.pool.*`) read at collection time. */
export interface PoolStats {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

export function observePool(meter: Meter, prefix: string, pool: PoolStats, max: number): void {
  meter
    .createObservableGauge(`${prefix}.db.pool.connections`, { description: 'Connections in the Postgres pool, by state (idle, used).' })
    .addCallback((result) => {
      result.observe(pool.idleCount, { state: 'idle' });
      result.observe(pool.totalCount - pool.idleCount, { state: 'used' });
    });
  meter
    .createObservableGauge(`${prefix}.db.pool.waiting`, { description: 'Queries waiting for a Postgres pool connection.' })
    .addCallback((result) => result.observe(pool.waitingCount));
  meter
    .createObservableGauge(`${prefix}.db.pool.max`, { description: 'The Postgres pool size limit (DB_POOL_MAX).' })
    .addCallback((result) => result.observe(max));
}
