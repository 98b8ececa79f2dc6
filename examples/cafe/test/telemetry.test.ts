/**
 * Telemetry end to end: cafe and payments export OTLP/HTTP, configured only by
 * the standard OTEL_* variables, to the lab's hub running in this process. One
 * order yields one trace spanning both services (W3C trace context across the
 * payments call) and log records carrying that trace's id.
 *
 * Export is asynchronous by nature (batch processors, a metric reader interval),
 * so the checks poll the hub's query APIs in a bounded loop; the export delays are
 * set small to keep that short.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { REDIS_SERVER, skipUnless } from './harness/binaries.js';
import { request } from './harness/net.js';
import { getMenu, postOrder, simpleOrder } from './harness/orders.js';
import type { Order } from './harness/orders.js';
import { pollUntil } from './harness/wait.js';
import { startHub } from './harness/hub.js';
import { startStack, useDeps } from './harness/stack.js';

interface JaegerTrace {
  traceID: string;
  spans: { spanID: string; operationName: string; processID: string; references: { refType: string; spanID: string }[]; tags: { key: string; value: unknown }[] }[];
  processes: Record<string, { serviceName: string }>;
}

interface LogRecord {
  traceId: string;
  spanId: string;
  service: string;
  severity: string;
  body: unknown;
}

const EXPORT_TIMEOUT_MS = 15_000;

describe('telemetry to the lab hub', { skip: skipUnless(REDIS_SERVER) }, () => {
  const deps = useDeps();

  test('one order: a trace across cafe and payments, logs with its trace id; /crash: an error log and an error span', async (t) => {
    const { hub, addresses } = await startHub();
    t.after(() => hub.close());
    const otel = {
      OTEL_SDK_DISABLED: undefined,
      OTEL_EXPORTER_OTLP_ENDPOINT: addresses.otlpHttp.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_BLRP_SCHEDULE_DELAY: '100',
      OTEL_METRIC_EXPORT_INTERVAL: '500',
      OTEL_METRIC_EXPORT_TIMEOUT: '400',
    };
    const stack = await startStack(t, deps(), { cafeEnv: otel, paymentsEnv: otel });
    const query = addresses.query.url;

    const res = await postOrder(stack.cafe.url, simpleOrder(await getMenu(stack.cafe.url)).body);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json<Order>().status, 'paid');

    const trace = await pollUntil(
      async () => {
        const found = await request(`${query}/api/traces?service=cafe&limit=50`);
        assert.equal(found.status, 200, found.text);
        const traces = found.json<{ data: JaegerTrace[] }>().data;
        return traces.find((tr) => {
          const services = new Set(Object.values(tr.processes).map((p) => p.serviceName));
          return services.has('cafe') && services.has('payments');
        });
      },
      { timeoutMs: EXPORT_TIMEOUT_MS, intervalMs: 200, what: 'a trace with spans from both cafe and payments' },
    );

    // The payments server span is a child of a cafe span (W3C traceparent crossed the call).
    const serviceOf = (processID: string): string => trace.processes[processID]?.serviceName ?? '';
    const byId = new Map(trace.spans.map((s) => [s.spanID, s]));
    const crossing = trace.spans.filter((s) => serviceOf(s.processID) === 'payments' && s.references.some((r) => r.refType === 'CHILD_OF' && serviceOf(byId.get(r.spanID)?.processID ?? '') === 'cafe'));
    assert.ok(crossing.length > 0, `a payments span whose parent is a cafe span: ${JSON.stringify(trace.spans.map((s) => [serviceOf(s.processID), s.operationName]))}`);
    assert.ok(trace.spans.some((s) => serviceOf(s.processID) === 'cafe' && /POST/.test(s.operationName)), 'the cafe server span for POST /orders');

    // Log records written while serving the order ("order N paid", "charge ... created"),
    // exported over OTLP logs, carry the order's trace id: from both services.
    const traceId = trace.traceID.padStart(32, '0');
    const logs = await pollUntil(
      async () => {
        const found = await request(`${query}/api/logs?traceId=${traceId}&limit=100`);
        assert.equal(found.status, 200, found.text);
        const records = found.json<{ data: LogRecord[] }>().data;
        const services = new Set(records.map((r) => r.service));
        return services.has('cafe') && services.has('payments') ? records : undefined;
      },
      { timeoutMs: EXPORT_TIMEOUT_MS, intervalMs: 200, what: `log records from cafe and payments with trace id ${traceId}` },
    );
    for (const record of logs) {
      assert.equal(record.traceId, traceId);
      assert.match(record.spanId, /^[0-9a-f]{16}$/, 'each record carries its span id');
    }

    // /crash: a 500, an error log record and an error span, tied by the trace id.
    const crash = await request(`${stack.cafe.url}/crash`);
    assert.equal(crash.status, 500, crash.text);
    const errorLog = await pollUntil(
      async () => {
        const found = await request(`${query}/api/logs?service=cafe&severity=error&limit=20`);
        assert.equal(found.status, 200, found.text);
        return found.json<{ data: LogRecord[] }>().data.find((r) => /^[0-9a-f]{32}$/.test(r.traceId) && /crash/i.test(JSON.stringify(r.body)));
      },
      { timeoutMs: EXPORT_TIMEOUT_MS, intervalMs: 200, what: 'the error log record of GET /crash, with a trace id' },
    );
    assert.match(errorLog.spanId, /^[0-9a-f]{16}$/, 'the record carries its span id');
    const byTraceId = await request(`${query}/api/logs?traceId=${errorLog.traceId}`);
    assert.ok(byTraceId.json<{ data: LogRecord[] }>().data.length >= 1, 'the log API finds the record by its trace id');
    const crashTrace = await pollUntil(
      async () => {
        const found = await request(`${query}/api/traces/${errorLog.traceId}`);
        return found.status === 200 ? found.json<{ data: JaegerTrace[] }>().data[0] : undefined;
      },
      { timeoutMs: EXPORT_TIMEOUT_MS, intervalMs: 200, what: `the trace ${errorLog.traceId} of GET /crash` },
    );
    const errorSpans = crashTrace.spans.filter((s) => s.tags.some((tag) => (tag.key === 'error' && tag.value === true) || (tag.key === 'otel.status_code' && tag.value === 'ERROR')));
    assert.ok(errorSpans.length > 0, `an error span in the crash trace: ${JSON.stringify(crashTrace.spans.map((s) => [s.operationName, s.tags]))}`);

    // Metrics arrive too: the order counter, as the hub's PromQL API sees it.
    const created = await pollUntil(
      async () => {
        const found = await request(`${query}/api/v1/query?query=${encodeURIComponent('sum({__name__=~"cafe_orders_created.*"})')}`);
        const result = found.json<{ data?: { result: { value: [number, string] }[] } }>().data?.result ?? [];
        const value = Number(result[0]?.value[1] ?? 0);
        return value >= 1 ? value : undefined;
      },
      { timeoutMs: EXPORT_TIMEOUT_MS, intervalMs: 200, what: 'cafe_orders_created in the hub' },
    );
    assert.ok(created >= 1);
  });
});
