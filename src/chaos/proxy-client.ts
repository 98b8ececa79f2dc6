/** The Toxiproxy HTTP calls chaos makes: list proxies, add and remove toxics, enable, reset. */
import { LabError } from '../errors.js';

export interface ToxicJson {
  name: string;
  type: string;
  stream: 'upstream' | 'downstream';
  toxicity: number;
  attributes: Record<string, number | string>;
}

export interface ProxyJson {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: ToxicJson[];
}

export interface ToxicRequest {
  name: string;
  type: string;
  stream: 'upstream' | 'downstream';
  toxicity?: number;
  attributes: Record<string, number | string>;
}

/** The proxy answered with an error status: its status and Toxiproxy's message. */
export class ProxyRefused extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export interface ProxyClient {
  proxies(): Promise<Record<string, ProxyJson>>;
  addToxic(proxy: string, toxic: ToxicRequest): Promise<ToxicJson>;
  /** Resolves false when the toxic was already gone. */
  removeToxic(proxy: string, toxic: string): Promise<boolean>;
  setEnabled(proxy: string, enabled: boolean): Promise<void>;
  reset(): Promise<void>;
}

export function createProxyClient(baseUrl: string): ProxyClient {
  async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    let res: Response;
    try {
      res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { 'user-agent': 'cloudlab-chaos', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (err) {
      throw new LabError('LAB_CHAOS_APPLY_FAILED', `the fault proxy's API at ${baseUrl} did not answer ${method} ${path}: ${(err as Error).message}; fix: check \`cloudlab status\` (the toxiproxy part)`, { cause: err });
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const message = (json as { error?: unknown } | undefined)?.error;
      throw new ProxyRefused(res.status, typeof message === 'string' ? message : `${method} ${path} answered ${res.status}`);
    }
    return { status: res.status, json };
  }
  const name = (proxy: string): string => encodeURIComponent(proxy);
  return {
    async proxies() {
      return (await call('GET', '/proxies')).json as Record<string, ProxyJson>;
    },
    async addToxic(proxy, toxic) {
      return (await call('POST', `/proxies/${name(proxy)}/toxics`, toxic)).json as ToxicJson;
    },
    async removeToxic(proxy, toxic) {
      try {
        await call('DELETE', `/proxies/${name(proxy)}/toxics/${encodeURIComponent(toxic)}`);
        return true;
      } catch (err) {
        if (err instanceof ProxyRefused && err.status === 404) return false;
        throw err;
      }
    },
    async setEnabled(proxy, enabled) {
      await call('POST', `/proxies/${name(proxy)}`, { enabled });
    },
    async reset() {
      await call('POST', '/reset');
    },
  };
}

/** Turns a refusal of the proxy into LAB_CHAOS_APPLY_FAILED naming what was attempted. */
export function applyFailed(what: string, err: unknown): LabError {
  if (err instanceof LabError) return err;
  const reason = err instanceof ProxyRefused ? `the proxy answered ${err.status}: ${err.message}` : (err as Error).message;
  return new LabError('LAB_CHAOS_APPLY_FAILED', `${what} failed: ${reason}`, { cause: err });
}
