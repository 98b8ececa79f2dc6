/** The trace search form: service, operation, status, duration bounds and result limit. */
import { useEffect, useState } from 'preact/hooks';
import { jaeger } from './jaeger.js';

export interface TraceQuery {
  service: string;
  operation: string;
  status: '' | 'ok' | 'error';
  minDuration: string;
  maxDuration: string;
  limit: string;
  /** ms since epoch; both empty: the time range picker. */
  start: string;
  end: string;
}

export const QUERY_KEYS = ['service', 'operation', 'status', 'minDuration', 'maxDuration', 'limit', 'start', 'end'] as const;

export function queryFromParams(params: URLSearchParams): TraceQuery {
  const status = params.get('status');
  return {
    service: params.get('service') ?? '',
    operation: params.get('operation') ?? '',
    status: status === 'ok' || status === 'error' ? status : '',
    minDuration: params.get('minDuration') ?? '',
    maxDuration: params.get('maxDuration') ?? '',
    limit: params.get('limit') ?? '50',
    start: params.get('start') ?? '',
    end: params.get('end') ?? '',
  };
}

export interface SearchFormProps {
  initial: TraceQuery;
  services: string[];
  onSearch: (query: TraceQuery) => void;
}

export function SearchForm({ initial, services, onSearch }: SearchFormProps) {
  const [draft, setDraft] = useState(initial);
  const [operations, setOperations] = useState<string[]>([]);
  useEffect(() => setDraft(initial), [JSON.stringify(initial)]);
  useEffect(() => {
    if (!draft.service) return setOperations([]);
    let live = true;
    jaeger<string[]>(`/api/services/${encodeURIComponent(draft.service)}/operations`).then(
      (ops) => live && setOperations(ops ?? []),
      () => live && setOperations([]),
    );
    return () => {
      live = false;
    };
  }, [draft.service]);
  const set = (key: keyof TraceQuery) => (e: Event) => setDraft({ ...draft, [key]: (e.target as HTMLInputElement).value });
  const custom = Boolean(draft.start || draft.end);
  const serviceChoices = draft.service && !services.includes(draft.service) ? [draft.service, ...services] : services;
  const opChoices = draft.operation && !operations.includes(draft.operation) ? [draft.operation, ...operations] : operations;
  return (
    <form
      class="trace-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(draft);
      }}
    >
      <label>
        Service
        <select value={draft.service} onChange={(e) => setDraft({ ...draft, service: (e.target as HTMLSelectElement).value, operation: '' })}>
          {serviceChoices.length === 0 ? <option value="">(no services yet)</option> : null}
          {serviceChoices.map((s) => <option value={s}>{s}</option>)}
        </select>
      </label>
      <label>
        Operation
        <select value={draft.operation} onChange={set('operation')}>
          <option value="">All operations</option>
          {opChoices.map((o) => <option value={o}>{o}</option>)}
        </select>
      </label>
      <label>
        Status
        <select value={draft.status} onChange={set('status')}>
          <option value="">Any</option>
          <option value="ok">OK (no error span)</option>
          <option value="error">Error</option>
        </select>
      </label>
      <label>
        Min duration
        <input size={7} placeholder="e.g. 100ms" value={draft.minDuration} onInput={set('minDuration')} title="Go duration (100ms, 1.5s); a bare number is milliseconds" />
      </label>
      <label>
        Max duration
        <input size={7} placeholder="e.g. 2s" value={draft.maxDuration} onInput={set('maxDuration')} title="Go duration (100ms, 1.5s); a bare number is milliseconds" />
      </label>
      <label>
        Limit
        <select value={draft.limit} onChange={set('limit')}>
          {['20', '50', '100', '200'].map((n) => <option value={n}>{n}</option>)}
        </select>
      </label>
      <span class="time-scope">
        {custom ? (
          <>
            Time: {draft.start ? new Date(Number(draft.start)).toLocaleTimeString([], { hour12: false }) : '…'}–{draft.end ? new Date(Number(draft.end)).toLocaleTimeString([], { hour12: false }) : 'now'}{' '}
            <button type="button" onClick={() => onSearch({ ...draft, start: '', end: '' })}>
              Use the time range picker
            </button>
          </>
        ) : (
          <span class="muted">Time: the range picker above (live)</span>
        )}
      </span>
      <button class="primary" type="submit">Find traces</button>
    </form>
  );
}
