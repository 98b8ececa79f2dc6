import { LabError, describeValue } from '../errors.js';
import { parseNewToxic, parseProxyInput, parseToxicUpdate } from './input.js';
import type { ProxyInput } from './input.js';
import { Proxy } from './proxy.js';
import type { Random } from './random.js';
import type { Toxic } from './toxic.js';

/**
 * All proxies of one server, by name. Every change runs alone (a promise queue),
 * validates everything before it touches anything, and undoes its own steps when a
 * later one fails, so a bad request never leaves half-applied state.
 */
export class ProxyCollection {
  #proxies = new Map<string, Proxy>();
  #random: Random;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(random: Random) {
    this.#random = random;
  }

  list(): Proxy[] {
    return [...this.#proxies.values()];
  }

  get(name: string): Proxy {
    const proxy = this.#proxies.get(name);
    if (!proxy) throw new LabError('LAB_PROXY_NOT_FOUND', `proxy not found: ${name}`);
    return proxy;
  }

  getToxic(proxyName: string, toxicName: string): Toxic {
    const toxic = this.get(proxyName).findToxic(toxicName);
    if (!toxic) throw new LabError('LAB_PROXY_TOXIC_NOT_FOUND', `toxic not found: ${toxicName}`);
    return toxic;
  }

  /** Runs one change at a time, in arrival order. */
  #serial<T>(fn: () => Promise<T> | T): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  create(body: unknown): Promise<Proxy> {
    return this.#serial(async () => {
      const input = parseProxyInput(body, undefined);
      if (this.#proxies.has(input.name)) throw new LabError('LAB_PROXY_ALREADY_EXISTS', `proxy already exists: ${input.name}`);
      const proxy = new Proxy(input.name, input.listen, input.upstream, this.#random);
      if (input.enabled) await proxy.start();
      this.#proxies.set(proxy.name, proxy);
      return proxy;
    });
  }

  /**
   * Creates or replaces the given proxies (a proxy with the same name, listen and
   * upstream is kept as it is). All or nothing: on a failure, what this call
   * started is stopped and what it replaced is restored.
   */
  populate(body: unknown): Promise<Proxy[]> {
    return this.#serial(async () => {
      if (!Array.isArray(body)) {
        throw new LabError('LAB_PROXY_BAD_REQUEST_BODY', `bad request body: expected a JSON array of proxies, received ${describeValue(body)}`);
      }
      const inputs = body.map((item, i) => parseProxyInput(item, undefined, `proxies[${i}].`));
      const seen = new Set<string>();
      for (const input of inputs) {
        if (seen.has(input.name)) {
          throw new LabError('LAB_PROXY_BAD_REQUEST_BODY', `bad request body: duplicate proxy name "${input.name}" in one populate request`);
        }
        seen.add(input.name);
      }
      const result: Proxy[] = [];
      const undo: (() => Promise<void>)[] = [];
      try {
        for (const input of inputs) result.push(await this.#addOrReplace(input, undo));
      } catch (err) {
        for (const step of undo.reverse()) await step().catch(() => undefined);
        throw err;
      }
      return result;
    });
  }

  async #addOrReplace(input: ProxyInput, undo: (() => Promise<void>)[]): Promise<Proxy> {
    const existing = this.#proxies.get(input.name);
    if (existing && existing.listen === input.listen && existing.upstream === input.upstream) return existing;
    if (existing) {
      const wasEnabled = existing.enabled;
      await existing.stop();
      this.#proxies.delete(existing.name);
      undo.push(async () => {
        this.#proxies.set(existing.name, existing);
        if (wasEnabled) await existing.start();
      });
    }
    const proxy = new Proxy(input.name, input.listen, input.upstream, this.#random);
    if (input.enabled) await proxy.start();
    this.#proxies.set(proxy.name, proxy);
    undo.push(async () => {
      this.#proxies.delete(proxy.name);
      await proxy.stop();
    });
    return proxy;
  }

  /** Changes listen, upstream or enabled; a failed re-listen restores the old addresses. */
  update(name: string, body: unknown): Promise<Proxy> {
    return this.#serial(async () => {
      const proxy = this.get(name);
      const input = parseProxyInput(body, { name, listen: proxy.listen, upstream: proxy.upstream, enabled: proxy.enabled });
      const before = { listen: proxy.listen, upstream: proxy.upstream, enabled: proxy.enabled };
      if (input.listen !== proxy.listen || input.upstream !== proxy.upstream) {
        await proxy.stop();
        proxy.listen = input.listen;
        proxy.upstream = input.upstream;
      }
      if (!input.enabled) {
        await proxy.stop();
        return proxy;
      }
      try {
        await proxy.start();
      } catch (err) {
        proxy.listen = before.listen;
        proxy.upstream = before.upstream;
        if (before.enabled) await proxy.start().catch(() => undefined);
        throw err;
      }
      return proxy;
    });
  }

  remove(name: string): Promise<void> {
    return this.#serial(async () => {
      const proxy = this.get(name);
      this.#proxies.delete(name);
      await proxy.stop();
    });
  }

  addToxic(proxyName: string, body: unknown): Promise<Toxic> {
    return this.#serial(() => {
      const proxy = this.get(proxyName);
      const toxic = parseNewToxic(body, (n) => proxy.findToxic(n) !== undefined);
      proxy.addToxic(toxic);
      return toxic;
    });
  }

  updateToxic(proxyName: string, toxicName: string, body: unknown): Promise<Toxic> {
    return this.#serial(() => {
      const toxic = this.getToxic(proxyName, toxicName);
      const { toxicity, attributes } = parseToxicUpdate(body, toxic);
      toxic.toxicity = toxicity;
      toxic.attributes = attributes;
      this.get(proxyName).updateToxic(toxic);
      return toxic;
    });
  }

  removeToxic(proxyName: string, toxicName: string): Promise<void> {
    return this.#serial(() => {
      const toxic = this.getToxic(proxyName, toxicName);
      this.get(proxyName).removeToxic(toxic);
    });
  }

  /** Enables every proxy and removes every toxic (POST /reset). */
  reset(): Promise<void> {
    return this.#serial(async () => {
      for (const proxy of this.#proxies.values()) {
        proxy.removeAllToxics();
        await proxy.start();
      }
    });
  }

  /** Stops every proxy (server shutdown); the proxies stay listed. */
  stopAll(): Promise<void> {
    return this.#serial(async () => {
      await Promise.all([...this.#proxies.values()].map((p) => p.stop()));
    });
  }
}
