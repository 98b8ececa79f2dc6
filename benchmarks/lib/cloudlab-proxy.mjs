// Child process: cloudlab's Toxiproxy-compatible server, with its admin API on a free
// port. The parent creates the proxies and toxics through that API, as a user would.
import { createToxiproxyServer } from '../../dist/src/proxy/index.js';
import { runChild } from './child.mjs';

runChild(async () => {
  const server = createToxiproxyServer({ host: '127.0.0.1', port: 0, seed: 1 });
  const { url } = await server.listen();
  return { ready: { adminUrl: url }, stop: () => server.close() };
});
