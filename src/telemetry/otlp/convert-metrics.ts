/**
 * ExportMetricsServiceRequest (decoded from protobuf or parsed from JSON) -> MetricData.
 * Refusals are counted per data point (OTLP's rejected_data_points): a point without
 * a time or value, a histogram whose buckets do not fit its bounds, a sum or histogram
 * with an unspecified temporality, a metric without a name.
 */
import { describeValue } from '../../errors.js';
import type { Decoded, ExponentialHistogramPoint, HistogramPoint, MetricData, NumberPoint, Resource, Scope, Temporality } from '../model.js';
import { emptyDecoded, reject, walk } from './convert-common.js';
import { ShapeError, attributes, bool, count, double, enumNames, int, isRecord, list, readTime, record, str, time } from './wire.js';
import type { Rec } from './wire.js';

type SummaryPoint = Extract<MetricData, { type: 'summary' }>['points'][number];

const TEMPORALITY_NAMES = enumNames('AGGREGATION_TEMPORALITY_', ['UNSPECIFIED', 'DELTA', 'CUMULATIVE']);
const LEVELS = { top: 'resourceMetrics', resource: 'resource', scope: 'scopeMetrics', item: 'metrics' };
/** DataPointFlags.FLAG_NO_RECORDED_VALUE: the point marks a gap; its value is NaN. */
const NO_RECORDED_VALUE = 1;
const MIN_SCALE = -10;
const MAX_SCALE = 20;

export function convertMetrics(request: unknown): Decoded<MetricData> {
  const out = emptyDecoded<MetricData>();
  walk(request, LEVELS, (metric, resource, scope, at) => convertMetric(metric, resource, scope, at, out));
  return out;
}

function convertMetric(metric: Rec, resource: Resource, scope: Scope, at: () => string, out: Decoded<MetricData>): void {
  const base = { name: str(metric.name, 'name'), description: str(metric.description, 'description'), unit: str(metric.unit, 'unit'), resource, scope };
  let field = 'gauge';
  let data = record(metric.gauge, field);
  if (data === undefined) data = record(metric[(field = 'sum')], field);
  if (data === undefined) data = record(metric[(field = 'histogram')], field);
  if (data === undefined) data = record(metric[(field = 'exponentialHistogram')], field);
  if (data === undefined) data = record(metric[(field = 'summary')], field);
  if (data === undefined) return; // no data: nothing to store, nothing refused
  const raw = list(data.dataPoints, `${field}.dataPoints`);
  if (raw.length === 0) return;
  if (base.name === '') return reject(out, raw.length, at(), 'metric name must not be empty');

  let temporality: Temporality = 'cumulative';
  if (field !== 'gauge' && field !== 'summary') {
    const t = int(data.aggregationTemporality, `${field}.aggregationTemporality`, TEMPORALITY_NAMES);
    if (t !== 1 && t !== 2) return reject(out, raw.length, at(), `${field}.aggregationTemporality must be 1 (delta) or 2 (cumulative), received ${t}`);
    temporality = t === 1 ? 'delta' : 'cumulative';
  }

  const convert = field === 'gauge' || field === 'sum' ? numberPoint : field === 'histogram' ? histogramPoint : field === 'summary' ? summaryPoint : exponentialPoint;
  const points: unknown[] = [];
  for (let i = 0; i < raw.length; i++) {
    const p = raw[i];
    let result: object | string;
    try {
      if (!isRecord(p)) throw new ShapeError('', 'an object', p);
      result = convert(p);
    } catch (err) {
      throw err instanceof ShapeError ? err.within(`${field}.dataPoints[${i}]`) : err;
    }
    if (typeof result === 'string') reject(out, 1, `${at()}.${field}.dataPoints[${i}]`, result);
    else points.push(result);
  }
  if (points.length === 0) return;

  switch (field) {
    case 'gauge':
      out.items.push({ ...base, type: 'gauge', points: points as NumberPoint[] });
      break;
    case 'sum':
      out.items.push({ ...base, type: 'sum', temporality, monotonic: bool(data.isMonotonic, 'sum.isMonotonic'), points: points as NumberPoint[] });
      break;
    case 'histogram':
      out.items.push({ ...base, type: 'histogram', temporality, points: points as HistogramPoint[] });
      break;
    case 'exponentialHistogram':
      out.items.push({ ...base, type: 'exponential_histogram', temporality, points: points as ExponentialHistogramPoint[] });
      break;
    default:
      out.items.push({ ...base, type: 'summary', points: points as SummaryPoint[] });
  }
}

/** The attributes and times every point has, or the reason the point is refused. */
function pointBase(p: Rec): { attributes: MetricData['resource']['attributes']; startUs: number; timeUs: number } | string {
  readTime(p.timeUnixNano, 'timeUnixNano');
  const timeUs = time.us;
  if (timeUs === 0 && time.ns === 0) return 'timeUnixNano must be set, received 0';
  readTime(p.startTimeUnixNano, 'startTimeUnixNano');
  return { attributes: attributes(p.attributes, 'attributes'), startUs: time.us, timeUs };
}

function optionalDouble(value: unknown, field: string): number | undefined {
  return value === undefined || value === null ? undefined : double(value, field);
}

function numberPoint(p: Rec): NumberPoint | string {
  const base = pointBase(p);
  if (typeof base === 'string') return base;
  let value: number;
  if (p.asDouble !== undefined && p.asDouble !== null) value = double(p.asDouble, 'asDouble');
  else if (p.asInt !== undefined && p.asInt !== null) value = int(p.asInt, 'asInt');
  else if ((int(p.flags, 'flags') & NO_RECORDED_VALUE) !== 0) value = NaN;
  else return 'a number data point must have asDouble or asInt';
  return { ...base, value };
}

function counts(value: unknown, field: string): number[] {
  const raw = list(value, field);
  const out = new Array<number>(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = count(raw[i], `${field}[${i}]`);
  return out;
}

function histogramPoint(p: Rec): HistogramPoint | string {
  const base = pointBase(p);
  if (typeof base === 'string') return base;
  const total = count(p.count, 'count');
  const rawBounds = list(p.explicitBounds, 'explicitBounds');
  let bucketCounts = counts(p.bucketCounts, 'bucketCounts');
  let bounds = new Array<number>(rawBounds.length);
  for (let i = 0; i < rawBounds.length; i++) {
    const b = double(rawBounds[i], `explicitBounds[${i}]`);
    if (Number.isNaN(b) || (i > 0 && !(b > bounds[i - 1]!))) return `explicitBounds must be strictly increasing numbers, received ${describeValue(rawBounds)}`;
    bounds[i] = b;
  }
  if (bucketCounts.length === 0) {
    // Count and sum only: one +Inf bucket holds everything.
    bounds = [];
    bucketCounts = [total];
  } else if (bucketCounts.length !== bounds.length + 1) {
    return `bucketCounts must have one more entry than explicitBounds (${bounds.length + 1}), received ${bucketCounts.length}`;
  }
  return { ...base, count: total, sum: optionalDouble(p.sum, 'sum'), bounds, bucketCounts };
}

function buckets(value: unknown, field: string): { offset: number; bucketCounts: number[] } {
  const b = record(value, field);
  if (b === undefined) return { offset: 0, bucketCounts: [] };
  return { offset: int(b.offset, `${field}.offset`), bucketCounts: counts(b.bucketCounts, `${field}.bucketCounts`) };
}

function exponentialPoint(p: Rec): ExponentialHistogramPoint | string {
  const base = pointBase(p);
  if (typeof base === 'string') return base;
  const scale = int(p.scale, 'scale');
  if (scale < MIN_SCALE || scale > MAX_SCALE) return `scale must be ${MIN_SCALE} to ${MAX_SCALE}, received ${scale}`;
  return {
    ...base,
    count: count(p.count, 'count'),
    sum: optionalDouble(p.sum, 'sum'),
    scale,
    zeroCount: count(p.zeroCount, 'zeroCount'),
    positive: buckets(p.positive, 'positive'),
    negative: buckets(p.negative, 'negative'),
  };
}

function summaryPoint(p: Rec): SummaryPoint | string {
  const base = pointBase(p);
  if (typeof base === 'string') return base;
  const raw = list(p.quantileValues, 'quantileValues');
  const quantiles = new Array<{ quantile: number; value: number }>(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const q = raw[i];
    if (!isRecord(q)) throw new ShapeError(`quantileValues[${i}]`, 'an object', q);
    const quantile = double(q.quantile, `quantileValues[${i}].quantile`);
    if (!(quantile >= 0 && quantile <= 1)) return `quantileValues[${i}].quantile must be 0 to 1, received ${quantile}`;
    quantiles[i] = { quantile, value: double(q.value, `quantileValues[${i}].value`) };
  }
  return { ...base, count: count(p.count, 'count'), sum: double(p.sum, 'sum'), quantiles };
}
