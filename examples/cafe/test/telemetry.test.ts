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
import { sampleValue } from './harness/metrics.js';
import { REDIS_SERVER, skipUnless } from './harness/binaries.js';
import { request } from './harness/net.js';
import { getMenu, postOrder, simpleOrder } from './harness/orders.js';
import type { Order } from './harness/orders.js';
import { pollUntil } from './harness/wait.js';
import { startHub } from './harness/hub.js';
import { startStack, useDeps } from './harness/stack.js';

interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  processID: string;
  references: { refType: string; traceID: string; spanID: string }[];
  tags: { key: string; value: unknown }[];
}

interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
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

/** The standard variables pointing both services at the hub, with short export delays. */
function otelEnv(otlpHttpUrl: string): Record<string, string | undefined> {
  return {
    OTEL_SDK_DISABLED: undefined,
    OTEL_EXPORTER_OTLP_ENDPOINT: otlpHttpUrl,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_BLRP_SCHEDULE_DELAY: '100',
    OTEL_METRIC_EXPORT_INTERVAL: '500',
    OTEL_METRIC_EXPORT_TIMEOUT: '400',
  };
}

function tagsOf(span: JaegerSpan): Record<string, unknown> {
  return Object.fromEntries(span.tags.map((tag) => [tag.key, tag.value]));
}

describe('telemetry to the lab hub', { skip: skipUnless(REDIS_SERVER) }, () => {
  const deps = useDeps();

  test('one order: a trace across cafe and payments, logs with its trace id; /crash: an error log and an error span', async (t) => {
    const { hub, addresses } = await startHub();
    t.after(() => hub.close());
    const otel = otelEnv(addresses.otlpHttp.url);
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
        // Each service exports its own spans in its own batches: wait for the trace to
        // hold the cafe's server span too, not just the first batch of either service.
        return traces.find((tr) => {
          const services = new Set(Object.values(tr.processes).map((p) => p.serviceName));
          return services.has('cafe') && services.has('payments') && tr.spans.some((s) => s.operationName === 'POST /orders');
        });
      },
      { timeoutMs: EXPORT_TIMEOUT_MS, intervalMs: 200, what: 'a trace with spans from both cafe and payments, and the cafe\'s POST /orders server span' },
    );

    // The payments server span is a child of a cafe span (W3C traceparent crossed the call).
    const serviceOf = (processID: string): string => trace.processes[processID]?.serviceName ?? '';
    const byId = new Map(trace.spans.map((s) => [s.spanID, s]));
    const crossing = trace.spans.filter((s) => serviceOf(s.processID) === 'payments' && s.references.some((r) => r.refType === 'CHILD_OF' && serviceOf(byId.get(r.spanID)?.processID ?? '') === 'cafe'));
    assert.ok(crossing.length > 0, `a payments span whose parent is a cafe span: ${JSON.stringify(trace.spans.map((s) => [serviceOf(s.processID), s.operationName]))}`);
    assert.ok(trace.spans.some((s) => serviceOf(s.processID) === 'cafe' && /POST/.test(s.operationName)), 'the cafe server span for POST /orders');

    // One tree: the cafe's server span is the only root, every other span's parent is in
    // the trace, though the services carry the context by hand across their awaits.
    const describeSpans = JSON.stringify(trace.spans.map((s) => [serviceOf(s.processID), s.operationName, s.spanID, s.references.map((r) => r.spanID)]));
    const roots = trace.spans.filter((s) => !s.references.some((r) => byId.has(r.spanID)));
    assert.deepEqual(roots.map((s) => s.operationName), ['POST /orders'], `one root, the server span: ${describeSpans}`);
    const parentOf = (s: JaegerSpan): JaegerSpan | undefined => byId.get(s.references.find((r) => r.refType === 'CHILD_OF')?.spanID ?? '');
    const isPg = (s: JaegerSpan): boolean => [tagsOf(s)['db.system'], tagsOf(s)['db.system.name']].includes('postgresql');
    for (const service of ['cafe', 'payments']) {
      assert.ok(trace.spans.some((s) => serviceOf(s.processID) === service && isPg(s)), `${service}'s Postgres statements are in the trace: ${describeSpans}`);
    }
    const client = trace.spans.find((s) => serviceOf(s.processID) === 'cafe' && tagsOf(s)['span.kind'] === 'client' && tagsOf(s)['http.request.method'] === 'POST');
    assert.ok(client, `the cafe's CLIENT span of the payments call: ${describeSpans}`);
    assert.equal(tagsOf(client)['http.response.status_code'], 201);
    assert.match(String(tagsOf(client)['url.full']), /^http:\/\/127\.0\.0\.1:\d+\/charges$/);
    assert.equal(parentOf(client)?.operationName, 'POST /orders');
    const charges = trace.spans.find((s) => s.operationName === 'POST /charges');
    assert.equal(charges && parentOf(charges)?.spanID, client.spanID, 'payments\' server span is the child of the call\'s CLIENT span');

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
    assert.equal(created, 1);

    // GET /metrics and the OTLP export read the same cumulative series (one reader
    // serves both): a scrape between exports takes nothing from the next export.
    const scraped = async (): Promise<number | undefined> => sampleValue((await request(`${stack.cafe.url}/metrics`)).text, 'cafe_orders_created_total');
    assert.equal(await scraped(), 1);
    const second = await postOrder(stack.cafe.url, simpleOrder(await getMenu(stack.cafe.url)).body);
    assert.equal(second.status, 201, second.text);
    assert.equal(await scraped(), 2);
    assert.equal(await scraped(), 2, 'a scrape does not reset the counter');
    await pollUntil(
      async () => {
        const found = await request(`${query}/api/v1/query?query=${encodeURIComponent('sum({__name__=~"cafe_orders_created.*"})')}`);
        const result = found.json<{ data?: { result: { value: [number, string] }[] } }>().data?.result ?? [];
        return Number(result[0]?.value[1] ?? 0) === 2 ? true : undefined;
      },
      { timeoutMs: EXPORT_TIMEOUT_MS, intervalMs: 200, what: 'cafe_orders_created = 2 in the hub, after two scrapes of /metrics' },
    );
  });
  test('server spans: named by route with the HTTP attributes; a caller\'s traceparent is followed, sampled or not; probes make none', async (t) => {
    const { hub, addresses } = await startHub();
    t.after(() => hub.close());
    const stack = await startStack(t, deps(), { cafeEnv: otelEnv(addresses.otlpHttp.url), paymentsEnv: otelEnv(addresses.otlpHttp.url) });
    const query = addresses.query.url;

    // A caller that decided not to sample (flags 00): the cafe records nothing for it.
    const dropped = { traceId: '0af7651916cd43dd8448eb211c80319c', parent: 'b7ad6b7169203331' };
    const unsampled = await request(`${stack.cafe.url}/menu/1`, { headers: { traceparent: `00-${dropped.traceId}-${dropped.parent}-00` } });
    assert.equal(unsampled.status, 200, unsampled.text);
    assert.equal((await request(`${stack.cafe.url}/health`)).status, 200);
    // A caller that sampled (flags 01): the server span joins its trace as a child.
    const kept = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parent: '00f067aa0ba902b7' };
    const sampled = await request(`${stack.cafe.url}/menu/1?fields=all`, { headers: { traceparent: `00-${kept.traceId}-${kept.parent}-01`, 'user-agent': 'telemetry-test/1' } });
    assert.equal(sampled.status, 200, sampled.text);

    const trace = await pollUntil(
      async () => {
        const found = await request(`${query}/api/traces/${kept.traceId}`);
        return found.status === 200 ? found.json<{ data: JaegerTrace[] }>().data[0] : undefined;
      },
      { timeoutMs: EXPORT_TIMEOUT_MS, intervalMs: 200, what: `the trace ${kept.traceId} the caller started` },
    );
    const server = trace.spans.find((s) => s.operationName === 'GET /menu/:id');
    assert.ok(server, `a server span named by the route: ${JSON.stringify(trace.spans.map((s) => s.operationName))}`);
    assert.deepEqual(server.references.map((r) => [r.refType, r.traceID.padStart(32, '0'), r.spanID]), [['CHILD_OF', kept.traceId, kept.parent]]);
    const tags = tagsOf(server);
    assert.equal(tags['span.kind'], 'server');
    assert.equal(tags['http.request.method'], 'GET');
    assert.equal(tags['http.route'], '/menu/:id');
    assert.equal(tags['url.path'], '/menu/1');
    assert.equal(tags['url.query'], 'fields=all');
    assert.equal(tags['url.scheme'], 'http');
    assert.equal(tags['http.response.status_code'], 200);
    assert.equal(tags['user_agent.original'], 'telemetry-test/1');
    assert.equal(tags['server.address'], '127.0.0.1');
    assert.equal(tags['server.port'], Number(new URL(stack.cafe.url).port));
    assert.equal(tags['network.protocol.version'], '1.1');
    assert.equal(tags['client.address'], '127.0.0.1');
    assert.ok(trace.spans.some((s) => tagsOf(s)['db.system.name'] === 'redis' && s.references.some((r) => r.spanID === server.spanID)), 'the cache read is a child of the server span');

    // Exported in order, so by now the unsampled request would be there if it had been recorded.
    assert.equal((await request(`${query}/api/traces/${dropped.traceId}`)).status, 404, 'no span for a request its caller did not sample');
    const operations = await request(`${query}/api/services/cafe/operations`);
    const names = operations.json<{ data: string[] }>().data;
    assert.ok(!names.includes('GET /health'), `no span for the probe path: ${JSON.stringify(names)}`);

    // An unknown route: a span named by the method alone, its 404 not an error.
    assert.equal((await request(`${stack.cafe.url}/no-such-route`)).status, 404);
    const missing = await pollUntil(
      async () => {
        const found = await request(`${query}/api/traces?service=cafe&operation=GET&limit=5`);
        return found.json<{ data: JaegerTrace[] }>().data[0]?.spans.find((s) => s.operationName === 'GET');
      },
      { timeoutMs: EXPORT_TIMEOUT_MS, intervalMs: 200, what: 'the span of GET /no-such-route' },
    );
    assert.equal(tagsOf(missing)['http.response.status_code'], 404);
    assert.equal(tagsOf(missing)['http.route'], undefined);
    assert.notEqual(tagsOf(missing)['otel.status_code'], 'ERROR', 'a 404 is the client\'s error, not the server\'s');
  });
});
