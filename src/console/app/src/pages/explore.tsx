/** Explore: a PromQL box with a chart, for anything the overview lacks. */
import { useEffect, useState } from 'preact/hooks';
import { queryRange } from '../api.js';
import type { PromSeries } from '../api.js';
import { Chart, fromProm } from '../chart.js';
import { stepFor, useTick, useTimeRange } from '../time-range.js';

function seriesLabel(metric: Record<string, string>): string {
  const { __name__: name = '', ...rest } = metric;
  const labels = Object.entries(rest).map(([k, v]) => `${k}="${v}"`).join(', ');
  return labels ? `${name}{${labels}}` : name || '{}';
}

export function Explore() {
  const { minutes } = useTimeRange();
  const tick = useTick();
  const [draft, setDraft] = useState(() => new URLSearchParams(location.hash.split('?')[1] ?? '').get('q') ?? 'sum by (job) (rate(http_server_request_duration_seconds_count[1m]))');
  const [query, setQuery] = useState(draft);
  const [result, setResult] = useState<PromSeries[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const end = Date.now() / 1000;
    queryRange(query, end - minutes * 60, end, stepFor(minutes)).then(
      (r) => live && (setResult(r), setError(null)),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [query, minutes, tick]);

  return (
    <section>
      <h1>Explore</h1>
      <form
        class="explore"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(draft);
        }}
      >
        <label for="promql">PromQL</label>
        <textarea id="promql" rows={2} style="width:100%" value={draft} onInput={(e) => setDraft((e.target as HTMLTextAreaElement).value)} />
        <button class="primary" type="submit">Run query</button>
      </form>
      {error ? <p class="error" role="alert">{error}</p> : null}
      <Chart title={query} series={result ? fromProm(result, seriesLabel) : []} height={320} empty={result === null ? 'Running…' : 'The query returned no series in this time range.'} />
    </section>
  );
}
