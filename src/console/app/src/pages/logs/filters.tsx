/** The logs filters: service, lowest severity, text, and (in search mode) a trace id. */
import { useEffect, useState } from 'preact/hooks';
import { labStatus } from '../../api.js';

export interface LogFilters {
  service: string;
  severity: string;
  q: string;
  traceId: string;
  spanId: string;
}

export const SEVERITIES = ['', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;

export function filtersFromParams(params: URLSearchParams): LogFilters {
  return {
    service: params.get('service') ?? '',
    severity: (params.get('severity') ?? '').toUpperCase(),
    q: params.get('q') ?? '',
    traceId: params.get('traceId') ?? '',
    spanId: params.get('spanId') ?? '',
  };
}

/** The query string the hub takes (spanId is filtered here, the hub has no such parameter). */
export function hubParams(f: LogFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.service) p.set('service', f.service);
  if (f.severity) p.set('severity', f.severity);
  if (f.q) p.set('q', f.q);
  if (/^[0-9a-f]{32}$/i.test(f.traceId)) p.set('traceId', f.traceId.toLowerCase());
  return p;
}

function useServices(): string[] {
  const [services, setServices] = useState<string[]>([]);
  useEffect(() => {
    let live = true;
    labStatus().then(
      (s) => live && setServices(s.parts.filter((p) => p.kind === 'service').map((p) => p.name).sort()),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return services;
}

export function Filters({ value, onChange, showTrace }: { value: LogFilters; onChange: (f: LogFilters) => void; showTrace: boolean }) {
  const services = useServices();
  const [text, setText] = useState(value.q);
  useEffect(() => setText(value.q), [value.q]);
  useEffect(() => {
    if (text === value.q) return undefined;
    const timer = setTimeout(() => onChange({ ...value, q: text }), 350);
    return () => clearTimeout(timer);
  }, [text]);
  const choices = value.service && !services.includes(value.service) ? [value.service, ...services] : services;
  const traceBad = value.traceId !== '' && !/^[0-9a-f]{32}$/i.test(value.traceId);
  return (
    <div class="log-filters" role="group" aria-label="Log filters">
      <label>
        Service
        <select value={value.service} onChange={(e) => onChange({ ...value, service: (e.target as HTMLSelectElement).value })}>
          <option value="">All services</option>
          {choices.map((s) => <option value={s}>{s}</option>)}
        </select>
      </label>
      <label>
        Lowest severity
        <select value={value.severity} onChange={(e) => onChange({ ...value, severity: (e.target as HTMLSelectElement).value })}>
          {SEVERITIES.map((s) => <option value={s}>{s || 'Any'}</option>)}
        </select>
      </label>
      <label class="log-q">
        Text
        <input type="search" placeholder="in body or attributes" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} />
      </label>
      {showTrace ? (
        <label class="log-trace-id">
          Trace id
          <input
            placeholder="32 hex digits"
            value={value.traceId}
            aria-invalid={traceBad}
            onChange={(e) => onChange({ ...value, traceId: (e.target as HTMLInputElement).value.trim(), spanId: '' })}
          />
          {traceBad ? <span class="error">must be 32 hex digits</span> : null}
        </label>
      ) : null}
    </div>
  );
}
