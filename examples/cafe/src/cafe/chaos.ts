/**
 * The flags a network proxy cannot fake: a CPU hog (busy-loops on the event
 * loop) and a memory leak (retains buffers until the flag returns to 0). Applied
 * to the cafe's API routes, not to probes or /metrics.
 */
import type { FastifyInstance } from 'fastify';
import type { Flags } from '../shared/flags.js';
import type { Logger } from '../shared/logger.js';

const MAX_HOG_MS = 10_000;

export function registerChaos(app: FastifyInstance, flags: Flags, logger: Logger): void {
  let leaked: Buffer[] = [];
  // Synchronous, with done: the flags are in-memory reads, so no promise per request.
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.routeOptions.config.shed === false) {
      done();
      return;
    }
    const hogMs = Math.min(flags.cpuHog(), MAX_HOG_MS);
    if (hogMs > 0) {
      const until = performance.now() + hogMs;
      while (performance.now() < until) {
        // burn CPU on purpose: the cpuHog flag
      }
    }
    const leakKiB = flags.memoryLeak();
    if (leakKiB > 0) {
      leaked.push(Buffer.alloc(Math.floor(leakKiB * 1024), 1));
    } else if (leaked.length > 0) {
      logger.info(`memoryLeak flag off: releasing ${leaked.length} retained buffers`);
      leaked = [];
    }
    done();
  });
}
