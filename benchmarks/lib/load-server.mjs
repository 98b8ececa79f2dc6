// Child process for benchmarks/load.mjs: a trivial node:http server (keep-alive, a
// short body). Any path answers at once, except /delay/<ms>, which answers after <ms>
// milliseconds: a known latency, to compare what the load generators report.
import http from 'node:http';
import { once } from 'node:events';
import { runChild } from './child.mjs';

const BODY = Buffer.from('hello from the cloudlab benchmark\n');
const HEADERS = { 'content-type': 'text/plain', 'content-length': BODY.length };

runChild(async () => {
  const server = http.createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    req.resume();
    const delay = /^\/delay\/(\d+)$/.exec(req.url ?? '');
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
