/**
 * Helpers for the admin-API tests: a lab (echo upstream + proxy server + one proxy),
 * Toxiproxy error-body checks, byte round trips and refused connects. Real sockets on
 * 127.0.0.1 port 0, cleaned up through t.after().
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { TestContext } from 'node:test';
import type { ToxiproxyServer, ToxiproxyServerOptions } from '../../src/proxy/index.js';
import { api, connect, echoServer, proxyServer, readBytes } from './net.js';

export interface ToxicJson {
  name: string;
  type: string;
  stream: 'upstream' | 'downstream';
  toxicity: number;
  attributes: Record<string, number | string>;
}

export interface ProxyJson {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: ToxicJson[];
}

export type ApiReply = Awaited<ReturnType<typeof api>>;

/** The port of a "host:port" listen address. */
export function portOf(listen: string): number {
  const port = Number(listen.slice(listen.lastIndexOf(':') + 1));
  assert.ok(Number.isInteger(port) && port > 0, `a real port in ${listen}`);
  return port;
}

/** Asserts a JSON success reply with `status` and returns its body. */
export function ok<T>(reply: ApiReply, status = 200): T {
  assert.equal(reply.status, status, `expected ${status}, got ${reply.status}: ${reply.text}`);
  assert.match(reply.headers.get('content-type') ?? '', /^application\/json/);
  return reply.json as T;
}

/** Asserts an empty 204 reply. */
export function noContent(reply: ApiReply): void {
  assert.equal(reply.status, 204, `expected 204, got ${reply.status}: ${reply.text}`);
  assert.equal(reply.text, '');
}

/**
 * Asserts Toxiproxy's error reply: `{"error":"...","status":N}\n` as text/plain, with a
 * message that contains every fragment (strings verbatim, or regexps). Returns the message.
 */
export function assertApiError(reply: ApiReply, status: number, ...fragments: (string | RegExp)[]): string {
  assert.equal(reply.status, status, `expected ${status}, got ${reply.status}: ${reply.text}`);
  assert.match(reply.headers.get('content-type') ?? '', /^text\/plain/);
  const body = reply.json as { error?: unknown; status?: unknown } | undefined;
  assert.equal(typeof body?.error, 'string', `an error message in ${reply.text}`);
  const message = body!.error as string;
  assert.equal(reply.text, `${JSON.stringify({ error: message, status })}\n`, 'exactly {"error","status"} and a newline');
  for (const fragment of fragments) {
    if (typeof fragment === 'string') assert.ok(message.includes(fragment), `message ${JSON.stringify(message)} should include ${JSON.stringify(fragment)}`);
    else assert.match(message, fragment);
  }
  return message;
}

/** Creates a proxy through the API and returns it (201 asserted). */
export async function createProxy(url: string, body: Record<string, unknown>): Promise<ProxyJson> {
  return ok<ProxyJson>(await api(url, 'POST', '/proxies', body), 201);
}

/** Adds a toxic through the API and returns it (200 asserted). */
export async function addToxic(url: string, proxy: string, body: Record<string, unknown>): Promise<ToxicJson> {
  return ok<ToxicJson>(await api(url, 'POST', `/proxies/${proxy}/toxics`, body));
}

/** GET /proxies. */
export async function listProxies(url: string): Promise<Record<string, ProxyJson>> {
  return ok<Record<string, ProxyJson>>(await api(url, 'GET', '/proxies'));
}

/** Writes `payload` on an open socket and asserts the same bytes come back. */
export async function echoOn(socket: net.Socket, payload: Buffer = randomBytes(1024)): Promise<void> {
  const back = readBytes(socket, payload.length);
  socket.write(payload);
  assert.deepEqual(await back, payload, 'the echo upstream sent back the bytes written');
}

/** Opens a connection to `port`, round-trips `payload` through it and closes it again. */
export async function assertForwards(t: TestContext, port: number, payload?: Buffer): Promise<void> {
  const socket = await connect(t, port);
  await echoOn(socket, payload);
  socket.destroy();
}

/** Round-trips one small payload on a new connection; resolves with the time it took (ms). */
export async function roundTripMs(t: TestContext, port: number): Promise<number> {
  const socket = await connect(t, port);
  const started = performance.now();
  await echoOn(socket, Buffer.from('ping'));
  const elapsed = performance.now() - started;
  socket.destroy();
  return elapsed;
}

/** Asserts that nothing listens on 127.0.0.1:port (the connect is refused). */
export async function assertRefused(port: number): Promise<void> {
  const socket = net.connect({ host: '127.0.0.1', port });
  const outcome = await Promise.race([
    once(socket, 'error').then(([err]) => (err as NodeJS.ErrnoException).code),
    once(socket, 'connect').then(() => 'connected'),
  ]);
  socket.destroy();
  assert.equal(outcome, 'ECONNREFUSED', `connect to 127.0.0.1:${port} should be refused`);
}

/**
 * Resolves when the peer closes `socket`: its FIN ('end', as the helpers' sockets allow
 * half-open), a reset ('error') or 'close'. Call it before the request that should close
 * the socket; fails after 5 s with `what`.
 */
export async function closed(socket: net.Socket, what: string): Promise<void> {
  socket.on('error', () => undefined);
  if (socket.closed || socket.readableEnded) return;
  const signal = AbortSignal.timeout(5000);
  try {
    await Promise.race(['end', 'error', 'close'].map((event) => once(socket, event, { signal })));
  } catch (err) {
    if (signal.aborted) assert.fail(`timed out waiting for ${what}`);
    throw err;
  }
}

/**
 * Waits until `check` holds, re-checking on every event-loop turn (no fixed sleep); fails
 * after `timeoutMs` with `what`. For state that changes on another socket's events.
 */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * The listening TCP servers of this process (to prove a failed request left no listener
 * behind). Waits for the loop's close phase first, as a closed server's handle goes away there.
 */
export async function listeningServers(): Promise<number> {
  for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
}

export interface Lab {
  server: ToxiproxyServer;
  url: string;
  echoPort: number;
  /** The proxy "db" (listen 127.0.0.1:0 -> echo), with the toxic "lag" when asked. */
  proxy: ProxyJson;
  port: number;
}

/**
 * An echo upstream, a proxy server and one proxy "db" in front of the echo. With
 * `withToxic`, "db" carries an upstream latency toxic "lag" (latency 1 ms) whose
 * presence and attributes the error tests check are left alone.
 */
export async function startLab(t: TestContext, options: { withToxic?: boolean; server?: ToxiproxyServerOptions } = {}): Promise<Lab> {
  const echo = await echoServer(t);
  const { server, url } = await proxyServer(t, options.server);
  await createProxy(url, { name: 'db', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
  if (options.withToxic) {
    await addToxic(url, 'db', { name: 'lag', type: 'latency', stream: 'upstream', toxicity: 1, attributes: { latency: 1, jitter: 0 } });
  }
  const proxy = ok<ProxyJson>(await api(url, 'GET', '/proxies/db'));
  return { server, url, echoPort: echo.port, proxy, port: portOf(proxy.listen) };
}

/** Asserts that the lab is as it was: the same proxies and toxics, and "db" still forwards. */
export async function assertUndisturbed(t: TestContext, lab: Lab, before: Record<string, ProxyJson>): Promise<void> {
  assert.deepEqual(await listProxies(lab.url), before, 'GET /proxies unchanged');
  await assertForwards(t, lab.port);
}

/** Samples of a Prometheus text exposition: metric name, labels, value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

/** The one sample named `name` whose labels include `labels`. */
export function sample(samples: Sample[], name: string, labels: Record<string, string>): number {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  assert.equal(found.length, 1, `one ${name} sample with ${JSON.stringify(labels)}`);
  return found[0]!.value;
}
