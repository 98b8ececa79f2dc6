/** Log record builders for the log store and log API tests. */
import type { LogData } from '../../../src/telemetry/model.js';

export const T0_US = 1_714_560_000_000_000; // 2024-05-01T10:40:00Z

export function log(overrides: Partial<LogData> & { service?: string } = {}): LogData {
  const { service = 'cafe', ...rest } = overrides;
  return {
    timeUs: T0_US,
    observedUs: T0_US,
    severityNumber: 9,
    severityText: 'INFO',
    body: 'menu served',
    attributes: {},
    traceId: '',
    spanId: '',
    resource: { attributes: { 'service.name': service } },
    scope: { name: 'pino', version: '9.0.0' },
    ...rest,
  };
}
