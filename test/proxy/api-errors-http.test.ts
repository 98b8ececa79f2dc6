/**
 * Admin API, the other refusals: 404 (unknown proxy, toxic or route), 405, 409, 413,
 * 403 for browsers, and 500 when a listen address cannot be bound. Each leaves the
 * running proxy "db" (with its toxic "lag") as it was, still forwarding bytes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { api, tcpServer } from '../helpers/net.js';
import {
  assertApiError,
  assertForwards,
  assertRefused,
  assertUndisturbed,
  listProxies,
  listeningServers,
  ok,
  startLab,
} from '../helpers/proxy-api.js';
import type { ProxyJson } from '../helpers/proxy-api.js';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

test('an unknown proxy is 404 "proxy not found" on every proxy route', async (t) => {
  const lab = await startLab(t, { withToxic: true });
  const before = await listProxies(lab.url);
  const routes: [string, string, unknown?][] = [
    ['GET', '/proxies/nope'],
    ['POST', '/proxies/nope', { enabled: false }],
    ['PATCH', '/proxies/nope', { enabled: false }],
    ['DELETE', '/proxies/nope'],
    ['GET', '/proxies/nope/toxics'],
    ['POST', '/proxies/nope/toxics', { type: 'latency' }],
    ['GET', '/proxies/nope/toxics/lag'],
    ['POST', '/proxies/nope/toxics/lag', { toxicity: 0 }],
    ['PATCH', '/proxies/nope/toxics/lag', { toxicity: 0 }],
    ['DELETE', '/proxies/nope/toxics/lag'],
  ];
  for (const [method, path, body] of routes) {
    assertApiError(await api(lab.url, method, path, body), 404, 'proxy not found: nope');
    await assertUndisturbed(t, lab, before);
  }
  assertApiError(await api(lab.url, 'GET', '/proxies/no%20such'), 404, 'proxy not found: no such');
});

test('an unknown toxic is 404 "toxic not found"', async (t) => {
  const lab = await startLab(t, { withToxic: true });
  const before = await listProxies(lab.url);
  for (const [method, body] of [['GET'], ['POST', { toxicity: 0 }], ['PATCH', { toxicity: 0 }], ['DELETE']] as [string, unknown?][]) {
    assertApiError(await api(lab.url, method, '/proxies/db/toxics/nope', body), 404, 'toxic not found: nope');
    await assertUndisturbed(t, lab, before);
  }
});

test('an unknown route is 404 "404 page not found"', async (t) => {
  const lab = await startLab(t, { withToxic: true });
  const before = await listProxies(lab.url);
  for (const [method, path] of [
    ['GET', '/'],
    ['GET', '/nope'],
    ['POST', '/proxy'],
    ['GET', '/proxies/db/other'],
    ['GET', '/proxies/db/toxics/lag/extra'],
    ['DELETE', '/version/x'],
  ] as [string, string][]) {
    const reply = await api(lab.url, method, path);
    assert.equal(reply.status, 404, `${method} ${path}`);
    assert.equal(reply.text, '404 page not found\n');
    assert.match(reply.headers.get('content-type') ?? '', /^text\/plain/);
  }
  await assertUndisturbed(t, lab, before);
});

test('a method the route lacks is 405 with an Allow header', async (t) => {
  const lab = await startLab(t, { withToxic: true });
  const before = await listProxies(lab.url);
  for (const [method, path, allow] of [
    ['DELETE', '/version', 'GET'],
    ['PUT', '/proxies', 'GET, POST'],
    ['DELETE', '/proxies', 'GET, POST'],
    ['GET', '/reset', 'POST'],
    ['GET', '/populate', 'POST'],
    ['PUT', '/proxies/db', 'GET, POST, DELETE, PATCH'],
    ['DELETE', '/proxies/db/toxics', 'GET, POST'],
    ['PUT', '/proxies/db/toxics/lag', 'GET, POST, DELETE, PATCH'],
  ] as [string, string, string][]) {
    const reply = await api(lab.url, method, path, method === 'GET' ? undefined : {});
    assert.equal(reply.status, 405, `${method} ${path}`);
    assert.equal(reply.headers.get('allow'), allow, `Allow of ${path}`);
    await assertUndisturbed(t, lab, before);
  }
});

test('a duplicate proxy name is 409 and opens nothing', async (t) => {
  const lab = await startLab(t, { withToxic: true });
  const before = await listProxies(lab.url);
  const listeners = await listeningServers();
  const reply = await api(lab.url, 'POST', '/proxies', { name: 'db', listen: '127.0.0.1:0', upstream: `127.0.0.1:${lab.echoPort}` });
  assertApiError(reply, 409, 'proxy already exists: db');
  assert.equal(await listeningServers(), listeners, 'no second listener');
  await assertUndisturbed(t, lab, before);

  // Two creates racing for one name: changes run one at a time, so exactly one wins.
  const body = { name: 'race', listen: '127.0.0.1:0', upstream: `127.0.0.1:${lab.echoPort}` };
  const replies = await Promise.all([api(lab.url, 'POST', '/proxies', body), api(lab.url, 'POST', '/proxies', body)]);
  assert.deepEqual(replies.map((r) => r.status).sort(), [201, 409]);
  assertApiError(replies.find((r) => r.status === 409)!, 409, 'proxy already exists: race');
  assert.equal(await listeningServers(), listeners + 1, 'one listener for the one proxy');
});

test('a duplicate toxic name is 409, whether given or defaulted', async (t) => {
  const lab = await startLab(t, { withToxic: true });
  const before = await listProxies(lab.url);
  assertApiError(await api(lab.url, 'POST', '/proxies/db/toxics', { name: 'lag', type: 'bandwidth' }), 409, 'toxic already exists: lag');
  await assertUndisturbed(t, lab, before);

  ok(await api(lab.url, 'POST', '/proxies/db/toxics', { type: 'timeout', stream: 'upstream', attributes: { timeout: 0 }, toxicity: 0 }));
  const withTimeout = await listProxies(lab.url);
  assertApiError(await api(lab.url, 'POST', '/proxies/db/toxics', { type: 'timeout', stream: 'upstream' }), 409, 'toxic already exists: timeout_upstream');
  await assertUndisturbed(t, lab, withTimeout);
});

test('a body over 1 MiB is 413', async (t) => {
  const lab = await startLab(t, { withToxic: true });
  const before = await listProxies(lab.url);
  const huge = JSON.stringify({ name: 'x'.repeat(1024 * 1024), upstream: `127.0.0.1:${lab.echoPort}` });
  assertApiError(await api(lab.url, 'POST', '/proxies', huge), 413, 'bad request body: larger than 1048576 bytes');
  await assertUndisturbed(t, lab, before);
  const many = Array.from({ length: 20000 }, (_, i) => ({ name: `proxy-${i}`, listen: '127.0.0.1:0', upstream: `127.0.0.1:${lab.echoPort}` }));
  assertApiError(await api(lab.url, 'POST', '/populate', many), 413, 'larger than 1048576 bytes');
  assertApiError(await api(lab.url, 'POST', '/proxies/db/toxics/lag', { attributes: { latency: 2 }, pad: 'y'.repeat(2 * 1024 * 1024) }), 413);
  await assertUndisturbed(t, lab, before);
  // A body just under the limit is read (and refused for its content, not its size).
  const under = JSON.stringify({ upstream: `127.0.0.1:${lab.echoPort}`, pad: 'z'.repeat(1024 * 1024 - 200) });
  assertApiError(await api(lab.url, 'POST', '/proxies', under), 400, 'missing required field: name');
});

test('a browser User-Agent is refused with 403 "User agent not allowed" and changes nothing', async (t) => {
  const lab = await startLab(t, { withToxic: true });
  const before = await listProxies(lab.url);
  const headers = { 'user-agent': BROWSER };
  for (const [method, path, body] of [
    ['GET', '/proxies'],
    ['GET', '/version'],
    ['GET', '/metrics'],
    ['POST', '/proxies', { name: 'evil', listen: '127.0.0.1:0', upstream: `127.0.0.1:${lab.echoPort}` }],
    ['POST', '/proxies/db', { enabled: false }],
    ['DELETE', '/proxies/db'],
    ['DELETE', '/proxies/db/toxics/lag'],
    ['POST', '/reset'],
    ['GET', '/no-such-route'],
  ] as [string, string, unknown?][]) {
    const reply = await api(lab.url, method, path, body, headers);
    assert.equal(reply.status, 403, `${method} ${path}`);
    assert.equal(reply.text, 'User agent not allowed\n');
    assert.match(reply.headers.get('content-type') ?? '', /^text\/plain/);
    await assertUndisturbed(t, lab, before);
  }
  // Only a User-Agent that starts with Mozilla/ is a browser.
  assert.equal((await api(lab.url, 'GET', '/proxies', undefined, { 'user-agent': 'toxiproxy-cli (like Mozilla/5.0)' })).status, 200);
});

test('a listen address that is taken is 500 on create and on update, and nothing moves', async (t) => {
  const lab = await startLab(t, { withToxic: true });
  const taken = await tcpServer(t, (socket) => socket.end('not a proxy'));
  const before = await listProxies(lab.url);
  const upstream = `127.0.0.1:${lab.echoPort}`;

  const create = await api(lab.url, 'POST', '/proxies', { name: 'late', listen: `127.0.0.1:${taken.port}`, upstream });
  assertApiError(create, 500, `listen tcp 127.0.0.1:${taken.port}: address already in use`, 'proxy "late"');
  await assertUndisturbed(t, lab, before);

  const update = await api(lab.url, 'POST', '/proxies/db', { listen: `127.0.0.1:${taken.port}` });
  assertApiError(update, 500, `listen tcp 127.0.0.1:${taken.port}: address already in use`, 'proxy "db"');
  await assertUndisturbed(t, lab, before); // db kept its old port, upstream and toxics

  // Enabling a disabled proxy whose listen is taken fails too, and the proxy stays disabled.
  ok(await api(lab.url, 'POST', '/proxies/db', { enabled: false }));
  const squatter = await tcpServer(t, (socket) => socket.end('squatter'));
  const moved = ok<ProxyJson>(await api(lab.url, 'POST', '/proxies/db', { listen: `127.0.0.1:${squatter.port}` }));
  assert.equal(moved.enabled, false, 'changing listen on a disabled proxy does not enable it');
  const enable = await api(lab.url, 'POST', '/proxies/db', { enabled: true });
  assertApiError(enable, 500, `listen tcp 127.0.0.1:${squatter.port}: address already in use`);
  assert.equal(ok<ProxyJson>(await api(lab.url, 'GET', '/proxies/db')).enabled, false, 'still disabled');
  await assertRefused(lab.port);
});

test('a listen address this machine does not have is 500 and creates nothing', async (t) => {
  // 192.0.2.1 is TEST-NET-1: no interface has it, unless non-local binds are allowed.
  let nonLocalBind = '0';
  try {
    nonLocalBind = readFileSync('/proc/sys/net/ipv4/ip_nonlocal_bind', 'utf8').trim();
  } catch {
    // not Linux: binding a foreign address fails
  }
  if (nonLocalBind !== '0') {
    t.skip('net.ipv4.ip_nonlocal_bind is on: any address can be bound');
    return;
  }
  const lab = await startLab(t, { withToxic: true });
  const before = await listProxies(lab.url);
  const reply = await api(lab.url, 'POST', '/proxies', { name: 'far', listen: '192.0.2.1:0', upstream: `127.0.0.1:${lab.echoPort}` });
  assertApiError(reply, 500, 'listen tcp 192.0.2.1:0: ', 'EADDRNOTAVAIL', 'proxy "far"');
  await assertUndisturbed(t, lab, before);
  await assertForwards(t, lab.port);
});
