/** What one span holds: its status and errors first, then exception and other events, then its attributes. */
import { href } from '../../router.js';
import { formatUs, isErrorSpan, tag } from './jaeger.js';
import type { JaegerSpan, JaegerTag, JaegerTrace } from './jaeger.js';

const show = (v: JaegerTag['value']): string => String(v);

function TagTable({ tags, caption }: { tags: JaegerTag[]; caption: string }) {
  if (tags.length === 0) return <p class="muted">No {caption.toLowerCase()}.</p>;
  return (
    <table class="tags">
      <caption>{caption}</caption>
      <tbody>
        {tags.map((t) => (
          <tr>
            <th scope="row">{t.key}</th>
            <td>{String(t.value).includes('\n') ? <pre>{show(t.value)}</pre> : show(t.value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SpanDetail({ span, trace, traceStartUs }: { span: JaegerSpan; trace: JaegerTrace; traceStartUs: number }) {
  const process = trace.processes[span.processID];
  const statusCode = tag(span.tags, 'otel.status_code');
  const statusText = tag(span.tags, 'otel.status_description');
  const error = isErrorSpan(span);
  const parent = span.references.find((r) => r.refType === 'CHILD_OF')?.spanID;
  const events = span.logs.map((l) => ({ ...l, name: String(tag(l.fields, 'event') ?? 'event'), fields: l.fields.filter((f) => f.key !== 'event') }));
  return (
    <div class="span-detail" id={`span-${span.spanID}`}>
      <p class="span-meta">
        <span class={error ? 'badge bad' : 'badge ok'}>{error ? 'error' : (statusCode ?? 'unset').toString().toLowerCase()}</span>{' '}
        {statusText ? <span class="error">{show(statusText)}</span> : null} <span class="muted">
          {formatUs(span.duration)}, starts at +{formatUs(span.startTime - traceStartUs)} · span <code>{span.spanID}</code>
          {parent ? <> · parent <code>{parent}</code></> : ' · root'} · {process?.serviceName}
          {process ? ` (${show(tag(process.tags, 'service.instance.id') ?? 'one replica')})` : ''}
        </span>{' '}
        <a href={href('logs', [], { traceId: span.traceID, spanId: span.spanID })}>Logs of this span</a>
      </p>
      {events.length > 0 ? (
        <div class="span-events">
          <h3>Events</h3>
          <ul>
            {events.map((e) => (
              <li class={e.name === 'exception' ? 'exception' : ''}>
                <strong>{e.name}</strong> <span class="muted">+{formatUs(e.timestamp - traceStartUs)}</span>
                {e.name === 'exception' ? (
                  <>
                    {' '}
                    <span class="error">
                      {show(tag(e.fields, 'exception.type') ?? '')} {show(tag(e.fields, 'exception.message') ?? '')}
                    </span>
                    {tag(e.fields, 'exception.stacktrace') ? <pre>{show(tag(e.fields, 'exception.stacktrace')!)}</pre> : null}
                  </>
                ) : (
                  <TagTable tags={e.fields} caption="Event attributes" />
                )}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div class="span-tag-cols">
        <TagTable tags={span.tags} caption="Span attributes" />
        <TagTable tags={process?.tags ?? []} caption="Resource (process)" />
      </div>
      {span.warnings?.length ? <p class="muted">Warnings: {span.warnings.join('; ')}</p> : null}
    </div>
  );
}
