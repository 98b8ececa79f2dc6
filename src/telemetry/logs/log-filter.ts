/** Which log records a search or a live tail wants, and the test of one record against it. */
import { LabError, describeValue } from '../../errors.js';
import type { AttributeValue, LogData, Resource } from '../model.js';
import { effectiveSeverity, severityFromText } from './severity.js';

export interface LogFilter {
  /** `service.name` of the record's resource. */
  service?: string;
  /** The lowest severity wanted: a number 0-24, or a name such as `WARN` or `error`. */
  minSeverity?: number | string;
  /** Case-insensitive substring of the body, an attribute key or an attribute value. */
  text?: string;
  /** 32 hex digits; case does not matter. */
  traceId?: string;
  /** Bounds on the record's time, in microseconds since the epoch, inclusive. */
  startUs?: number;
  endUs?: number;
}

/** A filter checked once, ready to test many records. */
export interface CompiledLogFilter {
  service: string | undefined;
  minSeverity: number;
  /** The text, as a case-insensitive pattern (no lowercased copy of each record). */
  needle: RegExp | undefined;
  traceId: string | undefined;
  startUs: number;
  endUs: number;
}

/** The service a record came from: its resource's `service.name`, or ''. */
export function logService(resource: Resource): string {
  const name = resource.attributes['service.name'];
  return typeof name === 'string' ? name : '';
}

/** Resolves severity names and normalizes case; throws LAB_LOGS_BAD_PARAM for a severity it cannot read. */
export function compileLogFilter(filter: LogFilter): CompiledLogFilter {
  let minSeverity = 0;
  if (typeof filter.minSeverity === 'number') {
    if (!Number.isInteger(filter.minSeverity) || filter.minSeverity < 0 || filter.minSeverity > 24) {
      throw new LabError('LAB_LOGS_BAD_PARAM', `severity must be an integer 0-24 or a name (TRACE, DEBUG, INFO, WARN, ERROR, FATAL), received ${describeValue(filter.minSeverity)}`);
    }
    minSeverity = filter.minSeverity;
  } else if (typeof filter.minSeverity === 'string' && filter.minSeverity !== '') {
    const text = filter.minSeverity.trim();
    const num = /^\d+$/.test(text) ? Number(text) : severityFromText(text);
    if (num === undefined || num > 24) {
      throw new LabError('LAB_LOGS_BAD_PARAM', `severity must be an integer 0-24 or a name (TRACE, DEBUG, INFO, WARN, ERROR, FATAL), received ${describeValue(filter.minSeverity)}`);
    }
    minSeverity = num;
  }
  return {
    service: filter.service === '' ? undefined : filter.service,
    minSeverity,
    needle: filter.text === undefined || filter.text === '' ? undefined : new RegExp(filter.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'),
    traceId: filter.traceId === undefined || filter.traceId === '' ? undefined : filter.traceId.toLowerCase(),
    startUs: filter.startUs ?? -Infinity,
    endUs: filter.endUs ?? Infinity,
  };
}

function valueText(value: AttributeValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function containsText(log: LogData, needle: RegExp): boolean {
  if (needle.test(valueText(log.body))) return true;
  for (const key in log.attributes) {
    if (needle.test(key)) return true;
    if (needle.test(valueText(log.attributes[key] ?? null))) return true;
  }
  return false;
}

export function logMatches(log: LogData, f: CompiledLogFilter): boolean {
  if (log.timeUs < f.startUs || log.timeUs > f.endUs) return false;
  if (f.traceId !== undefined && log.traceId !== f.traceId) return false;
  if (f.minSeverity > 0 && effectiveSeverity(log.severityNumber, log.severityText) < f.minSeverity) return false;
  if (f.service !== undefined && logService(log.resource) !== f.service) return false;
  if (f.needle !== undefined && !containsText(log, f.needle)) return false;
  return true;
}
