/**
 * The edge's own metrics, rendered in the Prometheus text exposition format (0.0.4)
 * without a client library. Names follow what ALB and nginx exporters expose:
 * requests by backend and status code, a latency histogram, backend up/down,
 * in-flight requests, retries and requests refused for lack of a backend.
 */
import type { BackendStatus } from './types.js';

/** Prometheus client defaults: 5 ms to 10 s, which covers an HTTP service. */
export const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** The backend label of a request no backend took (no healthy replica). */
export const NO_BACKEND_LABEL = 'none';

/** Escapes a label value: backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Formats a number the way Prometheus reads it. */
function formatValue(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Number.isNaN(value)) return 'NaN';
  return String(value);
}

function labels(pairs: ReadonlyArray<readonly [string, string]>): string {
  return `{${pairs.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}`;
}

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  lines: string[];
}

export class EdgeMetrics {
  /** By backend id, then status code. */
  readonly #requests = new Map<string, Map<number, number>>();
  readonly #bucketCounts: number[] = DURATION_BUCKETS_SECONDS.map(() => 0);
  #durationSum = 0;
  #durationCount = 0;
  retries = 0;
  noBackend = 0;
  inFlight = 0;

  /** One finished request: the backend that answered (or NO_BACKEND_LABEL), the status the client got, its duration. */
  recordRequest(backend: string, code: number, seconds: number): void {
    let byCode = this.#requests.get(backend);
    if (!byCode) this.#requests.set(backend, (byCode = new Map<number, number>()));
    byCode.set(code, (byCode.get(code) ?? 0) + 1);
    const value = Math.max(0, seconds);
    DURATION_BUCKETS_SECONDS.forEach((le, i) => {
      if (value <= le) this.#bucketCounts[i]!++;
    });
    this.#durationSum += value;
    this.#durationCount++;
  }

  render(service: string, backends: readonly BackendStatus[]): string {
    const s = ['service', service] as const;
    const requests: Family = { name: 'cloudlab_edge_requests_total', help: 'Requests answered by the edge, by backend (none when no replica was healthy) and HTTP status code.', type: 'counter', lines: [] };
    for (const [backend, byCode] of [...this.#requests].sort(([a], [b]) => a.localeCompare(b))) {
      for (const [code, count] of [...byCode].sort(([a], [b]) => a - b)) {
        requests.lines.push(`${requests.name}${labels([s, ['backend', backend], ['code', String(code)]])} ${count}`);
      }
    }
    const duration: Family = { name: 'cloudlab_edge_request_duration_seconds', help: 'Time from a request reaching the edge to its response being sent.', type: 'histogram', lines: [] };
    DURATION_BUCKETS_SECONDS.forEach((le, i) => {
      duration.lines.push(`${duration.name}_bucket${labels([s, ['le', String(le)]])} ${this.#bucketCounts[i]}`);
    });
    duration.lines.push(
      `${duration.name}_bucket${labels([s, ['le', '+Inf']])} ${this.#durationCount}`,
      `${duration.name}_sum${labels([s])} ${formatValue(this.#durationSum)}`,
      `${duration.name}_count${labels([s])} ${this.#durationCount}`,
    );
    const up: Family = { name: 'cloudlab_edge_backend_up', help: '1 when the backend is in rotation, 0 when it is out.', type: 'gauge', lines: [] };
    const failures: Family = { name: 'cloudlab_edge_backend_failures_total', help: 'Transport failures talking to the backend: refused or reset connections, timeouts, responses cut short.', type: 'counter', lines: [] };
    for (const b of backends) {
      up.lines.push(`${up.name}${labels([s, ['backend', b.id]])} ${b.healthy ? 1 : 0}`);
      failures.lines.push(`${failures.name}${labels([s, ['backend', b.id]])} ${b.failures}`);
    }
    const single = (name: string, help: string, type: 'counter' | 'gauge', value: number): Family => ({
      name,
      help,
      type,
      lines: [`${name}${labels([s])} ${formatValue(value)}`],
    });
    const families: Family[] = [
      requests,
      duration,
      up,
      failures,
      single('cloudlab_edge_in_flight', 'Requests the edge is handling now.', 'gauge', this.inFlight),
      single('cloudlab_edge_retries_total', 'Requests sent to a second backend after the first failed before answering.', 'counter', this.retries),
      single('cloudlab_edge_no_backend_total', 'Requests answered 503 because no backend was in rotation.', 'counter', this.noBackend),
    ];
    return families.map((f) => [`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`, ...f.lines].join('\n')).join('\n') + '\n';
  }
}
