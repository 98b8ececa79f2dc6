/**
 * The in-memory trace store: spans grouped by trace, bounded by a span count and a
 * retention time, searchable the way Jaeger's memory store searches (a trace matches
 * when one of its spans meets every condition).
 *
 * Eviction is by whole traces, in the order their first span arrived: a Map keeps
 * that order for free, so eviction costs O(evicted). Retention counts from a trace's
 * first arrival, read from the injected clock; the store prunes on each write and
 * read, and runs no timers.
 */
import type { Clock, StoreLimits } from '../contracts.js';
import { DEFAULT_LIMITS } from '../contracts.js';
import type { SpanData, SpanEvent, SpanLink, StatusCode } from '../model.js';
import { RecordInterner } from './intern.js';
import { jaegerSpanKind, serviceOf, spanHasTag } from './span-tags.js';
import { TopK } from './top-k.js';

export interface TraceStoreOptions {
  limits?: Partial<Pick<StoreLimits, 'maxSpans' | 'retentionMs'>>;
  /** Milliseconds since the epoch; defaults to Date.now. */
  clock?: Clock;
  interner?: RecordInterner;
}

/** What a trace search asks; every condition given must hold for one and the same span. */
export interface TraceQuery {
  service?: string;
  /** The span name (Jaeger's operation). */
  operation?: string;
  /** Tag equality, compared as strings (see span-tags.ts for where tags come from). */
  tags?: Readonly<Record<string, string>>;
  status?: StatusCode;
  minDurationUs?: number;
  maxDurationUs?: number;
  /** Bounds on the span's start time, inclusive. */
  startUs?: number;
  endUs?: number;
  /** At most this many traces; default 100. */
  limit?: number;
}

export interface StoredTrace {
  traceId: string;
  /** In arrival order. */
  spans: readonly SpanData[];
  startUs: number;
  endUs: number;
}

export interface Operation {
  name: string;
  /** 'server', 'client', 'producer', 'consumer', 'internal', or '' when unspecified. */
  spanKind: string;
}

export interface TraceStoreStats {
  traces: number;
  spans: number;
  /** Spans evicted so far, by the span limit or by retention. */
  droppedSpans: number;
}

interface TraceEntry {
  traceId: string;
  spans: SpanData[];
  arrivedMs: number;
  startUs: number;
  endUs: number;
}

export const DEFAULT_TRACE_SEARCH_LIMIT = 100;

const EMPTY_EVENTS: SpanEvent[] = Object.freeze([]) as unknown as SpanEvent[];
const EMPTY_LINKS: SpanLink[] = Object.freeze([]) as unknown as SpanLink[];
const PLAIN_STATUS = {
  unset: Object.freeze({ code: 'unset' as const, message: '' }),
  ok: Object.freeze({ code: 'ok' as const, message: '' }),
  error: Object.freeze({ code: 'error' as const, message: '' }),
};

export class TraceStore {
  readonly #maxSpans: number;
  readonly #retentionMs: number;
  readonly #clock: Clock;
  readonly #intern: RecordInterner;
  readonly #traces = new Map<string, TraceEntry>();
  /** service -> "kind\0name" -> spans stored; entries go when their count reaches 0. */
  readonly #operations = new Map<string, Map<string, number>>();
  #spanCount = 0;
  #dropped = 0;

  constructor(options: TraceStoreOptions = {}) {
    this.#maxSpans = options.limits?.maxSpans ?? DEFAULT_LIMITS.maxSpans;
    this.#retentionMs = options.limits?.retentionMs ?? DEFAULT_LIMITS.retentionMs;
    this.#clock = options.clock ?? Date.now;
    this.#intern = options.interner ?? new RecordInterner();
  }

  add(spans: readonly SpanData[]): void {
    const now = this.#clock();
    this.#expire(now);
    for (const incoming of spans) {
      let entry = this.#traces.get(incoming.traceId);
      if (entry === undefined) {
        entry = { traceId: incoming.traceId, spans: [], arrivedMs: now, startUs: Infinity, endUs: -Infinity };
        this.#traces.set(entry.traceId, entry);
      }
      const span = this.#compact(incoming, entry.traceId);
      entry.spans.push(span);
      entry.startUs = Math.min(entry.startUs, span.startUs);
      entry.endUs = Math.max(entry.endUs, span.startUs + span.durationUs);
      this.#spanCount++;
      this.#countOperation(span, 1);
    }
    this.#enforceLimit();
  }

  get(traceId: string): StoredTrace | undefined {
    this.#expire(this.#clock());
    const entry = this.#traces.get(traceId);
    return entry === undefined ? undefined : view(entry);
  }

  /** Traces with a span matching every condition, the most recent (latest start) first. */
  search(query: TraceQuery = {}): StoredTrace[] {
    this.#expire(this.#clock());
    const limit = query.limit !== undefined && query.limit > 0 ? query.limit : DEFAULT_TRACE_SEARCH_LIMIT;
    const tags = query.tags === undefined ? [] : Object.entries(query.tags);
    const found = new TopK<TraceEntry>(limit, (entry) => entry.startUs);
    // Newest arrivals first: they are the likely winners, so most others are rejected at once.
    const entries = [...this.#traces.values()];
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i] as TraceEntry;
      if (query.startUs !== undefined && entry.endUs < query.startUs) continue;
      if (query.endUs !== undefined && entry.startUs > query.endUs) continue;
      if (entry.spans.some((span) => spanMatches(span, query, tags))) found.offer(entry);
    }
    return found.items().map(view);
  }

  /** Service names with spans stored, sorted. */
  services(): string[] {
    this.#expire(this.#clock());
    return [...this.#operations.keys()].sort();
  }

  /** The operations (span names) of a service, with their span kinds, sorted by name then kind. */
  operations(service: string, spanKind?: string): Operation[] {
    this.#expire(this.#clock());
    const ops: Operation[] = [];
    for (const key of this.#operations.get(service)?.keys() ?? []) {
      const split = key.indexOf('\u0000');
      const kind = key.slice(0, split);
      if (spanKind !== undefined && spanKind !== '' && kind !== spanKind) continue;
      ops.push({ name: key.slice(split + 1), spanKind: kind });
    }
    return ops.sort((a, b) => compare(a.name, b.name) || compare(a.spanKind, b.spanKind));
  }

  stats(): TraceStoreStats {
    this.#expire(this.#clock());
    return { traces: this.#traces.size, spans: this.#spanCount, droppedSpans: this.#dropped };
  }

  /** The span as kept: the same shape, with repeated strings and objects shared. */
  #compact(span: SpanData, traceId: string): SpanData {
    const intern = this.#intern;
    const status = span.status.message === '' ? PLAIN_STATUS[span.status.code] : { code: span.status.code, message: span.status.message };
    return {
      traceId,
      spanId: span.spanId,
      parentSpanId: span.parentSpanId,
      traceState: span.traceState === '' ? '' : intern.strings.intern(span.traceState),
      name: intern.strings.intern(span.name),
      kind: span.kind,
      startUs: span.startUs,
      durationUs: span.durationUs,
      attributes: intern.attributes(span.attributes),
      events:
        span.events.length === 0
          ? EMPTY_EVENTS
          : span.events.map((e) => ({ timeUs: e.timeUs, name: intern.strings.intern(e.name), attributes: intern.attributes(e.attributes) })),
      links: span.links.length === 0 ? EMPTY_LINKS : span.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: intern.attributes(l.attributes) })),
      status,
      resource: intern.resource(span.resource),
      scope: intern.scope(span.scope),
    };
  }

  #countOperation(span: SpanData, delta: 1 | -1): void {
    const service = serviceOf(span.resource);
    const key = `${jaegerSpanKind(span)}\u0000${span.name}`;
    let ops = this.#operations.get(service);
    if (ops === undefined) {
      ops = new Map();
      this.#operations.set(service, ops);
    }
    const count = (ops.get(key) ?? 0) + delta;
    if (count > 0) ops.set(key, count);
    else {
      ops.delete(key);
      if (ops.size === 0) this.#operations.delete(service);
    }
  }

  #evict(entry: TraceEntry): void {
    this.#traces.delete(entry.traceId);
    for (const span of entry.spans) this.#countOperation(span, -1);
    this.#spanCount -= entry.spans.length;
    this.#dropped += entry.spans.length;
  }

  #expire(now: number): void {
    const cutoff = now - this.#retentionMs;
    for (const entry of this.#traces.values()) {
      if (entry.arrivedMs >= cutoff) break;
      this.#evict(entry);
    }
  }

  #enforceLimit(): void {
    for (const entry of this.#traces.values()) {
      if (this.#spanCount <= this.#maxSpans) return;
      const excess = this.#spanCount - this.#maxSpans;
      if (entry.spans.length <= excess || this.#traces.size > 1) {
        this.#evict(entry);
        continue;
      }
      // One trace alone is over the limit: keep its newest spans.
      const gone = entry.spans.splice(0, excess);
      for (const span of gone) this.#countOperation(span, -1);
      this.#spanCount -= excess;
      this.#dropped += excess;
      entry.startUs = Infinity;
      entry.endUs = -Infinity;
      for (const span of entry.spans) {
        entry.startUs = Math.min(entry.startUs, span.startUs);
        entry.endUs = Math.max(entry.endUs, span.startUs + span.durationUs);
      }
      return;
    }
  }
}

function spanMatches(span: SpanData, q: TraceQuery, tags: [string, string][]): boolean {
  if (q.service !== undefined && serviceOf(span.resource) !== q.service) return false;
  if (q.operation !== undefined && span.name !== q.operation) return false;
  if (q.status !== undefined && span.status.code !== q.status) return false;
  if (q.minDurationUs !== undefined && span.durationUs < q.minDurationUs) return false;
  if (q.maxDurationUs !== undefined && span.durationUs > q.maxDurationUs) return false;
  if (q.startUs !== undefined && span.startUs < q.startUs) return false;
  if (q.endUs !== undefined && span.startUs > q.endUs) return false;
  for (const [key, want] of tags) if (!spanHasTag(span, key, want)) return false;
  return true;
}

function view(entry: TraceEntry): StoredTrace {
  return { traceId: entry.traceId, spans: entry.spans.slice(), startUs: entry.startUs, endUs: entry.endUs };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
