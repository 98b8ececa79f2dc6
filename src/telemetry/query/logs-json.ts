/** A stored log record as the log API shows it. */
import type { AttributeValue, Attributes, LogData } from '../model.js';
import { logService } from '../logs/log-filter.js';
import { severityName } from '../logs/severity.js';

export interface LogRecordJson {
  /** RFC 3339 with microseconds, UTC: 2024-05-01T12:00:00.000001Z. */
  time: string;
  timeUnixUs: number;
  observedTimeUnixUs: number;
  /** The record's severity text, or the short name of its number (ERROR, WARN2). */
  severity: string;
  severityNumber: number;
  body: AttributeValue;
  attributes: Attributes;
  /** The resource's attributes. */
  resource: Attributes;
  scope: { name: string; version: string };
  /** '' when the record carries none. */
  traceId: string;
  spanId: string;
  /** The resource's service.name, or ''. */
  service: string;
}

/** Microseconds since the epoch as RFC 3339 UTC with six fraction digits. */
export function rfc3339Micros(us: number): string {
  if (!Number.isFinite(us)) return '';
  const ms = Math.floor(us / 1000);
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return '';
  const micros = String(Math.round(us - ms * 1000)).padStart(3, '0');
  return `${date.toISOString().slice(0, -1)}${micros}Z`;
}

export function toLogJson(log: LogData): LogRecordJson {
  return {
    time: rfc3339Micros(log.timeUs),
    timeUnixUs: log.timeUs,
    observedTimeUnixUs: log.observedUs,
    severity: log.severityText !== '' ? log.severityText : severityName(log.severityNumber),
    severityNumber: log.severityNumber,
    body: log.body,
    attributes: log.attributes,
    resource: log.resource.attributes,
    scope: { name: log.scope.name, version: log.scope.version },
    traceId: log.traceId,
    spanId: log.spanId,
    service: logService(log.resource),
  };
}
