/** Admin API, GET /metrics: Prometheus text with connections, bytes and toxic activations. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { api, connect } from '../helpers/net.js';
import { addToxic, createProxy, echoOn, ok, parsePrometheus, sample, startLab, waitFor } from '../helpers/proxy-api.js';
import type { Sample } from '../helpers/proxy-api.js';

async function metrics(url: string): Promise<{ text: string; samples: Sample[] }> {
  const reply = await api(url, 'GET', '/metrics');
  assert.equal(reply.status, 200);
  assert.equal(reply.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  return { text: reply.text, samples: parsePrometheus(reply.text) };
}

test('GET /metrics counts connections, bytes each way and toxic activations', async (t) => {
  const lab = await startLab(t);
  await addToxic(lab.url, 'db', { name: 'slow', type: 'latency', stream: 'downstream', attributes: { latency: 1 } });
  await addToxic(lab.url, 'db', { name: 'never', type: 'latency', stream: 'upstream', toxicity: 0, attributes: { latency: 1 } });
  const db = { proxy: 'db', listener: lab.proxy.listen, upstream: lab.proxy.upstream };

  const empty = await metrics(lab.url);
  for (const family of ['toxiproxy_proxy_received_bytes_total', 'toxiproxy_proxy_sent_bytes_total', 'cloudlab_proxy_connections_total']) {
    assert.ok(empty.text.includes(`# TYPE ${family} counter`), `TYPE line of ${family}`);
    assert.ok(empty.text.includes(`# HELP ${family} `), `HELP line of ${family}`);
  }
  assert.ok(empty.text.includes('# TYPE cloudlab_proxy_connections_open gauge'));
  assert.ok(empty.text.endsWith('\n'));
  assert.equal(sample(empty.samples, 'cloudlab_proxy_connections_total', db), 0);
  assert.equal(sample(empty.samples, 'cloudlab_proxy_enabled', db), 1);
  assert.equal(empty.samples.filter((s) => s.name === 'cloudlab_proxy_toxic_activations_total').length, 0, 'no activation before traffic');

  // Two connections: 3000 + 5000 bytes up, the same echoed back down.
  const first = await connect(t, lab.port);
  await echoOn(first, randomBytes(3000));
  const second = await connect(t, lab.port);
  await echoOn(second, randomBytes(5000));

  const during = await metrics(lab.url);
  assert.equal(sample(during.samples, 'cloudlab_proxy_connections_open', db), 2);
  assert.equal(sample(during.samples, 'cloudlab_proxy_connections_total', db), 2);
  for (const direction of ['upstream', 'downstream']) {
    assert.equal(sample(during.samples, 'toxiproxy_proxy_received_bytes_total', { ...db, direction }), 8000, `received ${direction}`);
    assert.equal(sample(during.samples, 'toxiproxy_proxy_sent_bytes_total', { ...db, direction }), 8000, `sent ${direction}`);
  }
  const activations = { proxy: 'db', toxic: 'slow', type: 'latency', stream: 'downstream' };
  assert.equal(sample(during.samples, 'cloudlab_proxy_toxic_activations_total', activations), 2, 'one activation per connection');
  assert.equal(
    during.samples.filter((s) => s.name === 'cloudlab_proxy_toxic_activations_total' && s.labels['toxic'] === 'never').length,
    0,
    'a toxic with toxicity 0 never activates',
  );

  first.end();
  second.end();
  await waitFor(async () => sample((await metrics(lab.url)).samples, 'cloudlab_proxy_connections_open', db) === 0, 'both connections to close');
  const after = await metrics(lab.url);
  assert.equal(sample(after.samples, 'cloudlab_proxy_connections_total', db), 2, 'the total stays');

  ok(await api(lab.url, 'POST', '/proxies/db', { enabled: false }));
  assert.equal(sample((await metrics(lab.url)).samples, 'cloudlab_proxy_enabled', db), 0);
});

test('GET /metrics labels each proxy and escapes label values', async (t) => {
  const lab = await startLab(t);
  const odd = await createProxy(lab.url, { name: 'we"ird\\name', listen: '127.0.0.1:0', upstream: lab.proxy.upstream });
  const { text, samples } = await metrics(lab.url);
  assert.ok(text.includes('proxy="we\\"ird\\\\name"'), 'quote and backslash escaped');
  assert.equal(sample(samples, 'cloudlab_proxy_enabled', { proxy: 'db' }), 1);
  assert.equal(sample(samples, 'cloudlab_proxy_enabled', { listener: odd.listen }), 1);
  assert.equal(samples.filter((s) => s.name === 'cloudlab_proxy_connections_total').length, 2, 'one series per proxy');
});
