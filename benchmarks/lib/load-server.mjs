// Child process for benchmarks/load.mjs: a trivial node:http server (keep-alive, a
// short body). Any path answers at once, except:
// - /delay/<ms> answers after <ms> milliseconds: a known latency, to compare what the
//   load generators report;
// - /busy/<µs> spins the CPU for <µs> microseconds, then answers: a known cost per request,
//   so the server, not the generator, sets the throughput.
import http from 'node:http';
import process from 'node:process';
import { once } from 'node:events';
import { runChild } from './child.mjs';

const BODY = Buffer.from('hello from the cloudlab benchmark\n');
const HEADERS = { 'content-type': 'text/plain', 'content-length': BODY.length };

/**
 * Holds the thread for `us` microseconds. A busy-wait on purpose: a timer would free the
 * event loop and let requests overlap, while this makes each request cost `us` of this
 * single thread's CPU, so the server saturates at about 1e6 / (us + parsing) requests/s,
 * below any generator's maximum, and every generator meets the same limit.
 */
function spin(us) {
  const end = process.hrtime.bigint() + BigInt(us) * 1000n;
  while (process.hrtime.bigint() < end);
}

runChild(async () => {
  const server = http.createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    req.resume();
    const url = req.url ?? '';
    const busy = /^\/busy\/(\d+)$/.exec(url);
    if (busy) spin(Number(busy[1]));
    const delay = /^\/delay\/(\d+)$/.exec(url);
    if (!delay) return res.writeHead(200, HEADERS).end(BODY);
    setTimeout(() => res.writeHead(200, HEADERS).end(BODY), Number(delay[1]));
  });
  server.listen({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  return {
    ready: { port: server.address().port },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
});
