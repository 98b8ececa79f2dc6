/**
 * OTLP metrics to Prometheus samples, as the OpenTelemetry Collector's Prometheus
 * exporter writes them with `resource_to_telemetry_conversion` enabled:
 *
 * - names per prom-names.ts (units, `_total`, `_ratio`), `_bucket{le}`/`_sum`/`_count`
 *   for histograms (le="+Inf" holding the count), `{quantile}`/`_sum`/`_count` for summaries;
 * - labels from point attributes, then every resource attribute (which wins on the same
 *   key), names sanitized (`http.route` -> `http_route`); keys that collide once
 *   sanitized get their values joined with `;` in the order of the original keys;
 * - `otel_scope_name`/`otel_scope_version` from the instrumentation scope;
 * - `job` = `service.namespace/service.name` (or `service.name`), `instance` =
 *   `service.instance.id`, and one `target_info{job,instance,...resource} 1` per resource;
 * - delta sums and histograms accumulated to cumulative (delta-state.ts; the Collector
 *   drops non-monotonic delta sums, the hub accumulates them into a gauge);
 * - non-monotonic sums become gauges (no `_total`);
 * - exponential histograms become classic buckets (exponential-buckets.ts).
 *
 * Sample time is the point time in milliseconds.
 */
import { DEFAULT_LIMITS } from '../contracts.js';
import type { AttributeValue, Attributes, Labels, MetricData, Resource, Sample, Scope } from '../model.js';
import { formatValue } from '../promql/index.js';
import { DeltaAccumulator, indexed } from './delta-state.js';
import { classicBuckets } from './exponential-buckets.js';
import type { PromKind } from './prom-names.js';
import { formatGoFloat, prometheusLabelName, prometheusMetricName } from './prom-names.js';

export interface OtlpTranslatorOptions {
  /** Bound of the delta-to-cumulative state, in series (default DEFAULT_LIMITS.maxSeries). */
  maxSeries?: number;
  /** `otel_scope_name`/`otel_scope_version` labels (default true, as the Collector). */
  scopeLabels?: boolean;
  /** Every resource attribute as a label (default true: resource_to_telemetry_conversion). */
  resourceToTelemetry?: boolean;
  /** A `target_info` series per resource (default true). */
  targetInfo?: boolean;
}

export interface OtlpTranslatorStats {
  /** Delta series whose cumulative state is kept. */
  deltaSeries: number;
  /** Delta points not newer than the last one of their series. */
  droppedDeltaPoints: number;
}

/** An attribute value as a label value (OTel's AnyValue.AsString). */
export function attributeString(value: AttributeValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatValue(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null) return '';
  return JSON.stringify(value);
}

/** Attributes as labels: sanitized names, colliding keys joined with `;` in original-key order. */
export function attributeLabels(attributes: Attributes, into: Labels = {}): Labels {
  const byLabel = new Map<string, [string, string][]>();
  for (const [key, value] of Object.entries(attributes)) {
    const name = prometheusLabelName(key);
    if (name === '') continue;
    const list = byLabel.get(name) ?? [];
    list.push([key, attributeString(value)]);
    byLabel.set(name, list);
  }
  for (const [name, list] of byLabel) {
    list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    into[name] = list.map((e) => e[1]).join(';');
  }
  return into;
}

/** `job` and `instance` of a resource, per the OTel-Prometheus compatibility spec. */
export function jobAndInstance(resource: Resource): Labels {
  const attrs = resource.attributes;
  const out: Labels = {};
  const name = attrs['service.name'];
  if (name !== undefined && name !== null) {
    const ns = attrs['service.namespace'];
    const nsText = ns === undefined || ns === null ? '' : attributeString(ns);
    out['job'] = nsText ? `${nsText}/${attributeString(name)}` : attributeString(name);
  }
  const instance = attrs['service.instance.id'];
  if (instance !== undefined && instance !== null) out['instance'] = attributeString(instance);
  return out;
}

function timeMs(timeUs: number): number {
  return Math.floor(timeUs / 1000);
}

export class OtlpTranslator {
  readonly #options: Required<OtlpTranslatorOptions>;
  readonly #deltas: DeltaAccumulator;

  constructor(options: OtlpTranslatorOptions = {}) {
    this.#options = {
      maxSeries: options.maxSeries ?? DEFAULT_LIMITS.maxSeries,
      scopeLabels: options.scopeLabels ?? true,
      resourceToTelemetry: options.resourceToTelemetry ?? true,
      targetInfo: options.targetInfo ?? true,
    };
    this.#deltas = new DeltaAccumulator(this.#options.maxSeries);
  }

  stats(): OtlpTranslatorStats {
    return { deltaSeries: this.#deltas.size, droppedDeltaPoints: this.#deltas.droppedPoints };
  }

  #baseLabels(attributes: Attributes, resource: Resource, scope: Scope): Labels {
    const merged: Attributes = this.#options.resourceToTelemetry ? { ...attributes, ...resource.attributes } : attributes;
    const labels = attributeLabels(merged);
    if (this.#options.scopeLabels) {
      if (scope.name) labels['otel_scope_name'] = scope.name;
      if (scope.version) labels['otel_scope_version'] = scope.version;
    }
    Object.assign(labels, jobAndInstance(resource));
    return labels;
  }

  translate(metrics: readonly MetricData[]): Sample[] {
    const out: Sample[] = [];
    const resources = new Map<string, { resource: Resource; lastMs: number }>();
    for (const metric of metrics) {
      let lastMs = -Infinity;
      for (const p of metric.points) lastMs = Math.max(lastMs, timeMs(p.timeUs));
      if (lastMs > -Infinity) {
        const key = JSON.stringify(metric.resource.attributes);
        const seen = resources.get(key);
        if (!seen || seen.lastMs < lastMs) resources.set(key, { resource: metric.resource, lastMs });
      }
      this.#metric(metric, out);
    }
    if (this.#options.targetInfo) {
      for (const { resource, lastMs } of resources.values()) {
        const rest: Attributes = { ...resource.attributes };
        delete rest['service.name'];
        delete rest['service.namespace'];
        delete rest['service.instance.id'];
        if (Object.keys(rest).length === 0) continue;
        const labels = attributeLabels(rest);
        Object.assign(labels, jobAndInstance(resource), { __name__: 'target_info' });
        out.push({ labels, timeMs: lastMs, value: 1 });
      }
    }
    return out;
  }

  #metric(metric: MetricData, out: Sample[]): void {
    const { resource, scope } = metric;
    const push = (name: string, labels: Labels, t: number, value: number): void => {
      out.push({ labels: { ...labels, __name__: name }, timeMs: t, value });
    };
    const deltaKey = (name: string, labels: Labels): string => `${metric.type}\u0000${name}\u0000${JSON.stringify(Object.entries(labels).sort())}`;
    switch (metric.type) {
      case 'gauge': {
        const name = prometheusMetricName(metric.name, metric.unit, 'gauge');
        for (const p of metric.points) push(name, this.#baseLabels(p.attributes, resource, scope), timeMs(p.timeUs), p.value);
        return;
      }
      case 'sum': {
        const kind: PromKind = metric.monotonic ? 'counter' : 'non-monotonic-counter';
        const name = prometheusMetricName(metric.name, metric.unit, kind);
        for (const p of metric.points) {
          const labels = this.#baseLabels(p.attributes, resource, scope);
          const value = metric.temporality === 'delta' ? this.#deltas.sum(deltaKey(name, labels), p) : p.value;
          if (value !== null) push(name, labels, timeMs(p.timeUs), value);
        }
        return;
      }
      case 'histogram': {
        const name = prometheusMetricName(metric.name, metric.unit, 'histogram');
        for (const p of metric.points) {
          const labels = this.#baseLabels(p.attributes, resource, scope);
          const h = metric.temporality === 'delta' ? this.#deltas.histogram(deltaKey(name, labels), p) : p;
          if (!h) continue;
          const t = timeMs(p.timeUs);
          let cumulative = 0;
          h.bounds.forEach((bound, i) => {
            cumulative += h.bucketCounts[i] ?? 0;
            push(`${name}_bucket`, { ...labels, le: formatGoFloat(bound) }, t, cumulative);
          });
          push(`${name}_bucket`, { ...labels, le: '+Inf' }, t, h.count);
          if (h.sum !== undefined) push(`${name}_sum`, labels, t, h.sum);
          push(`${name}_count`, labels, t, h.count);
        }
        return;
      }
      case 'exponential_histogram': {
        const name = prometheusMetricName(metric.name, metric.unit, 'histogram');
        for (const p of metric.points) {
          const labels = this.#baseLabels(p.attributes, resource, scope);
          const h = metric.temporality === 'delta'
            ? this.#deltas.exponential(deltaKey(name, labels), p)
            : { ...p, positive: indexed(p.positive), negative: indexed(p.negative) };
          if (!h) continue;
          const t = timeMs(p.timeUs);
          for (const b of classicBuckets(h)) push(`${name}_bucket`, { ...labels, le: formatGoFloat(b.le) }, t, b.count);
          if (h.sum !== undefined) push(`${name}_sum`, labels, t, h.sum);
          push(`${name}_count`, labels, t, h.count);
        }
        return;
      }
      case 'summary': {
        const name = prometheusMetricName(metric.name, metric.unit, 'summary');
        for (const p of metric.points) {
          const labels = this.#baseLabels(p.attributes, resource, scope);
          const t = timeMs(p.timeUs);
          for (const q of p.quantiles) push(name, { ...labels, quantile: formatGoFloat(q.quantile) }, t, q.value);
          push(`${name}_sum`, labels, t, p.sum);
          push(`${name}_count`, labels, t, p.count);
        }
        return;
      }
    }
  }
}

export function createOtlpTranslator(options: OtlpTranslatorOptions = {}): OtlpTranslator {
  return new OtlpTranslator(options);
}

/** One-shot translation without delta state kept between calls (delta points count alone). */
export function otlpToPrometheus(metrics: readonly MetricData[], options: OtlpTranslatorOptions = {}): Sample[] {
  return new OtlpTranslator(options).translate(metrics);
}
