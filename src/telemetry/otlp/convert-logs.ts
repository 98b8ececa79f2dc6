/**
 * ExportLogsServiceRequest (decoded from protobuf or parsed from JSON) -> LogData.
 * A record with a trace or span id of the wrong length, or a severity outside 0-24,
 * is refused and counted (rejected_log_records).
 */
import type { Clock } from '../contracts.js';
import type { Decoded, LogData, Resource, Scope } from '../model.js';
import { anyValue, attributes, enumNames, idProblem, int, readId, readTime, str, time, ShapeError } from './wire.js';
import type { Rec } from './wire.js';
import { emptyDecoded, reject, walk } from './convert-common.js';

const LEVELS = { top: 'resourceLogs', resource: 'resource', scope: 'scopeLogs', item: 'logRecords' };
const SEVERITY_NAMES = enumNames(
  'SEVERITY_NUMBER_',
  ['UNSPECIFIED', ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((s) => [s, `${s}2`, `${s}3`, `${s}4`])],
);
const MAX_SEVERITY = 24;

/** `clock` gives the observed time of records that carry neither time (milliseconds). */
export function convertLogs(request: unknown, clock: Clock = Date.now): Decoded<LogData> {
  const out = emptyDecoded<LogData>();
  let nowUs = -1;
  walk(request, LEVELS, (record, resource, scope, at) => {
    const result = toLog(record, resource, scope);
    if (typeof result === 'string') return reject(out, 1, at(), result);
    if (result.observedUs === 0) {
      if (nowUs < 0) nowUs = Math.floor(clock() * 1000);
      result.observedUs = nowUs;
      if (result.timeUs === 0) result.timeUs = nowUs;
    }
    out.items.push(result);
  });
  return out;
}

function toLog(rec: Rec, resource: Resource, scope: Scope): LogData | string {
  const traceId = readId(rec.traceId, 16, 'traceId');
  if (traceId === undefined) return idProblem;
  const spanId = readId(rec.spanId, 8, 'spanId');
  if (spanId === undefined) return idProblem;
  const severityNumber = int(rec.severityNumber, 'severityNumber', SEVERITY_NAMES);
  if (severityNumber < 0 || severityNumber > MAX_SEVERITY) return `severityNumber must be 0 to ${MAX_SEVERITY}, received ${severityNumber}`;
  readTime(rec.observedTimeUnixNano, 'observedTimeUnixNano');
  const observedUs = time.us;
  readTime(rec.timeUnixNano, 'timeUnixNano');
  let body;
  try {
    body = anyValue(rec.body, 0);
  } catch (err) {
    throw err instanceof ShapeError ? err.within('body') : err;
  }
  return {
    timeUs: time.us === 0 ? observedUs : time.us,
    observedUs,
    severityNumber,
    severityText: str(rec.severityText, 'severityText'),
    body,
    attributes: attributes(rec.attributes, 'attributes'),
    traceId,
    spanId,
    resource,
    scope,
  };
}
