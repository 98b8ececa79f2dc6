/** `cloudlab collector` as a child process: serve, scrape, stop on SIGTERM; bad flags and taken ports. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { cli, waitForLine } from '../helpers/cli.js';

const FREE_PORTS = ['--otlp-grpc-port', '0', '--otlp-http-port', '0', '--query-port', '0'];

test('serves OTLP and the query APIs, scrapes --scrape targets, and stops cleanly on SIGTERM', async (t) => {
  // A scrape target that says when it was scraped: the second scrape proves the first was stored.
  let scrapes = 0;
  let secondScrape!: () => void;
  const scrapedTwice = new Promise<void>((resolve) => (secondScrape = resolve));
  const target = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end('# TYPE cafe_orders_total counter\ncafe_orders_total{route="/orders"} 7\n');
    if (++scrapes === 2) secondScrape();
  });
  target.listen(0, '127.0.0.1');
  await once(target, 'listening');
  t.after(() => target.close());
  const targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/metrics`;

  const run = cli(t, ['collector', ...FREE_PORTS, '--scrape', targetUrl, '--scrape-interval', '200ms']);
  const [, http, query] = await waitForLine(run, /OTLP HTTP on (http:\S+), query API on (http:\S+) /);
  await scrapedTwice;
  const res = await fetch(`${query}/api/v1/query?query=${encodeURIComponent('cafe_orders_total')}`);
  const body = (await res.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  assert.equal(body.data.result.length, 1);
  assert.equal(body.data.result[0]?.metric['route'], '/orders');
  assert.equal(body.data.result[0]?.value[1], '7');
  const otlp = await fetch(`${http}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"resourceSpans":[]}' });
  assert.equal(otlp.status, 200);
  assert.match(run.stdout(), new RegExp(`scraping ${targetUrl.replace(/[.]/g, '\\.')} every 0\\.2s`));

  run.child.kill('SIGTERM');
  const { code } = await run.exited;
  assert.equal(code, 0);
  assert.match(run.stdout(), /shutting down/);
  await assert.rejects(fetch(`${query}/api/v1/query?query=up`));
});

test('--help lists every flag', async (t) => {
  const run = cli(t, ['collector', '--help']);
  assert.equal((await run.exited).code, 0);
  for (const flag of ['--host', '--otlp-grpc-port', '--otlp-http-port', '--query-port', '--scrape', '--scrape-interval', '--max-series', '--max-spans', '--max-logs', '--retention']) {
    assert.ok(run.stdout().includes(flag), `help mentions ${flag}`);
  }
});

for (const [args, message] of [
  [['--query-port', 'abc'], /--query-port must be a port from 0 to 65535, received "abc"/],
  [['--scrape-interval', '0s'], /--scrape-interval must be a duration such as 15s, 500ms or 1h, received "0s"/],
  [['--max-spans', '1.5'], /--max-spans must be a whole number of 1 or more, received "1.5"/],
  [['--scrape', 'ftp://example/metrics'], /ftp:\/\/example\/metrics/],
  [['--bogus'], /Unknown option '--bogus'/],
] as const) {
  test(`a bad flag (${args.join(' ')}) exits 1 with a message naming it`, async (t) => {
    const run = cli(t, ['collector', ...FREE_PORTS, ...args]);
    assert.equal((await run.exited).code, 1);
    assert.match(run.stderr(), message);
    assert.match(run.stderr(), /\[LAB_[A-Z_]+\]/);
  });
}

test('a taken port exits 1 naming the port and the flag to change it', async (t) => {
  const taken = createServer();
  taken.listen(0, '127.0.0.1');
  await once(taken, 'listening');
  t.after(() => taken.close());
  const port = (taken.address() as AddressInfo).port;
  const run = cli(t, ['collector', '--otlp-grpc-port', '0', '--otlp-http-port', String(port), '--query-port', '0']);
  assert.equal((await run.exited).code, 1);
  assert.match(run.stderr(), new RegExp(`127\\.0\\.0\\.1:${port}.*address already in use.*--otlp-http-port.*\\[LAB_COLLECTOR_LISTEN_FAILED\\]`));
});
