/** Admin API, toxics: /proxies/{name}/toxics and /proxies/{name}/toxics/{toxic}. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, connect } from '../helpers/net.js';
import { addToxic, assertApiError, echoOn, noContent, ok, roundTripMs, startLab } from '../helpers/proxy-api.js';
import type { ProxyJson, ToxicJson } from '../helpers/proxy-api.js';

/** Timer slop: a setTimeout may fire up to about 1 ms before performance.now() says it is due. */
const SLOP_MS = 5;

test('a toxic without stream, name or toxicity goes downstream, is named <type>_<stream> and has toxicity 1', async (t) => {
  const lab = await startLab(t);
  const toxic = await addToxic(lab.url, 'db', { type: 'latency', attributes: { latency: 1 } });
  assert.deepEqual(toxic, { attributes: { latency: 1, jitter: 0 }, name: 'latency_downstream', type: 'latency', stream: 'downstream', toxicity: 1 });
  assert.deepEqual(Object.keys(toxic).sort(), ['attributes', 'name', 'stream', 'toxicity', 'type']);

  const bare = await addToxic(lab.url, 'db', { type: 'bandwidth' });
  assert.deepEqual(bare, { attributes: { rate: 0 }, name: 'bandwidth_downstream', type: 'bandwidth', stream: 'downstream', toxicity: 1 }, 'attributes default too');

  const up = await addToxic(lab.url, 'db', { type: 'latency', stream: 'upstream', toxicity: 0.25, attributes: { latency: 2, jitter: 1 } });
  assert.deepEqual(up, { attributes: { latency: 2, jitter: 1 }, name: 'latency_upstream', type: 'latency', stream: 'upstream', toxicity: 0.25 });

  const named = await addToxic(lab.url, 'db', { name: 'my toxic', type: 'slicer', stream: 'downstream', toxicity: 0, attributes: { average_size: 8 } });
  assert.equal(named.name, 'my toxic');
  assert.equal(named.toxicity, 0, 'toxicity 0 is allowed');
  assert.equal(named.attributes['average_size'], 8);

  // Listing order: upstream toxics first, then downstream, each in the order added.
  const list = ok<ToxicJson[]>(await api(lab.url, 'GET', '/proxies/db/toxics'));
  assert.deepEqual(list, [up, toxic, bare, named]);
  assert.deepEqual(ok<ProxyJson>(await api(lab.url, 'GET', '/proxies/db')).toxics, list, 'the proxy shows the same toxics');
  assert.deepEqual(ok<ToxicJson>(await api(lab.url, 'GET', '/proxies/db/toxics/my%20toxic')), named, 'a %-escaped name');
  assert.deepEqual(ok<ToxicJson>(await api(lab.url, 'GET', '/proxies/db/toxics/latency_upstream')), up);
});

test('the same toxic type can be added once per stream, and again under another name', async (t) => {
  const lab = await startLab(t);
  await addToxic(lab.url, 'db', { type: 'latency', stream: 'downstream' });
  await addToxic(lab.url, 'db', { type: 'latency', stream: 'upstream' });
  await addToxic(lab.url, 'db', { type: 'latency', name: 'second' });
  assertApiError(await api(lab.url, 'POST', '/proxies/db/toxics', { type: 'latency' }), 409, 'toxic already exists: latency_downstream');
  const names = ok<ToxicJson[]>(await api(lab.url, 'GET', '/proxies/db/toxics')).map((x) => x.name);
  assert.deepEqual(names, ['latency_upstream', 'latency_downstream', 'second']);
});

test('POST and PATCH /proxies/{name}/toxics/{toxic} merge attributes, change toxicity and take effect on open connections', async (t) => {
  const lab = await startLab(t);
  await addToxic(lab.url, 'db', { name: 'lag', type: 'latency', attributes: { latency: 0, jitter: 0 } });
  const open = await connect(t, lab.port);
  await echoOn(open);

  const slow = ok<ToxicJson>(await api(lab.url, 'POST', '/proxies/db/toxics/lag', { attributes: { latency: 300 } }));
  assert.deepEqual(slow, { attributes: { latency: 300, jitter: 0 }, name: 'lag', type: 'latency', stream: 'downstream', toxicity: 1 });
  let started = performance.now();
  await echoOn(open, Buffer.from('slow'));
  assert.ok(performance.now() - started >= 300 - SLOP_MS, 'the open connection is delayed by the new latency');
  assert.ok((await roundTripMs(t, lab.port)) >= 300 - SLOP_MS, 'and so is a new one');

  const jitter = ok<ToxicJson>(await api(lab.url, 'PATCH', '/proxies/db/toxics/lag', { attributes: { jitter: 5 }, toxicity: 0.5 }));
  assert.deepEqual(jitter.attributes, { latency: 300, jitter: 5 }, 'attributes merged onto the current ones');
  assert.equal(jitter.toxicity, 0.5);

  const unchanged = ok<ToxicJson>(await api(lab.url, 'POST', '/proxies/db/toxics/lag', {}));
  assert.deepEqual(unchanged, jitter, 'an empty update changes nothing');
  const noBody = ok<ToxicJson>(await api(lab.url, 'POST', '/proxies/db/toxics/lag'));
  assert.deepEqual(noBody, jitter, 'no body at all changes nothing either');
  assert.deepEqual(ok<ToxicJson>(await api(lab.url, 'GET', '/proxies/db/toxics/lag')), jitter);

  // Toxicity 0: the toxic acts on nothing, open or new connections.
  ok(await api(lab.url, 'POST', '/proxies/db/toxics/lag', { toxicity: 0 }));
  started = performance.now();
  await echoOn(open, Buffer.from('fast'));
  assert.ok(performance.now() - started < 300 - SLOP_MS, 'toxicity 0 no longer delays the open connection');
});

test('DELETE /proxies/{name}/toxics/{toxic} removes the toxic and its effect', async (t) => {
  const lab = await startLab(t);
  await addToxic(lab.url, 'db', { name: 'lag', type: 'latency', stream: 'upstream', attributes: { latency: 300 } });
  await addToxic(lab.url, 'db', { name: 'keep', type: 'bandwidth', attributes: { rate: 100000 } });
  const open = await connect(t, lab.port);
  let started = performance.now();
  await echoOn(open, Buffer.from('slow'));
  assert.ok(performance.now() - started >= 300 - SLOP_MS, 'the upstream latency delays the round trip');

  noContent(await api(lab.url, 'DELETE', '/proxies/db/toxics/lag'));
  assertApiError(await api(lab.url, 'GET', '/proxies/db/toxics/lag'), 404, 'toxic not found: lag');
  assert.deepEqual(
    ok<ToxicJson[]>(await api(lab.url, 'GET', '/proxies/db/toxics')).map((x) => x.name),
    ['keep'],
    'the other toxic stays',
  );
  started = performance.now();
  await echoOn(open, Buffer.from('fast'));
  assert.ok(performance.now() - started < 300 - SLOP_MS, 'the open connection is no longer delayed');
  assertApiError(await api(lab.url, 'DELETE', '/proxies/db/toxics/lag'), 404, 'toxic not found: lag');

  // The name is free again.
  const again = await addToxic(lab.url, 'db', { name: 'lag', type: 'latency', attributes: { latency: 1 } });
  assert.equal(again.stream, 'downstream');
});
