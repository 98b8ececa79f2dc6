/**
 * Sends the supervised processes' stdout and stderr lines to the hub as OTLP logs
 * (OTLP/HTTP JSON to /v1/logs), one resource per replica: `service.name` and
 * `service.instance.id`. A pino JSON line keeps its level, message, fields and its
 * trace_id/span_id (so a log links to its trace); any other line is the body as is,
 * with `log.iostream` saying which stream it came from.
 */
export interface ForwardedLine {
  service: string;
  replica: string;
  stream: 'stdout' | 'stderr';
  line: string;
  timeMs: number;
}

export interface LogForwarderOptions {
  /** The hub's OTLP/HTTP base URL, e.g. http://127.0.0.1:4318. */
  endpoint: string;
  flushIntervalMs?: number;
  maxBatch?: number;
  /** Lines kept while the hub is unreachable; older ones are dropped first. */
  maxQueue?: number;
}

export interface LogForwarder {
  push(line: ForwardedLine): void;
  flush(): Promise<void>;
  stats(): { sent: number; dropped: number; failedBatches: number };
  close(): Promise<void>;
}

type AnyValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean };
interface KeyValue { key: string; value: AnyValue }

const PINO_SEVERITY: Array<[number, number, string]> = [
  [60, 21, 'FATAL'],
  [50, 17, 'ERROR'],
  [40, 13, 'WARN'],
  [30, 9, 'INFO'],
  [20, 5, 'DEBUG'],
  [10, 1, 'TRACE'],
];
const HEX_TRACE = /^[0-9a-f]{32}$/;
const HEX_SPAN = /^[0-9a-f]{16}$/;
const SKIPPED_FIELDS = new Set(['level', 'time', 'msg', 'trace_id', 'span_id', 'trace_flags', 'pid', 'hostname']);

function value(v: unknown): AnyValue {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  return { stringValue: JSON.stringify(v) };
}

/** One OTLP LogRecord (JSON encoding) from one line of output. */
export function toLogRecord(line: ForwardedLine): Record<string, unknown> {
  const attributes: KeyValue[] = [{ key: 'log.iostream', value: { stringValue: line.stream } }];
  const record: Record<string, unknown> = {
    timeUnixNano: `${BigInt(Math.round(line.timeMs)) * 1_000_000n}`,
    observedTimeUnixNano: `${BigInt(Math.round(line.timeMs)) * 1_000_000n}`,
    body: { stringValue: line.line },
    attributes,
  };
  if (!line.line.startsWith('{')) return record;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line.line);
  } catch {
    return record;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return record;
  const fields = parsed as Record<string, unknown>;
  if (typeof fields['level'] === 'number') {
    const level = fields['level'];
    const match = PINO_SEVERITY.find(([min]) => level >= min);
    if (match) {
      record['severityNumber'] = match[1];
      record['severityText'] = match[2];
    }
  }
  if (typeof fields['time'] === 'number') record['timeUnixNano'] = `${BigInt(Math.round(fields['time'])) * 1_000_000n}`;
  if (typeof fields['msg'] === 'string') record['body'] = { stringValue: fields['msg'] };
  if (typeof fields['trace_id'] === 'string' && HEX_TRACE.test(fields['trace_id'])) record['traceId'] = fields['trace_id'];
  if (typeof fields['span_id'] === 'string' && HEX_SPAN.test(fields['span_id'])) record['spanId'] = fields['span_id'];
  for (const [key, v] of Object.entries(fields)) {
    if (!SKIPPED_FIELDS.has(key) && v !== undefined && v !== null) attributes.push({ key, value: value(v) });
  }
  return record;
}

export function createLogForwarder(options: LogForwarderOptions): LogForwarder {
  const url = `${options.endpoint.replace(/\/$/, '')}/v1/logs`;
  const maxBatch = options.maxBatch ?? 512;
  const maxQueue = options.maxQueue ?? 10_000;
  let queue: ForwardedLine[] = [];
  let sent = 0;
  let dropped = 0;
  let failedBatches = 0;
  let inFlight: Promise<void> = Promise.resolve();
  const timer = setInterval(() => void flush(), options.flushIntervalMs ?? 500);
  timer.unref();

  async function send(batch: ForwardedLine[]): Promise<void> {
    const byReplica = new Map<string, ForwardedLine[]>();
    for (const line of batch) {
      const key = `${line.service}\u0000${line.replica}`;
      const list = byReplica.get(key) ?? [];
      list.push(line);
      byReplica.set(key, list);
    }
    const resourceLogs = [...byReplica.values()].map((lines) => ({
      resource: {
        attributes: [
          { key: 'service.name', value: { stringValue: lines[0]!.service } },
          { key: 'service.instance.id', value: { stringValue: lines[0]!.replica } },
        ],
      },
      scopeLogs: [{ scope: { name: 'cloudlab.supervisor' }, logRecords: lines.map(toLogRecord) }],
    }));
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ resourceLogs }), signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      if (res.ok) sent += batch.length;
      else failedBatches++;
    } catch {
      failedBatches++;
    }
  }

  function flush(): Promise<void> {
    inFlight = inFlight.then(async () => {
      while (queue.length > 0) {
        const batch = queue.slice(0, maxBatch);
        queue = queue.slice(batch.length);
        await send(batch);
      }
    });
    return inFlight;
  }

  return {
    push(line) {
      queue.push(line);
      if (queue.length > maxQueue) {
        const over = queue.length - maxQueue;
        queue.splice(0, over);
        dropped += over;
      }
      if (queue.length >= maxBatch) void flush();
    },
    flush,
    stats: () => ({ sent, dropped, failedBatches }),
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
