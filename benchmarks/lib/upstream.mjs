// Child process: the upstream servers every path ends at. A small node:http server
// for the keep-alive request test, and the bulk source.
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import { runChild } from './child.mjs';
import { serveBulk } from './bulk.mjs';

const BODY = Buffer.from('hello from the cloudlab benchmark\n');

async function listen(server) {
  server.listen({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  return server.address().port;
}

runChild(async () => {
  const httpServer = http.createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': BODY.length });
    res.end(BODY);
  });
  const bulkServer = net.createServer({ noDelay: true }, serveBulk);
  const ready = { httpPort: await listen(httpServer), bulkPort: await listen(bulkServer) };
  return {
    ready,
    async stop() {
      httpServer.closeAllConnections();
      await Promise.all([new Promise((r) => httpServer.close(r)), new Promise((r) => bulkServer.close(r))]);
    },
  };
});
