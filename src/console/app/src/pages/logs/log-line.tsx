/** One log record as the hub returns it, and its line: time, service, replica, severity, body, trace link. */
import { href } from '../../router.js';

export interface LogRecord {
  time: string;
  timeUnixUs: number;
  severity: string;
  severityNumber: number;
  body: unknown;
  attributes: Record<string, unknown>;
  resource: Record<string, string | number | boolean | undefined>;
  traceId?: string;
  spanId?: string;
  service?: string;
}

export const recordKey = (r: LogRecord): string => `${r.timeUnixUs}|${r.spanId ?? ''}|${String(r.resource['service.instance.id'] ?? '')}|${typeof r.body === 'string' ? r.body : JSON.stringify(r.body)}`;

function severityClass(r: LogRecord): string {
  const n = r.severityNumber || 0;
  if (n >= 17 || /^(error|fatal)/i.test(r.severity)) return 'sev-error';
  if (n >= 13 || /^warn/i.test(r.severity)) return 'sev-warn';
  if (n > 0 && n < 9) return 'sev-debug';
  return 'sev-info';
}

const HIDDEN = new Set(['log.iostream', 'service']);

function timeOf(us: number): string {
  const d = new Date(us / 1000);
  return `${d.toLocaleTimeString([], { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

export function LogLine({ record, highlight }: { record: LogRecord; highlight?: boolean }) {
  const attrs = Object.entries(record.attributes ?? {}).filter(([k]) => !HIDDEN.has(k));
  const body = typeof record.body === 'string' ? record.body : JSON.stringify(record.body);
  const replica = String(record.resource?.['service.instance.id'] ?? '');
  const service = record.service ?? String(record.resource?.['service.name'] ?? '?');
  return (
    <li data-testid="log-line" class={`log-line ${severityClass(record)}${highlight ? ' highlight' : ''}`}>
      <time dateTime={record.time} title={record.time}>{timeOf(record.timeUnixUs)}</time>
      <span class="log-service">{service}</span>
      <span class="log-replica">{replica || '–'}</span>
      <span class="log-sev">{record.severity || '–'}</span>
      <span class="log-body">
        {body}
        {attrs.length ? <span class="log-attrs"> {attrs.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ')}</span> : null}
      </span>
      <span class="log-trace">
        {record.traceId ? (
          <a data-testid="log-trace-link" href={href('traces', [record.traceId])} title={`Open trace ${record.traceId}`}>
            trace {record.traceId.slice(0, 8)}
          </a>
        ) : null}
      </span>
    </li>
  );
}
