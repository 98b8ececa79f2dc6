/** The chaos page's calls to Toxiproxy's API (through /api/proxy) and to the flags (/api/flags). */
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

export async function listFlags(): Promise<Record<string, FlagValue>> {
  return (await request<{ flags: Record<string, FlagValue> }>('/api/flags')).flags;
}

export const setFlag = (key: string, value: FlagValue): Promise<unknown> => request(`/api/flags/${encodeURIComponent(key)}`, { method: 'PUT', body: JSON.stringify({ value }) });

export const clearFlag = (key: string): Promise<unknown> => request(`/api/flags/${encodeURIComponent(key)}`, { method: 'DELETE' });
