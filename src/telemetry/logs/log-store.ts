/**
 * The in-memory log store: a ring of at most limits.maxLogs records, oldest out
 * first, and records older than limits.retentionMs (counted from their arrival, read
 * from the injected clock) pruned on each write and read. Searches scan newest to
 * oldest; subscribers (the live tail) hear each new record that passes their filter.
 */
import type { Clock, StoreLimits } from '../contracts.js';
import { DEFAULT_LIMITS } from '../contracts.js';
import type { LogData } from '../model.js';
import { RecordInterner } from '../traces/intern.js';
import { TopK } from '../traces/top-k.js';
import { compileLogFilter, logMatches } from './log-filter.js';
import type { CompiledLogFilter, LogFilter } from './log-filter.js';

export interface LogStoreOptions {
  limits?: Partial<Pick<StoreLimits, 'maxLogs' | 'retentionMs'>>;
  /** Milliseconds since the epoch; defaults to Date.now. */
  clock?: Clock;
  interner?: RecordInterner;
}

export interface LogQuery extends LogFilter {
  /** At most this many records; default 100. */
  limit?: number;
}

export interface LogSearchResult {
  /** Newest first (by record time). */
  records: LogData[];
  /** How many stored records matched, before the limit. */
  matched: number;
}

export interface LogStoreStats {
  logs: number;
  /** Records evicted so far, by the record limit or by retention. */
  droppedLogs: number;
  subscribers: number;
}

export type LogListener = (log: LogData) => void;

export const DEFAULT_LOG_SEARCH_LIMIT = 100;

interface Subscription {
  filter: CompiledLogFilter;
  listener: LogListener;
}

export class LogStore {
  readonly #capacity: number;
  readonly #retentionMs: number;
  readonly #clock: Clock;
  readonly #intern: RecordInterner;
  // A ring: the oldest record at #head, #size records in all. Slots fill from 0 up,
  // so the arrays grow only as far as records actually arrive.
  readonly #records: (LogData | undefined)[] = [];
  readonly #arrivedMs: number[] = [];
  #head = 0;
  #size = 0;
  #dropped = 0;
  readonly #subscriptions = new Set<Subscription>();

  constructor(options: LogStoreOptions = {}) {
    this.#capacity = Math.max(0, options.limits?.maxLogs ?? DEFAULT_LIMITS.maxLogs);
    this.#retentionMs = options.limits?.retentionMs ?? DEFAULT_LIMITS.retentionMs;
    this.#clock = options.clock ?? Date.now;
    this.#intern = options.interner ?? new RecordInterner();
  }

  add(logs: readonly LogData[]): void {
    const now = this.#clock();
    this.#expire(now);
    for (const incoming of logs) {
      const log = this.#compact(incoming);
      this.#push(log, now);
      for (const sub of this.#subscriptions) {
        if (!logMatches(log, sub.filter)) continue;
        try {
          sub.listener(log);
        } catch {
          // A failing listener must not break ingest or the other listeners.
        }
      }
    }
  }

  /** Matching records, newest first; throws LAB_LOGS_BAD_PARAM for a severity it cannot read. */
  search(query: LogQuery = {}): LogSearchResult {
    const filter = compileLogFilter(query);
    this.#expire(this.#clock());
    const limit = query.limit !== undefined && query.limit > 0 ? query.limit : DEFAULT_LOG_SEARCH_LIMIT;
    // Scanned newest arrival first, so among equal times the later arrival comes first.
    const found = new TopK<LogData>(limit, (log) => log.timeUs);
    let matched = 0;
    for (let i = this.#size - 1; i >= 0; i--) {
      const log = this.#records[(this.#head + i) % this.#capacity];
      if (log === undefined || !logMatches(log, filter)) continue;
      matched++;
      found.offer(log);
    }
    return { records: found.items(), matched };
  }

  /**
   * Calls `listener` with each record added from now on that passes `filter`;
   * returns the function that stops it. Throws LAB_LOGS_BAD_PARAM for a bad severity.
   */
  subscribe(filter: LogFilter, listener: LogListener): () => void {
    const sub: Subscription = { filter: compileLogFilter(filter), listener };
    this.#subscriptions.add(sub);
    return () => {
      this.#subscriptions.delete(sub);
    };
  }

  get subscriberCount(): number {
    return this.#subscriptions.size;
  }

  stats(): LogStoreStats {
    this.#expire(this.#clock());
    return { logs: this.#size, droppedLogs: this.#dropped, subscribers: this.#subscriptions.size };
  }

  #compact(log: LogData): LogData {
    const intern = this.#intern;
    return {
      timeUs: log.timeUs,
      observedUs: log.observedUs,
      severityNumber: log.severityNumber,
      severityText: intern.strings.intern(log.severityText),
      body: intern.value(log.body),
      attributes: intern.attributes(log.attributes),
      traceId: log.traceId,
      spanId: log.spanId,
      resource: intern.resource(log.resource),
      scope: intern.scope(log.scope),
    };
  }

  #push(log: LogData, now: number): void {
    if (this.#capacity === 0) {
      this.#dropped++;
      return;
    }
    if (this.#size === this.#capacity) this.#dropOldest();
    const slot = (this.#head + this.#size) % this.#capacity;
    if (slot === this.#records.length) {
      this.#records.push(log);
      this.#arrivedMs.push(now);
    } else {
      this.#records[slot] = log;
      this.#arrivedMs[slot] = now;
    }
    this.#size++;
  }

  #dropOldest(): void {
    this.#records[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#capacity;
    this.#size--;
    this.#dropped++;
  }

  #expire(now: number): void {
    const cutoff = now - this.#retentionMs;
    while (this.#size > 0 && (this.#arrivedMs[this.#head] ?? Infinity) < cutoff) this.#dropOldest();
  }
}
