import { readFile } from 'node:fs/promises';
import { LabError } from '../errors.js';
import type { ProxyCollection } from './collection.js';
import type { Proxy } from './proxy.js';

/**
 * Creates the proxies of a toxiproxy.json file (a JSON array of
 * { name, listen, upstream, enabled? }, as toxiproxy-server -config reads it).
 * Unlike toxiproxy-server, which logs and goes on, a bad file stops the start with
 * a message naming the file, the entry and the fix.
 */
export async function populateFromFile(collection: ProxyCollection, file: string): Promise<Proxy[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new LabError('LAB_PROXY_CONFIG_INVALID', `${file}: cannot read the proxy config file (${(err as Error).message}); check the --config path`, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new LabError('LAB_PROXY_CONFIG_INVALID', `${file}: not valid JSON (${(err as Error).message}); the file must be a JSON array of proxies`, { cause: err });
  }
  try {
    return await collection.populate(json);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new LabError('LAB_PROXY_CONFIG_INVALID', `${file}: ${message}`, { cause: err });
  }
}
