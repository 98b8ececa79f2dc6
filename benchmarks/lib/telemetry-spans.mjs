// The ingest benchmark's request bodies: OTLP/HTTP protobuf batches of HTTP server spans,
// encoded by the real OpenTelemetry JS SDK exporter (captured by a bare local server),
// then stamped with fresh ids per request so that every batch sent is new to the hub.
import http from 'node:http';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';

const ROUTES = ['/api/orders', '/api/orders/:id', '/api/menu', '/api/menu/:id', '/api/cart', '/api/cart/items', '/api/payments', '/api/users/:id', '/health', '/api/search'];
const AGENTS = ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'k6/0.52.0 (https://k6.io/)', 'okhttp/4.12.0', 'python-requests/2.32.3'];

const resource = resourceFromAttributes({
  'service.name': 'checkout',
  'service.version': '1.4.2',
  'service.instance.id': 'c7d3f1a2-5b9e-4c1d-8e2f-0a1b2c3d4e5f',
  'deployment.environment.name': 'lab',
  'host.name': 'checkout-7f9c5d-2xkqz',
  'process.pid': 4242,
  'process.runtime.name': 'nodejs',
  'process.runtime.version': '20.20.2',
  'telemetry.sdk.language': 'nodejs',
  'telemetry.sdk.name': 'opentelemetry',
  'telemetry.sdk.version': '2.12.1',
});

/** A small deterministic generator, so every run sends the same mix. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` ended SERVER spans, as @opentelemetry/instrumentation-http records them: ten
 * attributes each, one trace per request, half of them continuing a caller's trace; one
 * in 20 fails with a 5xx and an exception event.
 */
function makeSpans(count, seed) {
  const random = prng(seed);
  const provider = new BasicTracerProvider({ resource, spanProcessors: [] });
  const tracer = provider.getTracer('@opentelemetry/instrumentation-http', '0.223.1');
  const baseMs = Date.now() - 60_000;
  const spans = [];
  for (let i = 0; i < count; i++) {
    const route = ROUTES[Math.floor(random() * ROUTES.length)];
    const failed = random() < 0.05;
    const method = route.includes('orders') && random() < 0.5 ? 'POST' : 'GET';
    const startMs = baseMs + i * 5 + random() * 5;
    const durationMs = 1 + random() * random() * 250;
    const parent =
      i % 2 === 0
        ? trace.setSpanContext(ROOT_CONTEXT, { traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex'), traceFlags: TraceFlags.SAMPLED, isRemote: true })
        : ROOT_CONTEXT;
    const span = tracer.startSpan(
      `${method} ${route}`,
      {
        kind: SpanKind.SERVER,
        startTime: startMs,
        attributes: {
          'http.request.method': method,
          'url.scheme': 'http',
          'url.path': route.replace(':id', String(Math.floor(random() * 500))),
          'http.route': route,
          'http.response.status_code': failed ? 503 : method === 'POST' ? 201 : 200,
          'server.address': 'checkout.lab.internal',
          'server.port': 8080,
          'network.protocol.version': '1.1',
          'user_agent.original': AGENTS[Math.floor(random() * AGENTS.length)],
          'client.address': `10.0.${Math.floor(random() * 4)}.${Math.floor(random() * 250) + 2}`,
        },
      },
      parent,
    );
    if (failed) {
      span.addEvent('exception', { 'exception.type': 'UpstreamTimeoutError', 'exception.message': 'payments did not answer within 2000 ms' }, startMs + durationMs / 2);
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end(startMs + durationMs);
    spans.push(span);
  }
  return spans;
}

/** Exports `spans` with the SDK's http/protobuf exporter to a local server and returns the body it sent. */
async function encodeWithExporter(spansList) {
  const bodies = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks));
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const exporter = new OTLPTraceExporter({ url: `http://127.0.0.1:${server.address().port}/v1/traces` });
    for (const spans of spansList) {
      await new Promise((resolve, reject) =>
        exporter.export(spans, (result) => (result.code === 0 ? resolve() : reject(result.error ?? new Error('the SDK exporter failed')))),
      );
    }
    await exporter.shutdown();
  } finally {
    server.closeAllConnections();
    server.close();
  }
  if (bodies.length !== spansList.length) throw new Error(`captured ${bodies.length} bodies for ${spansList.length} batches`);
  return bodies;
}

function readVarint(buf, pos) {
  let value = 0;
  let shift = 0;
  let byte;
  do {
    byte = buf[pos++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, pos];
}

/** Calls visit(field, start, end) for each length-delimited field of the message in buf[start, end). */
function eachField(buf, start, end, visit) {
  let pos = start;
  while (pos < end) {
    let key;
    [key, pos] = readVarint(buf, pos);
    const wire = key % 8;
    if (wire === 0) [, pos] = readVarint(buf, pos);
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      let length;
      [length, pos] = readVarint(buf, pos);
      visit(Math.floor(key / 8), pos, pos + length);
      pos += length;
    } else throw new Error(`unexpected protobuf wire type ${wire} at byte ${pos}`);
  }
}

/**
 * Where the ids sit in an ExportTraceServiceRequest: resource_spans(1) > scope_spans(2) >
 * spans(2) > trace_id(1), span_id(2), parent_span_id(4), links(13) > trace_id(1), span_id(2).
 */
function idOffsets(body) {
  const traceIds = [];
  const spanIds = [];
  let spans = 0;
  const ids = (field, s, e, traceField, spanFields) => {
    if (field === traceField && e - s === 16) traceIds.push(s);
    else if (spanFields.includes(field) && e - s === 8) spanIds.push(s);
  };
  eachField(body, 0, body.length, (f1, s1, e1) => {
    if (f1 !== 1) return;
    eachField(body, s1, e1, (f2, s2, e2) => {
      if (f2 !== 2) return;
      eachField(body, s2, e2, (f3, s3, e3) => {
        if (f3 !== 2) return;
        spans++;
        eachField(body, s3, e3, (f4, s4, e4) => {
          if (f4 === 13) eachField(body, s4, e4, (f5, s5, e5) => ids(f5, s5, e5, 1, [2]));
          else ids(f4, s4, e4, 1, [2, 4]);
        });
      });
    });
  });
  return { spans, traceIds, spanIds };
}

/**
 * `pool` different batches of `batchSpans` spans each, encoded by the SDK, with the
 * offsets of their ids.
 */
export async function buildSpanTemplates(pool, batchSpans) {
  const spansList = Array.from({ length: pool }, (_, n) => makeSpans(batchSpans, 1 + n));
  const bodies = await encodeWithExporter(spansList);
  return bodies.map((body) => {
    const offsets = idOffsets(body);
    if (offsets.spans !== batchSpans || offsets.traceIds.length < batchSpans || offsets.spanIds.length < batchSpans) {
      throw new Error(`found ${offsets.spans} spans, ${offsets.traceIds.length} trace ids, ${offsets.spanIds.length} span ids in a batch of ${batchSpans}`);
    }
    return { body, ...offsets };
  });
}

/**
 * A copy of the template with `seq` (1 to 2^32 - 1) written into the first four bytes of
 * every trace and span id: ids stay consistent within the batch (a parent id still names
 * its parent) and differ from those of every other batch.
 */
export function stampBatch(template, seq) {
  const body = Buffer.from(template.body);
  for (const offset of template.traceIds) body.writeUInt32BE(seq, offset);
  for (const offset of template.spanIds) body.writeUInt32BE(seq, offset);
  return body;
}
