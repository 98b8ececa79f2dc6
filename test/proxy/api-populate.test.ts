/** Admin API, POST /populate: create, keep, replace, and all-or-nothing failures. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, connect, tcpServer } from '../helpers/net.js';
import {
  addToxic,
  assertApiError,
  assertForwards,
  assertRefused,
  assertUndisturbed,
  closed,
  createProxy,
  echoOn,
  listProxies,
  listeningServers,
  ok,
  portOf,
  startLab,
} from '../helpers/proxy-api.js';
import type { ProxyJson } from '../helpers/proxy-api.js';

test('POST /populate creates new proxies, keeps identical ones and replaces changed ones', async (t) => {
  const lab = await startLab(t, { withToxic: true });
  const other = await tcpServer(t, (socket) => socket.end('other upstream'));
  const cache = await createProxy(lab.url, { name: 'cache', listen: '127.0.0.1:0', upstream: `127.0.0.1:${lab.echoPort}` });
  await addToxic(lab.url, 'cache', { type: 'latency', attributes: { latency: 1 } });
  const open = await connect(t, lab.port);
  await echoOn(open);

  const reply = await api(lab.url, 'POST', '/populate', [
    { name: 'db', listen: lab.proxy.listen, upstream: lab.proxy.upstream }, // identical: kept
    { name: 'cache', listen: cache.listen, upstream: `127.0.0.1:${other.port}` }, // changed: replaced
    { name: 'queue', listen: '127.0.0.1:0', upstream: `127.0.0.1:${lab.echoPort}` }, // new
    { name: 'spare', listen: '127.0.0.1:0', upstream: `127.0.0.1:${lab.echoPort}`, enabled: false }, // new, disabled
  ]);
  const body = ok<{ proxies: ProxyJson[] }>(reply, 201);
  assert.deepEqual(Object.keys(body), ['proxies']);
  assert.deepEqual(
    body.proxies.map((p) => p.name),
    ['db', 'cache', 'queue', 'spare'],
    'in request order',
  );
  const [db, replaced, queue, spare] = body.proxies as [ProxyJson, ProxyJson, ProxyJson, ProxyJson];

  assert.deepEqual(db, lab.proxy, 'the identical proxy is kept with its toxics');
  await echoOn(open); // and its open connection was not touched

  assert.equal(replaced.listen, cache.listen, 'the replacement listens on the same port');
  assert.equal(replaced.upstream, `127.0.0.1:${other.port}`);
  assert.deepEqual(replaced.toxics, [], 'a replaced proxy is a new proxy, without the old toxics');
  const socket = await connect(t, portOf(replaced.listen));
  const chunks: Buffer[] = [];
  socket.on('data', (d: Buffer) => chunks.push(d));
  await closed(socket, 'the other upstream to end');
  assert.equal(Buffer.concat(chunks).toString(), 'other upstream');

  assert.equal(queue.enabled, true);
  await assertForwards(t, portOf(queue.listen));
  assert.equal(spare.enabled, false);

  const all = await listProxies(lab.url);
  assert.deepEqual(all, { db, cache: replaced, queue, spare });
});

test('POST /populate with an empty array creates nothing and changes nothing', async (t) => {
  const lab = await startLab(t, { withToxic: true });
  const before = await listProxies(lab.url);
  assert.deepEqual(ok(await api(lab.url, 'POST', '/populate', []), 201), { proxies: [] });
  await assertUndisturbed(t, lab, before);
});

test('POST /populate is all or nothing when an entry cannot listen', async (t) => {
  const lab = await startLab(t, { withToxic: true });
  const other = await tcpServer(t, (socket) => socket.end('other upstream'));
  const taken = await tcpServer(t, (socket) => socket.end('not a proxy'));
  const before = await listProxies(lab.url);
  const listenersBefore = await listeningServers();

  const reply = await api(lab.url, 'POST', '/populate', [
    { name: 'db', listen: lab.proxy.listen, upstream: `127.0.0.1:${other.port}` }, // would replace db
    { name: 'fresh', listen: '127.0.0.1:0', upstream: `127.0.0.1:${lab.echoPort}` }, // would start
    { name: 'blocked', listen: `127.0.0.1:${taken.port}`, upstream: `127.0.0.1:${lab.echoPort}` }, // cannot listen
  ]);
  assertApiError(reply, 500, `listen tcp 127.0.0.1:${taken.port}: address already in use`, 'proxy "blocked"');

  // Nothing started stays, nothing replaced is lost: db is back with its upstream and
  // toxics on its port (assertUndisturbed round-trips through it to the echo server).
  await assertUndisturbed(t, lab, before);
  assert.equal(await listeningServers(), listenersBefore, 'the listener "fresh" opened was closed again');
  assertApiError(await api(lab.url, 'GET', '/proxies/fresh'), 404, 'proxy not found: fresh');
  assertApiError(await api(lab.url, 'GET', '/proxies/blocked'), 404, 'proxy not found: blocked');

  // The entry that fails may itself replace a proxy: that one comes back too.
  const alone = await api(lab.url, 'POST', '/populate', [{ name: 'db', listen: `127.0.0.1:${taken.port}`, upstream: lab.proxy.upstream }]);
  assertApiError(alone, 500, `listen tcp 127.0.0.1:${taken.port}: address already in use`, 'proxy "db"');
  await assertUndisturbed(t, lab, before);
  assert.equal(await listeningServers(), listenersBefore);
});

test('POST /populate checks every entry before it touches anything', async (t) => {
  const lab = await startLab(t, { withToxic: true });
  const before = await listProxies(lab.url);
  const echo = `127.0.0.1:${lab.echoPort}`;
  const cases: { body: unknown; status: number; fragments: string[] }[] = [
    { body: '[{"name":"x",', status: 400, fragments: ['bad request body: not valid JSON'] },
    { body: { name: 'x', upstream: echo }, status: 400, fragments: ['bad request body: expected a JSON array of proxies, received {"name":"x"'] },
    { body: [5], status: 400, fragments: ['bad request body: proxies[0] must be a JSON object, received 5'] },
    {
      body: [{ name: 'new', listen: '127.0.0.1:0', upstream: echo }, { name: 'db', listen: '8080', upstream: echo }],
      status: 400,
      fragments: ['bad request body: proxies[1].listen must be "host:port"', 'received "8080"'],
    },
    { body: [{ name: 'db', listen: '127.0.0.1:0' }], status: 400, fragments: ['missing required field: upstream at proxies[0]'] },
    { body: [{ upstream: echo }], status: 400, fragments: ['missing required field: name at proxies[0]'] },
    { body: [{ name: 'x', upstream: echo, enabled: 'yes' }], status: 400, fragments: ['proxies[0].enabled must be a boolean, received "yes"'] },
    { body: [{ name: 'x', upstream: 'db.internal' }], status: 400, fragments: ['proxies[0].upstream must be "host:port"', 'received "db.internal"'] },
    {
      body: [{ name: 'x', listen: '127.0.0.1:0', upstream: echo }, { name: 'x', listen: '127.0.0.1:0', upstream: echo }],
      status: 400,
      fragments: ['bad request body: duplicate proxy name "x"'],
    },
  ];
  for (const c of cases) {
    const listenersBefore = await listeningServers();
    assertApiError(await api(lab.url, 'POST', '/populate', c.body), c.status, ...c.fragments);
    assert.equal(await listeningServers(), listenersBefore, `no listener left by ${JSON.stringify(c.body)}`);
    await assertUndisturbed(t, lab, before);
  }
});

test('a proxy replaced by /populate stops listening on its old port', async (t) => {
  const lab = await startLab(t);
  const body = ok<{ proxies: ProxyJson[] }>(
    await api(lab.url, 'POST', '/populate', [{ name: 'db', listen: '127.0.0.1:0', upstream: lab.proxy.upstream }]),
    201,
  );
  const moved = body.proxies[0]!;
  assert.notEqual(portOf(moved.listen), lab.port);
  await assertRefused(lab.port);
  await assertForwards(t, portOf(moved.listen));
});
