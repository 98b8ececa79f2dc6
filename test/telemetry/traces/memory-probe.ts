/**
 * Not a test: measures the heap the trace store keeps per span. Stores 100,000
 * typical HTTP server spans (16 attributes, as @opentelemetry/instrumentation-http
 * records them; ids and times unique; batches of 512 sharing one resource, as the
 * OTLP decoders hand them over) and prints heap and RSS growth per span.
 *
 *   npx tsc -b && node --expose-gc dist/test/telemetry/traces/memory-probe.js [spans]
 */
import { randomBytes } from 'node:crypto';
import { TraceStore } from '../../../src/telemetry/traces/index.js';
import type { SpanData } from '../../../src/telemetry/model.js';

const COUNT = Number(process.argv[2] ?? 100_000);
const BATCH = 512;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

const resource = {
  attributes: {
    'service.name': 'cafe',
    'service.instance.id': 'b6a5c1e0-4b1e-4f6e-9a53-0c0c7e3a9f11',
    'telemetry.sdk.language': 'nodejs',
    'telemetry.sdk.name': 'opentelemetry',
    'telemetry.sdk.version': '2.0.1',
    'process.pid': 4242,
    'process.executable.name': 'node',
    'process.runtime.name': 'nodejs',
    'process.runtime.version': '20.19.0',
    'host.name': 'lab-host',
    'host.arch': 'amd64',
  },
};

function batchJson(n: number, offset: number): string {
  const spans = [];
  for (let i = 0; i < n; i++) {
    const id = offset + i;
    spans.push({
      traceId: randomBytes(16).toString('hex'),
      spanId: randomBytes(8).toString('hex'),
      parentSpanId: '',
      traceState: '',
      name: 'GET /menu/:id',
      kind: 'server',
      startUs: 1_714_560_000_000_000 + id * 137,
      durationUs: 1000 + (id % 5000),
      attributes: {
        'http.url': `http://127.0.0.1:8000/menu/${id % 50}`,
        'http.host': '127.0.0.1:8000',
        'net.host.name': '127.0.0.1',
        'http.method': 'GET',
        'http.scheme': 'http',
        'http.target': `/menu/${id % 50}`,
        'http.user_agent': 'cloudlab-load/0.1.0 (+https://github.com/cloudlab) node/20.19.0',
        'http.flavor': '1.1',
        'net.transport': 'ip_tcp',
        'net.host.ip': '127.0.0.1',
        'net.host.port': 8000,
        'net.peer.ip': '127.0.0.1',
        'net.peer.port': 40000 + (id % 20000),
        'http.status_code': 200,
        'http.status_text': 'OK',
        'http.route': '/menu/:id',
      },
      events: [],
      links: [],
      status: { code: 'unset', message: '' },
      scope: { name: '@opentelemetry/instrumentation-http', version: '0.200.0' },
    });
  }
  return JSON.stringify(spans);
}

function measure(): { heap: number; rss: number } {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
}

const store = new TraceStore({ limits: { maxSpans: COUNT, retentionMs: 3_600_000 }, clock: () => 0 });
const before = measure();
for (let done = 0; done < COUNT; done += BATCH) {
  // Fresh strings and a fresh resource object per batch, as a decoder makes them.
  const batchResource = JSON.parse(JSON.stringify(resource)) as SpanData['resource'];
  const json = batchJson(Math.min(BATCH, COUNT - done), done);
  const spans = (JSON.parse(json) as Omit<SpanData, 'resource'>[]).map((s) => ({ ...s, resource: batchResource }));
  store.add(spans);
}
const after = measure();
const stats = store.stats();
const perSpanHeap = (after.heap - before.heap) / stats.spans;
const perSpanRss = (after.rss - before.rss) / stats.spans;
console.log(`spans stored: ${stats.spans} in ${stats.traces} traces`);
console.log(`heap per span: ${perSpanHeap.toFixed(0)} B (${(perSpanHeap / 1024).toFixed(2)} KiB)`);
console.log(`rss per span:  ${perSpanRss.toFixed(0)} B (${(perSpanRss / 1024).toFixed(2)} KiB)`);
