/**
 * pino, writing JSON lines to stderr (stdout carries only the "listening" line).
 * With telemetry on, @opentelemetry/instrumentation-pino adds trace_id/span_id to
 * each record and sends it over OTLP logs.
 */
import { pino } from 'pino';
import type { Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger };

export function createLogger(service: string, level: LogLevel): Logger {
  return pino({ level, base: { service, pid: process.pid } }, pino.destination({ dest: 2, sync: true }));
}
