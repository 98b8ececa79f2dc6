// Child process: the bare proxy, the least any Node TCP proxy costs. Each accepted
// socket is joined to a new upstream socket with socket.pipe() both ways, with the
// same socket options as cloudlab's proxy (no Nagle, half-open allowed).
import net from 'node:net';
import { once } from 'node:events';
import { runChild } from './child.mjs';

function createPipeProxy(upstreamPort) {
  const sockets = new Set();
  const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
    const upstream = net.connect({ host: '127.0.0.1', port: upstreamPort, allowHalfOpen: true, noDelay: true });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  return { server, sockets };
}

runChild(async ({ httpPort, bulkPort }) => {
  const proxies = [createPipeProxy(httpPort), createPipeProxy(bulkPort)];
  const ports = [];
  for (const { server } of proxies) {
    server.listen({ host: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    ports.push(server.address().port);
  }
  return {
    ready: { httpPort: ports[0], bulkPort: ports[1] },
    async stop() {
      for (const { sockets } of proxies) for (const socket of sockets) socket.destroy();
      await Promise.all(proxies.map(({ server }) => new Promise((r) => server.close(r))));
    },
  };
});
