/** Admin API, proxies: /version, /proxies, /proxies/{name}, enable/disable, /reset. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { api, connect, echoServer, proxyServer, tcpServer } from '../helpers/net.js';
import {
  addToxic,
  assertForwards,
  assertRefused,
  closed,
  createProxy,
  echoOn,
  listProxies,
  listeningServers,
  noContent,
  ok,
  portOf,
  startLab,
} from '../helpers/proxy-api.js';
import type { ProxyJson, ToxicJson } from '../helpers/proxy-api.js';

// Compiled to dist/test/proxy/; package.json sits three levels up.
const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

test('GET /version reports the Toxiproxy API version and ours', async (t) => {
  const { url } = await proxyServer(t, { version: PACKAGE_VERSION });
  const version = ok<unknown>(await api(url, 'GET', '/version'));
  assert.deepEqual(version, { version: '2.12.0', cloudlab: PACKAGE_VERSION });
});

test('POST /proxies creates a proxy on a free port and reports the real one', async (t) => {
  const echo = await echoServer(t);
  const { url } = await proxyServer(t);
  assert.deepEqual(await listProxies(url), {}, 'no proxies at first');

  const created = await createProxy(url, { name: 'db', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
  assert.deepEqual(Object.keys(created).sort(), ['enabled', 'listen', 'name', 'toxics', 'upstream']);
  assert.equal(created.name, 'db');
  assert.match(created.listen, /^127\.0\.0\.1:\d+$/);
  const port = portOf(created.listen);
  assert.notEqual(port, 0);
  assert.equal(created.upstream, `127.0.0.1:${echo.port}`);
  assert.equal(created.enabled, true);
  assert.deepEqual(created.toxics, []);

  await assertForwards(t, port);
  assert.deepEqual(ok<ProxyJson>(await api(url, 'GET', '/proxies/db')), created, 'GET /proxies/{name} shows the real port');
  assert.deepEqual(await listProxies(url), { db: created }, 'GET /proxies is keyed by name');
});

test('POST /proxies with enabled false creates a proxy that does not listen until enabled', async (t) => {
  const echo = await echoServer(t);
  const { url } = await proxyServer(t);
  const listenersBefore = await listeningServers();
  const created = await createProxy(url, { name: 'off', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}`, enabled: false });
  assert.equal(created.enabled, false);
  assert.equal(created.listen, '127.0.0.1:0', 'no port was taken yet');
  assert.equal(await listeningServers(), listenersBefore, 'no listener opened');

  const enabled = ok<ProxyJson>(await api(url, 'POST', '/proxies/off', { enabled: true }));
  assert.equal(enabled.enabled, true);
  assert.equal(await listeningServers(), listenersBefore + 1);
  await assertForwards(t, portOf(enabled.listen));
});

test('GET /proxies lists every proxy with its toxics', async (t) => {
  const lab = await startLab(t, { withToxic: true });
  const second = await createProxy(lab.url, { name: 'cache', listen: '127.0.0.1:0', upstream: `127.0.0.1:${lab.echoPort}` });
  const all = await listProxies(lab.url);
  assert.deepEqual(Object.keys(all).sort(), ['cache', 'db']);
  assert.deepEqual(all['cache'], second);
  assert.deepEqual(all['db'], lab.proxy);
  assert.deepEqual(
    all['db']?.toxics.map((x) => x.name),
    ['lag'],
  );
});

test('POST and PATCH /proxies/{name} change upstream and listen; traffic follows', async (t) => {
  const lab = await startLab(t, { withToxic: true });
  // A second upstream that answers with a marker, so we can tell where bytes went.
  const other = await tcpServer(t, (socket) => socket.end('other upstream'));

  const moved = ok<ProxyJson>(await api(lab.url, 'POST', '/proxies/db', { upstream: `127.0.0.1:${other.port}` }));
  assert.equal(moved.upstream, `127.0.0.1:${other.port}`);
  assert.equal(moved.listen, lab.proxy.listen, 'listen kept');
  assert.deepEqual(moved.toxics, lab.proxy.toxics, 'toxics kept');
  const socket = await connect(t, lab.port);
  const chunks: Buffer[] = [];
  socket.on('data', (d: Buffer) => chunks.push(d));
  await closed(socket, 'the other upstream to end the connection');
  assert.equal(Buffer.concat(chunks).toString(), 'other upstream');

  const relisten = ok<ProxyJson>(await api(lab.url, 'PATCH', '/proxies/db', { listen: '127.0.0.1:0', upstream: `127.0.0.1:${lab.echoPort}` }));
  const newPort = portOf(relisten.listen);
  assert.notEqual(newPort, lab.port, 'a new free port');
  assert.equal(relisten.upstream, `127.0.0.1:${lab.echoPort}`);
  await assertRefused(lab.port);
  await assertForwards(t, newPort);
});

test('enabled false closes the listener and open connections; enabled true listens again on the same port', async (t) => {
  const lab = await startLab(t, { withToxic: true });
  const open = await connect(t, lab.port);
  await echoOn(open);
  const openClosed = closed(open, 'the open connection to close');

  const disabled = ok<ProxyJson>(await api(lab.url, 'POST', '/proxies/db', { enabled: false }));
  assert.equal(disabled.enabled, false);
  assert.equal(disabled.listen, lab.proxy.listen);
  assert.deepEqual(disabled.toxics, lab.proxy.toxics, 'toxics survive a disable');
  await openClosed;
  await assertRefused(lab.port);
  assert.equal(ok<ProxyJson>(await api(lab.url, 'GET', '/proxies/db')).enabled, false);

  const again = ok<ProxyJson>(await api(lab.url, 'POST', '/proxies/db', { enabled: false }));
  assert.equal(again.enabled, false, 'disabling twice is fine');

  const enabled = ok<ProxyJson>(await api(lab.url, 'PATCH', '/proxies/db', { enabled: true }));
  assert.deepEqual(enabled, lab.proxy, 'same listen, upstream and toxics as before');
  await assertForwards(t, lab.port);
});

test('DELETE /proxies/{name} removes the proxy and closes its listener and connections', async (t) => {
  const lab = await startLab(t, { withToxic: true });
  const open = await connect(t, lab.port);
  await echoOn(open);
  const openClosed = closed(open, 'the open connection to close');

  noContent(await api(lab.url, 'DELETE', '/proxies/db'));
  await openClosed;
  await assertRefused(lab.port);
  assert.equal((await api(lab.url, 'GET', '/proxies/db')).status, 404);
  assert.deepEqual(await listProxies(lab.url), {});

  // The name is free again.
  const recreated = await createProxy(lab.url, { name: 'db', listen: lab.proxy.listen, upstream: lab.proxy.upstream });
  assert.deepEqual(recreated.toxics, [], 'a new proxy starts without the old toxics');
  await assertForwards(t, lab.port);
});

test('POST /reset enables every proxy and removes every toxic', async (t) => {
  const lab = await startLab(t, { withToxic: true });
  const cache = await createProxy(lab.url, { name: 'cache', listen: '127.0.0.1:0', upstream: `127.0.0.1:${lab.echoPort}` });
  await addToxic(lab.url, 'cache', { type: 'latency', attributes: { latency: 1 } });
  await addToxic(lab.url, 'cache', { type: 'bandwidth', stream: 'upstream', attributes: { rate: 1000 } });
  ok(await api(lab.url, 'POST', '/proxies/cache', { enabled: false }));
  await assertRefused(portOf(cache.listen));
  const open = await connect(t, lab.port);
  await echoOn(open);

  const reply = await api(lab.url, 'POST', '/reset');
  noContent(reply);
  const all = await listProxies(lab.url);
  assert.deepEqual(all['db'], { ...lab.proxy, toxics: [] });
  assert.deepEqual(all['cache'], { ...cache, toxics: [] }, 'enabled again, on the same port, with no toxics');
  assert.deepEqual(ok<ToxicJson[]>(await api(lab.url, 'GET', '/proxies/cache/toxics')), []);
  await assertForwards(t, portOf(cache.listen));
  await echoOn(open); // a connection open through the reset goes on working
  noContent(await api(lab.url, 'POST', '/reset')); // and resetting a clean server is fine
});
