/**
 * Proxies disabled by chaos faults, counted per proxy: the first fault disables it,
 * the last one removed enables it again, so two outages of one proxy coexist.
 */
import type { ProxyClient } from './proxy-client.js';

export class Outages {
  readonly #proxy: ProxyClient;
  readonly #holders = new Map<string, Set<string>>();

  constructor(proxy: ProxyClient) {
    this.#proxy = proxy;
  }

  async take(faultId: string, proxy: string): Promise<void> {
    const holders = this.#holders.get(proxy) ?? new Set<string>();
    await this.#proxy.setEnabled(proxy, false);
    holders.add(faultId);
    this.#holders.set(proxy, holders);
  }

  /** Releases `faultId`'s hold; enables the proxy when no other fault holds it (and `enable` is true). */
  async release(faultId: string, proxy: string, enable = true): Promise<void> {
    const holders = this.#holders.get(proxy);
    if (!holders?.delete(faultId)) return;
    if (holders.size > 0) return;
    this.#holders.delete(proxy);
    if (enable) await this.#proxy.setEnabled(proxy, true);
  }

  owns(proxy: string): boolean {
    return this.#holders.has(proxy);
  }
}
