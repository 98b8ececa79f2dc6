/** The control plane's small parts in-process: guards, OFREP, log records, the injected environment. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostAllowed } from '../../src/control/guard.js';
import { createFlagStore } from '../../src/control/flags.js';
import { evaluateAll, evaluateFlag } from '../../src/control/ofrep.js';
import { toLogRecord } from '../../src/control/log-forwarder.js';
import { serviceEnv } from '../../src/control/service-env.js';
import { createEventLog, proxyEvent } from '../../src/control/events.js';
import type { ServicePlan } from '../../src/control/plan.js';

test('the Host check lets loopback names on our port in, and nothing else', () => {
  assert.ok(hostAllowed('127.0.0.1:3001', '127.0.0.1', 3001));
  assert.ok(hostAllowed('localhost:3001', '127.0.0.1', 3001));
  assert.ok(hostAllowed('[::1]:3001', '127.0.0.1', 3001));
  assert.ok(!hostAllowed('evil.example:3001', '127.0.0.1', 3001), 'DNS rebinding: another name');
  assert.ok(!hostAllowed('127.0.0.1:3002', '127.0.0.1', 3001), 'another port');
  assert.ok(!hostAllowed(undefined, '127.0.0.1', 3001));
  assert.ok(!hostAllowed('localhost', '127.0.0.1', 3001), 'no port means 80');
});

test('flags persist atomically and OFREP answers single, bulk (with ETag) and errors', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'cloudlab-flags-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'flags.json');
  const flags = await createFlagStore(file);
  await flags.set('paymentFailureRate', 0.5);
  assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), { paymentFailureRate: 0.5 });
  assert.deepEqual(evaluateFlag(flags, 'paymentFailureRate', { context: {} }), { status: 200, body: { key: 'paymentFailureRate', value: 0.5, reason: 'STATIC', variant: 'default', metadata: {} } });
  assert.equal(evaluateFlag(flags, 'nope', { context: {} }).status, 404);
  assert.equal((evaluateFlag(flags, 'nope', {}).body as { errorCode: string }).errorCode, 'FLAG_NOT_FOUND');
  assert.equal((evaluateFlag(flags, 'x', { context: 5 }).body as { errorCode: string }).errorCode, 'INVALID_CONTEXT');
  const bulk = evaluateAll(flags, { context: {} }, undefined);
  assert.equal(bulk.status, 200);
  assert.equal(evaluateAll(flags, { context: {} }, bulk.headers!['etag']).status, 304);
  await flags.set('cacheDisabled', true);
  assert.equal(evaluateAll(flags, { context: {} }, bulk.headers!['etag']).status, 200, 'a write changes the ETag');
  await assert.rejects(flags.set('bad key', 1), /flag key must be/);
  await assert.rejects(flags.set('ok', [1]), /flags\.ok: value must be/);
  assert.ok(await flags.remove('cacheDisabled'));
  const reopened = await createFlagStore(file);
  assert.deepEqual(reopened.all(), { paymentFailureRate: 0.5 });
});

test('a pino line becomes a log record with severity, message, fields and trace context', () => {
  const traceId = 'a'.repeat(32);
  const spanId = 'b'.repeat(16);
  const record = toLogRecord({ service: 'cafe', replica: 'cafe-1', stream: 'stderr', timeMs: 1000, line: JSON.stringify({ level: 50, time: 2000, msg: 'boom', trace_id: traceId, span_id: spanId, route: '/menu', pid: 1 }) });
  assert.equal(record['severityNumber'], 17);
  assert.equal(record['severityText'], 'ERROR');
  assert.deepEqual(record['body'], { stringValue: 'boom' });
  assert.equal(record['traceId'], traceId);
  assert.equal(record['spanId'], spanId);
  assert.equal(record['timeUnixNano'], '2000000000');
  const attrs = record['attributes'] as Array<{ key: string }>;
  assert.deepEqual(attrs.map((a) => a.key), ['log.iostream', 'route']);
  const plain = toLogRecord({ service: 'x', replica: 'x-1', stream: 'stdout', timeMs: 5, line: 'hello {not json' });
  assert.deepEqual(plain['body'], { stringValue: 'hello {not json' });
  assert.equal(plain['severityNumber'], undefined);
});

test('each replica gets its port, the dependency URLs and OTel variables; its own environment wins', () => {
  const service: ServicePlan = {
    name: 'cafe', command: ['node', 'x'], cwd: '/', replicas: 2, portEnv: 'PORT',
    environment: { OTEL_METRIC_EXPORT_INTERVAL: '1000', OTEL_RESOURCE_ATTRIBUTES: 'team=a,service.instance.id=mine' },
    health: { check: 'http', path: '/health', intervalMs: 1, timeoutMs: 1, retries: 1, startPeriodMs: 1 },
    restart: 'on-failure', dependsOn: [{ name: 'payments', condition: 'service_started' }, { name: 'postgres', condition: 'service_healthy' }], publish: [], proxy: null,
  };
  const env = serviceEnv(service, { id: 'cafe-2', port: 4321 }, {
    host: '127.0.0.1', databaseUrl: 'postgres://u:p@127.0.0.1:5432/cafe', cacheUrl: 'redis://127.0.0.1:6379', serviceUrls: new Map([['payments', 'http://127.0.0.1:8081']]),
    otlpHttpUrl: 'http://127.0.0.1:4318', controlUrl: 'http://127.0.0.1:3001', flagsFile: '/tmp/flags.json',
  }, { PATH: '/bin', DATABASE_URL: 'postgres://elsewhere' });
  assert.equal(env['PORT'], '4321');
  assert.equal(env['DATABASE_URL'], 'postgres://u:p@127.0.0.1:5432/cafe', 'the lab overrides a shell DATABASE_URL');
  assert.equal(env['VALKEY_URL'], 'redis://127.0.0.1:6379');
  assert.equal(env['PAYMENTS_URL'], 'http://127.0.0.1:8081');
  assert.equal(env['OTEL_SERVICE_NAME'], 'cafe');
  assert.equal(env['OTEL_EXPORTER_OTLP_ENDPOINT'], 'http://127.0.0.1:4318');
  assert.equal(env['OTEL_METRIC_EXPORT_INTERVAL'], '1000', 'the service\'s own value wins');
  assert.equal(env['OTEL_RESOURCE_ATTRIBUTES'], 'team=a,service.instance.id=mine,deployment.environment.name=cloudlab');
  assert.equal(env['PATH'], '/bin');
  const plain = { ...service, environment: {} };
  const endpoints = { host: '127.0.0.1', databaseUrl: null, cacheUrl: null, serviceUrls: new Map<string, string>(), otlpHttpUrl: 'http://127.0.0.1:4318', controlUrl: 'http://127.0.0.1:3001', flagsFile: '/tmp/flags.json' };
  assert.equal(serviceEnv(plain, { id: 'cafe-1', port: 1 }, endpoints, {})['OTEL_METRIC_EXPORT_INTERVAL'], '5000', 'the lab\'s default');
  assert.equal(serviceEnv(plain, { id: 'cafe-1', port: 1 }, endpoints, { OTEL_METRIC_EXPORT_INTERVAL: '1000' })['OTEL_METRIC_EXPORT_INTERVAL'], '1000', 'the lab\'s own environment');
});

test('proxy API calls become chart events: toxics added and removed, outages, reset', () => {
  assert.equal(proxyEvent('GET', '/proxies', ''), null);
  assert.deepEqual(proxyEvent('POST', '/proxies/postgres/toxics', '{"type":"latency","attributes":{"latency":300}}'), { kind: 'fault', action: 'inject', detail: 'toxic on postgres: latency {"latency":300}' });
  assert.deepEqual(proxyEvent('DELETE', '/proxies/postgres/toxics/latency_downstream', ''), { kind: 'fault', action: 'remove', detail: 'toxic latency_downstream removed from postgres' });
  assert.deepEqual(proxyEvent('POST', '/proxies/cache', '{"enabled":false}'), { kind: 'fault', action: 'inject', detail: 'proxy cache disabled (outage)' });
  assert.deepEqual(proxyEvent('POST', '/proxies/cache', '{"enabled":true}'), { kind: 'fault', action: 'remove', detail: 'proxy cache enabled' });
  assert.equal(proxyEvent('POST', '/reset', '')?.action, 'reset');
  const log = createEventLog(2, () => 5);
  log.add({ kind: 'lab', action: 'a', detail: '' });
  log.add({ kind: 'lab', action: 'b', detail: '' });
  log.add({ kind: 'lab', action: 'c', detail: '' });
  assert.deepEqual(log.since(0).map((e) => e.action), ['b', 'c'], 'bounded: the oldest go first');
  assert.deepEqual(log.since(6), []);
});
