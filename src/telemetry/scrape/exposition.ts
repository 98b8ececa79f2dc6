/**
 * The Prometheus text exposition format (version 0.0.4), read with
 * parse-prometheus-text-format and checked the way Prometheus's own parser checks it.
 *
 * The library is used for what it gets right (sample lines with escapes, values,
 * timestamps; HELP and TYPE) and steered around two of its bugs:
 * - it folds every labelled histogram and summary into one label-less entry and drops
 *   `_sum`/`_count` lines with labels (upstream issue #13, PR #8 unmerged), so their
 *   TYPE lines are handed to it as `untyped`: each `_bucket`, `_sum`, `_count` and
 *   quantile line then comes back as a plain sample with all its labels, which is
 *   also exactly how Prometheus stores classic histograms and summaries;
 * - it loses the last sample when the text does not end in a newline, so one is added.
 * It also does not check names or numbers; that is done here.
 */
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

/** One exposed sample: metric name, its labels (without `__name__`), value and optional timestamp. */
export interface ExposedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestampMs: number | undefined;
}

/** Metadata as /api/v1/metadata reports it; `type` in Prometheus's spelling (`unknown` for untyped). */
export interface MetricMetadata {
  type: 'counter' | 'gauge' | 'histogram' | 'gaugehistogram' | 'summary' | 'info' | 'stateset' | 'unknown';
  help: string;
  unit: string;
}

export interface Exposition {
  samples: ExposedSample[];
  /** By metric family name (`http_request_duration_seconds`, not `..._bucket`). */
  metadata: Map<string, MetricMetadata>;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const TYPE_LINE = /^#\s+TYPE\s+(\S+)\s+(\S+)\s*$/;
const HELP_LINE = /^#\s+HELP\s+(\S+)(?:\s+(.*))?$/;
/** Families whose samples carry suffixes the library would mangle. */
const COMPOSITE = new Set(['histogram', 'gaugehistogram', 'summary']);
const KNOWN_TYPES = new Set(['counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'untyped', 'unknown', 'info', 'stateset']);

/** A sample value as Go's strconv.ParseFloat reads it (the forms exporters write). */
export function parseSampleValue(text: string): number | undefined {
  if (DECIMAL.test(text)) return Number(text);
  const lower = text.toLowerCase();
  if (lower === 'nan') return Number.NaN;
  if (/^\+?inf(inity)?$/.test(lower)) return Number.POSITIVE_INFINITY;
  if (/^-inf(inity)?$/.test(lower)) return Number.NEGATIVE_INFINITY;
  return undefined;
}

function invalid(message: string): Error {
  return new Error(`invalid exposition: ${message}`);
}

/** Parses a text exposition; throws an Error naming the bad line or value. */
export function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const lines: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith('#')) {
      lines.push(line);
      continue;
    }
    const type = TYPE_LINE.exec(line);
    if (type) {
      const [, name, kind] = type as unknown as [string, string, string];
      const lower = kind.toLowerCase();
      if (!KNOWN_TYPES.has(lower)) throw invalid(`unknown metric type ${JSON.stringify(kind)} in line ${JSON.stringify(line)}`);
      types.set(name, lower);
      lines.push(COMPOSITE.has(lower) ? `# TYPE ${name} untyped` : `# TYPE ${name} ${lower}`);
    } else {
      // A HELP line without text is valid, but the library throws on it: drop it (the help is empty anyway).
      const help = HELP_LINE.exec(line);
      if (help && help[2] !== undefined && help[2] !== '') lines.push(`# HELP ${help[1]!} ${help[2]}`);
    }
    // Any other comment is dropped: the library would read `#foo` as a sample line.
  }
  lines.push('');

  let families: ReturnType<typeof parsePrometheusTextFormat>;
  try {
    families = parsePrometheusTextFormat(lines.join('\n'));
  } catch (err) {
    throw invalid((err as Error).message);
  }

  const samples: ExposedSample[] = [];
  const metadata = new Map<string, MetricMetadata>();
  for (const family of families) {
    const name = family.name;
    const declared = types.get(name);
    if (declared !== undefined || family.help !== '') {
      const type = declared === undefined || declared === 'untyped' ? 'unknown' : (declared as MetricMetadata['type']);
      metadata.set(name, { type, help: family.help, unit: '' });
    }
    if (family.metrics.length > 0 && !METRIC_NAME.test(name)) throw invalid(`metric name ${JSON.stringify(name)} is not [a-zA-Z_:][a-zA-Z0-9_:]*`);
    for (const metric of family.metrics) {
      const labels = metric.labels ?? {};
      for (const label of Object.keys(labels)) {
        if (!LABEL_NAME.test(label)) throw invalid(`metric ${JSON.stringify(name)} has label name ${JSON.stringify(label)}, which is not [a-zA-Z_][a-zA-Z0-9_]*`);
      }
      const valueText = metric.value ?? '';
      const value = parseSampleValue(valueText);
      if (value === undefined) throw invalid(`metric ${JSON.stringify(name)} has value ${JSON.stringify(valueText)}, expected a float such as 1.5e3, NaN or +Inf`);
      let timestampMs: number | undefined;
      if (metric.timestamp_ms !== undefined) {
        const ts = metric.timestamp_ms;
        timestampMs = /^-?\d+$/.test(ts) ? Number(ts) : Number.NaN;
        if (!Number.isSafeInteger(timestampMs)) throw invalid(`metric ${JSON.stringify(name)} has timestamp ${JSON.stringify(ts)}, expected integer milliseconds since the epoch`);
      }
      samples.push({ name, labels, value, timestampMs });
    }
  }
  return { samples, metadata };
}
