/**
 * Admin API, 400s: bodies that are not JSON, wrong field types, missing fields, bad
 * toxic types, streams, attributes, toxicity and addresses. Every refusal names the
 * field and the value received, and leaves the running proxy "db" (with its toxic
 * "lag") exactly as it was, still forwarding bytes.
 */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { api } from '../helpers/net.js';
import { assertApiError, assertUndisturbed, listProxies, startLab } from '../helpers/proxy-api.js';
import type { Lab } from '../helpers/proxy-api.js';

type Case = [method: string, path: string, body: unknown, ...fragments: string[]];

/** Sends each request, expects 400 with every fragment in the message, and checks nothing moved. */
async function refuseAll(t: TestContext, lab: Lab, cases: Case[], status = 400): Promise<void> {
  const before = await listProxies(lab.url);
  for (const [method, path, body, ...fragments] of cases) {
    assertApiError(await api(lab.url, method, path, body), status, ...fragments);
    await assertUndisturbed(t, lab, before);
  }
}

test('a body that is not JSON is refused on every route that reads one', async (t) => {
  const lab = await startLab(t, { withToxic: true });
  const routes: [string, string][] = [
    ['POST', '/proxies'],
    ['POST', '/proxies/db'],
    ['PATCH', '/proxies/db'],
    ['POST', '/proxies/db/toxics'],
    ['POST', '/proxies/db/toxics/lag'],
    ['PATCH', '/proxies/db/toxics/lag'],
    ['POST', '/populate'],
  ];
  await refuseAll(
    t,
    lab,
    routes.flatMap(([method, path]): Case[] => [
      [method, path, '{"name": "x",', 'bad request body: not valid JSON ('],
      [method, path, 'enabled=false', 'bad request body: not valid JSON ('],
    ]),
  );
});

test('a body that is JSON but not an object is refused, naming what arrived', async (t) => {
  const lab = await startLab(t, { withToxic: true });
  await refuseAll(t, lab, [
    ['POST', '/proxies', '[]', 'bad request body: the body must be a JSON object, received []'],
    ['POST', '/proxies', '"db"', 'bad request body: the body must be a JSON object, received "db"'],
    ['POST', '/proxies/db', '42', 'bad request body: the body must be a JSON object, received 42'],
    ['POST', '/proxies/db/toxics', '[{"type":"latency"}]', 'the body must be a JSON object, received [{"type":"latency"}]'],
    ['POST', '/proxies/db/toxics/lag', 'true', 'the body must be a JSON object, received true'],
  ]);
});

test('fields of the wrong type are refused with the field and the value', async (t) => {
  const lab = await startLab(t, { withToxic: true });
  const upstream = `127.0.0.1:${lab.echoPort}`;
  await refuseAll(t, lab, [
    ['POST', '/proxies', { name: 5, upstream }, 'bad request body: name must be a string, received 5'],
    ['POST', '/proxies', { name: 'x', upstream: 5432 }, 'upstream must be a string, received 5432'],
    ['POST', '/proxies', { name: 'x', upstream, listen: 8080 }, 'listen must be a string, received 8080'],
    ['POST', '/proxies', { name: 'x', upstream, enabled: 'false' }, 'enabled must be a boolean, received "false"'],
    ['POST', '/proxies/db', { enabled: 0 }, 'enabled must be a boolean, received 0'],
    ['PATCH', '/proxies/db', { upstream: ['a', 'b'] }, 'upstream must be a string, received ["a","b"]'],
    ['POST', '/proxies/db/toxics', { type: 7 }, 'type must be a string, received 7'],
    ['POST', '/proxies/db/toxics', { type: 'latency', name: true }, 'name must be a string, received true'],
    ['POST', '/proxies/db/toxics', { type: 'latency', stream: 1 }, 'stream must be a string, received 1'],
    ['POST', '/proxies/db/toxics', { type: 'latency', attributes: [100] }, 'attributes must be an object, received [100]'],
    ['POST', '/proxies/db/toxics', { type: 'latency', attributes: 'fast' }, 'attributes must be an object, received "fast"'],
    ['POST', '/proxies/db/toxics/lag', { attributes: 5 }, 'attributes must be an object, received 5'],
  ]);
});

test('a proxy without name or upstream is refused with "missing required field"', async (t) => {
  const lab = await startLab(t, { withToxic: true });
  const upstream = `127.0.0.1:${lab.echoPort}`;
  await refuseAll(t, lab, [
    ['POST', '/proxies', { upstream, listen: '127.0.0.1:0' }, 'missing required field: name'],
    ['POST', '/proxies', { name: '', upstream }, 'missing required field: name'],
    ['POST', '/proxies', { name: 'x', listen: '127.0.0.1:0' }, 'missing required field: upstream'],
    ['POST', '/proxies', { name: 'x', upstream: '' }, 'missing required field: upstream'],
    ['POST', '/proxies', {}, 'missing required field: name'],
    ['POST', '/proxies', '', 'missing required field: name'],
  ]);
});

test('an unknown toxic type or an invalid stream is refused', async (t) => {
  const lab = await startLab(t, { withToxic: true });
  await refuseAll(t, lab, [
    ['POST', '/proxies/db/toxics', { type: 'packet_loss' }, 'invalid toxic type: received "packet_loss"', '(known: latency, bandwidth,'],
    ['POST', '/proxies/db/toxics', { type: 'Latency' }, 'invalid toxic type: received "Latency"'],
    ['POST', '/proxies/db/toxics', { attributes: { latency: 1 } }, 'invalid toxic type: received nothing'],
    ['POST', '/proxies/db/toxics', { type: 'latency', stream: 'sideways' }, 'stream was invalid, can be either upstream or downstream: received "sideways"'],
    ['POST', '/proxies/db/toxics', { type: 'latency', stream: '' }, 'stream was invalid, can be either upstream or downstream: received ""'],
    [
      'POST',
      '/proxies/db/toxics',
      { type: 'http_error', stream: 'downstream' },
      'bad request body: http_error acts on upstream data, so stream must be "upstream", received "downstream"',
    ],
  ]);
});

test('negative, fractional, non-numeric and unknown attributes are refused on create and update', async (t) => {
  const lab = await startLab(t, { withToxic: true });
  const create = (attributes: unknown): unknown => ({ type: 'latency', name: 'new', attributes });
  await refuseAll(t, lab, [
    ['POST', '/proxies/db/toxics', create({ latency: -5 }), 'bad request body: latency: attributes.latency must be an integer >= 0 (ms), received -5'],
    ['POST', '/proxies/db/toxics', create({ latency: 1.5 }), 'attributes.latency must be an integer >= 0 (ms), received 1.5'],
    ['POST', '/proxies/db/toxics', create({ latency: '100' }), 'attributes.latency must be an integer >= 0 (ms), received "100"'],
    ['POST', '/proxies/db/toxics', create({ jitter: null }), 'attributes.jitter must be an integer >= 0 (ms), received null'],
    ['POST', '/proxies/db/toxics', create({ latnecy: 100 }), 'bad request body: latency has no attribute "latnecy" (known: latency, jitter)'],
    ['POST', '/proxies/db/toxics', { type: 'bandwidth', attributes: { rate: -1 } }, 'bandwidth: attributes.rate must be an integer >= 0 (KB/s), received -1'],
    [
      'POST',
      '/proxies/db/toxics',
      { type: 'slicer', attributes: { average_size: 10, size_variation: 10 } },
      'slicer: attributes.size_variation must be less than average_size (10), received 10',
    ],
    ['POST', '/proxies/db/toxics', { type: 'http_error', stream: 'upstream', attributes: { status_code: 700 } }, 'attributes.status_code must be an integer from 100 to 599, received 700'],
    // An update checks the merged attributes the same way and leaves "lag" as it was.
    ['POST', '/proxies/db/toxics/lag', { attributes: { latency: -1 } }, 'attributes.latency must be an integer >= 0 (ms), received -1'],
    ['PATCH', '/proxies/db/toxics/lag', { attributes: { jitter: 'lots' } }, 'attributes.jitter must be an integer >= 0 (ms), received "lots"'],
    ['POST', '/proxies/db/toxics/lag', { attributes: { latency: 5, rate: 10 } }, 'latency has no attribute "rate"'],
  ]);
});

test('toxicity outside 0 to 1, or not a number, is refused on create and update', async (t) => {
  const lab = await startLab(t, { withToxic: true });
  await refuseAll(t, lab, [
    ['POST', '/proxies/db/toxics', { type: 'latency', toxicity: 1.5 }, 'bad request body: toxicity must be a number from 0 to 1, received 1.5'],
    ['POST', '/proxies/db/toxics', { type: 'latency', toxicity: -0.1 }, 'toxicity must be a number from 0 to 1, received -0.1'],
    ['POST', '/proxies/db/toxics', { type: 'latency', toxicity: '0.5' }, 'toxicity must be a number, received "0.5"'],
    ['POST', '/proxies/db/toxics/lag', { toxicity: 2 }, 'toxicity must be a number from 0 to 1, received 2'],
    ['PATCH', '/proxies/db/toxics/lag', { toxicity: false }, 'toxicity must be a number, received false'],
  ]);
});

test('a listen or upstream that is not "host:port" is refused, on create and on update', async (t) => {
  const lab = await startLab(t, { withToxic: true });
  const upstream = `127.0.0.1:${lab.echoPort}`;
  const listenRange = 'listen must be "host:port" with a port from 0 to 65535, received';
  await refuseAll(t, lab, [
    ['POST', '/proxies', { name: 'x', upstream, listen: '8080' }, `bad request body: ${listenRange} "8080"`],
    ['POST', '/proxies', { name: 'x', upstream, listen: '127.0.0.1:65536' }, `${listenRange} "127.0.0.1:65536"`],
    ['POST', '/proxies', { name: 'x', upstream, listen: 'localhost:http' }, `${listenRange} "localhost:http"`],
    ['POST', '/proxies', { name: 'x', upstream, listen: '::1:80' }, `${listenRange} "::1:80"`],
    ['POST', '/proxies', { name: 'x', upstream: 'db.internal' }, 'upstream must be "host:port" with a port from 1 to 65535, received "db.internal"'],
    ['POST', '/proxies', { name: 'x', upstream: '127.0.0.1:0' }, 'upstream must be "host:port" with a port from 1 to 65535, received "127.0.0.1:0"'],
    ['POST', '/proxies/db', { listen: 'nowhere' }, `${listenRange} "nowhere"`],
    ['PATCH', '/proxies/db', { upstream: '127.0.0.1' }, 'upstream must be "host:port" with a port from 1 to 65535, received "127.0.0.1"'],
  ]);
});
