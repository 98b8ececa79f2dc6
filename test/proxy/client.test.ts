/**
 * The published Toxiproxy client for Node (toxiproxy-node-client v4) drives our server:
 * every call it makes must succeed with the shapes it expects, and have its effect.
 */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { Toxiproxy, ToxiproxyError } from 'toxiproxy-node-client';
import type { Latency, Proxy as ClientProxy } from 'toxiproxy-node-client';
import { api, connect, echoServer, proxyServer } from '../helpers/net.js';
import { assertForwards, assertRefused, closed, echoOn, ok, portOf, roundTripMs } from '../helpers/proxy-api.js';
import type { ToxicJson } from '../helpers/proxy-api.js';

const SLOP_MS = 5;

async function setup(t: TestContext): Promise<{ client: Toxiproxy; url: string; upstream: string }> {
  const echo = await echoServer(t);
  const { url } = await proxyServer(t, { version: '9.9.9' });
  return { client: new Toxiproxy(url), url, upstream: `127.0.0.1:${echo.port}` };
}

/** Asserts the promise rejects with the client's error for `status`. */
async function rejectsWith(promise: Promise<unknown>, status: number): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ToxiproxyError, `a ToxiproxyError, got ${String(err)}`);
    assert.equal(err.message, `Request failed with status code ${status}`);
    return true;
  });
}

test('client: getVersion, createProxy, get and getAll', async (t) => {
  const { client, url, upstream } = await setup(t);
  const version = await client.getVersion();
  assert.deepEqual(JSON.parse(version), { version: '2.12.0', cloudlab: '9.9.9' }, 'getVersion returns the raw body');

  const proxy = await client.createProxy({ name: 'db', listen: '127.0.0.1:0', upstream });
  assert.equal(proxy.name, 'db');
  assert.equal(proxy.upstream, upstream);
  assert.equal(proxy.enabled, true);
  assert.notEqual(portOf(proxy.listen), 0, 'the real port');
  assert.equal(proxy.getPath(), `${url}/proxies/db`);
  await assertForwards(t, portOf(proxy.listen));

  const fetched = await client.get('db');
  assert.deepEqual(fetched.toJson(), proxy.toJson());
  const all = await client.getAll();
  assert.deepEqual(Object.keys(all), ['db']);
  assert.deepEqual(all['db']?.toJson(), proxy.toJson());

  await rejectsWith(client.createProxy({ name: 'db', listen: '127.0.0.1:0', upstream }), 409);
  await rejectsWith(client.get('nope'), 404);
});

test('client: populate creates proxies it returns by name, and replaces on a second call', async (t) => {
  const { client, upstream } = await setup(t);
  const proxies = await client.populate([
    { name: 'a', listen: '127.0.0.1:0', upstream },
    { name: 'b', listen: '127.0.0.1:0', upstream, enabled: false },
  ]);
  assert.deepEqual(Object.keys(proxies).sort(), ['a', 'b']);
  const a = proxies['a']!;
  assert.equal(a.enabled, true);
  assert.equal(proxies['b']?.enabled, false);
  await assertForwards(t, portOf(a.listen));

  const again = await client.populate([{ name: 'a', listen: a.listen, upstream }]);
  assert.deepEqual(again['a']?.toJson(), a.toJson(), 'an identical proxy is kept as it is');
  assert.deepEqual(Object.keys(await client.getAll()).sort(), ['a', 'b'], 'populate does not remove the others');
});

test('client: addToxic, getToxic, update and remove a latency toxic, with a measurable effect', async (t) => {
  const { client, url, upstream } = await setup(t);
  const proxy = await client.createProxy({ name: 'db', listen: '127.0.0.1:0', upstream });
  const port = portOf(proxy.listen);

  const toxic = await proxy.addToxic<Latency>({ name: 'lag', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 300, jitter: 0 } });
  assert.deepEqual(toxic.toJson(), { attributes: { latency: 300, jitter: 0 }, name: 'lag', stream: 'downstream', toxicity: 1, type: 'latency' });
  assert.equal(toxic.getPath(), `${url}/proxies/db/toxics/lag`);
  assert.ok((await roundTripMs(t, port)) >= 300 - SLOP_MS, 'the latency toxic delays a round trip');

  const got = await proxy.getToxic<Latency>('lag');
  assert.deepEqual(got.toJson(), toxic.toJson());

  const updated = await toxic.update({ ...toxic.toJson(), attributes: { latency: 0, jitter: 0 } });
  assert.deepEqual(updated.attributes, { latency: 0, jitter: 0 });
  assert.equal(updated.name, 'lag');
  assert.ok((await roundTripMs(t, port)) < 300 - SLOP_MS, 'the update took effect');
  const onServer = ok<ToxicJson>(await api(url, 'GET', '/proxies/db/toxics/lag'));
  assert.deepEqual(onServer.attributes, { latency: 0, jitter: 0 });

  await updated.update({ ...updated.toJson(), toxicity: 0.5 });
  assert.equal((await proxy.getToxic<Latency>('lag')).toxicity, 0.5);

  await toxic.remove();
  await rejectsWith(proxy.getToxic('lag'), 404);
  assert.deepEqual(ok<ToxicJson[]>(await api(url, 'GET', '/proxies/db/toxics')), []);
  await rejectsWith(toxic.remove(), 404);
});

test('client: update with enabled false refuses connects and closes open ones; enabled true restores', async (t) => {
  const { client, upstream } = await setup(t);
  const proxy: ClientProxy = await client.createProxy({ name: 'db', listen: '127.0.0.1:0', upstream });
  const port = portOf(proxy.listen);
  const open = await connect(t, port);
  await echoOn(open);
  const openClosed = closed(open, 'the open connection to close');

  const down = await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
  assert.equal(down.enabled, false);
  assert.equal(down.listen, proxy.listen);
  await openClosed;
  await assertRefused(port);
  assert.equal((await client.get('db')).enabled, false);

  const up = await down.update({ enabled: true, listen: down.listen, upstream: down.upstream });
  assert.equal(up.enabled, true);
  assert.equal(up.listen, proxy.listen, 'listens again on the same port');
  await assertForwards(t, port);
});

test('client: reset re-enables proxies and removes toxics; remove deletes a proxy', async (t) => {
  const { client, url, upstream } = await setup(t);
  const proxy = await client.createProxy({ name: 'db', listen: '127.0.0.1:0', upstream });
  const port = portOf(proxy.listen);
  await proxy.addToxic<Latency>({ name: 'lag', type: 'latency', stream: 'upstream', toxicity: 1, attributes: { latency: 300, jitter: 0 } });
  await proxy.update({ enabled: false, listen: proxy.listen, upstream });
  await assertRefused(port);

  await client.reset();
  const after = await client.get('db');
  assert.equal(after.enabled, true);
  assert.equal(after.listen, proxy.listen);
  assert.deepEqual(ok<ToxicJson[]>(await api(url, 'GET', '/proxies/db/toxics')), []);
  await rejectsWith(after.getToxic('lag'), 404);
  assert.ok((await roundTripMs(t, port)) < 300 - SLOP_MS, 'no latency left after reset');

  await after.remove();
  await rejectsWith(client.get('db'), 404);
  assert.deepEqual(await client.getAll(), {});
  await assertRefused(port);
});
