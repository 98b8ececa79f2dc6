/** The chaos page's calls: Toxiproxy's API through /api/proxy, the flags, replicas. */
import { post, request } from '../../api.js';
import type { CheckedToxic, Proxy, Toxic } from './toxic-types.js';

export type FlagValue = boolean | number | string | Record<string, unknown>;

const proxyPath = (proxy: string): string => `/api/proxy/proxies/${encodeURIComponent(proxy)}`;

export async function listProxies(): Promise<Proxy[]> {
  const byName = await request<Record<string, Proxy>>('/api/proxy/proxies');
  return Object.values(byName).sort((a, b) => a.name.localeCompare(b.name));
}

export const setProxyEnabled = (proxy: string, enabled: boolean): Promise<Proxy> => post<Proxy>(proxyPath(proxy), { enabled });

export const addToxic = (proxy: string, toxic: CheckedToxic): Promise<Toxic> => post<Toxic>(`${proxyPath(proxy)}/toxics`, toxic);

/** Changes toxicity and attributes (the proxy merges them onto the current ones). */
export const updateToxic = (proxy: string, name: string, toxic: Pick<CheckedToxic, 'toxicity' | 'attributes'>): Promise<Toxic> =>
  post<Toxic>(`${proxyPath(proxy)}/toxics/${encodeURIComponent(name)}`, { toxicity: toxic.toxicity, attributes: toxic.attributes });

export const removeToxic = (proxy: string, name: string): Promise<unknown> => request(`${proxyPath(proxy)}/toxics/${encodeURIComponent(name)}`, { method: 'DELETE' });

export const resetProxies = (): Promise<unknown> => post('/api/proxy/reset');

export async function listFlags(): Promise<Record<string, FlagValue>> {
  return (await request<{ flags: Record<string, FlagValue> }>('/api/flags')).flags;
}

export const setFlag = (key: string, value: FlagValue): Promise<unknown> => request(`/api/flags/${encodeURIComponent(key)}`, { method: 'PUT', body: JSON.stringify({ value }) });

export const clearFlag = (key: string): Promise<unknown> => request(`/api/flags/${encodeURIComponent(key)}`, { method: 'DELETE' });

export const clearFlags = (): Promise<unknown> => request('/api/flags', { method: 'DELETE' });

export const killReplica = (id: string): Promise<unknown> => post(`/api/replicas/${encodeURIComponent(id)}/kill`, { signal: 'SIGKILL' });

/** Adds the toxic, or changes it when one of that name is already there (a scenario clicked twice). */
export async function putToxic(proxy: string, toxic: CheckedToxic & { name: string }): Promise<void> {
  const current = (await listProxies()).find((p) => p.name === proxy);
  if (!current) throw new Error(`there is no proxy named "${proxy}" in this lab`);
  if (current.toxics.some((t) => t.name === toxic.name)) await updateToxic(proxy, toxic.name, toxic);
  else await addToxic(proxy, toxic);
}
