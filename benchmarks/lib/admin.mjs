// Creates proxies and toxics through cloudlab's Toxiproxy-compatible admin API.

async function call(adminUrl, method, path, body) {
  const res = await fetch(new URL(path, adminUrl), {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return JSON.parse(text);
}

/**
 * Creates a proxy listening on a free loopback port; resolves with that port.
 * @param {string} adminUrl
 * @param {{ name: string, upstreamPort: number, toxics?: object[] }} spec
 */
export async function createProxy(adminUrl, { name, upstreamPort, toxics = [] }) {
  const proxy = await call(adminUrl, 'POST', '/proxies', { name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstreamPort}` });
  for (const toxic of toxics) await call(adminUrl, 'POST', `/proxies/${encodeURIComponent(name)}/toxics`, toxic);
  return Number(proxy.listen.slice(proxy.listen.lastIndexOf(':') + 1));
}
