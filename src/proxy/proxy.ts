import net from 'node:net';
import { once } from 'node:events';
import { LabError } from '../errors.js';
import { formatHostPort, parseHostPort } from './address.js';
import { Connection } from './connection.js';
import type { Random } from './random.js';
import { createProxyStats } from './stats.js';
import type { ProxyStats } from './stats.js';
import type { Toxic } from './toxic.js';

export interface ProxyJson {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: ReturnType<Toxic['toJSON']>[];
}

/**
 * One named proxy: a listener, its open connections and its toxics. Disabling it
 * closes the listener and every open connection (an outage); enabling listens again.
 */
export class Proxy {
  readonly name: string;
  listen: string;
  upstream: string;
  readonly stats: ProxyStats = createProxyStats();
  #server: net.Server | undefined;
  #connections = new Set<Connection>();
  #toxics: Toxic[] = [];
  #random: Random;

  constructor(name: string, listen: string, upstream: string, random: Random) {
    this.name = name;
    this.listen = listen;
    this.upstream = upstream;
    this.#random = random;
  }

  get enabled(): boolean {
    return this.#server !== undefined;
  }

  get connections(): ReadonlySet<Connection> {
    return this.#connections;
  }

  /** Toxics in API order: upstream ones first, then downstream, each in the order added. */
  get toxics(): Toxic[] {
    return [...this.#toxics.filter((t) => t.stream === 'upstream'), ...this.#toxics.filter((t) => t.stream === 'downstream')];
  }

  findToxic(name: string): Toxic | undefined {
    return this.#toxics.find((t) => t.name === name);
  }

  async start(): Promise<void> {
    if (this.#server) return;
    const { host, port } = parseHostPort(this.listen, 'listen', true);
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: false, noDelay: true }, (client) => this.#accept(client));
    server.listen({ host, port });
    try {
      await Promise.race([once(server, 'listening'), once(server, 'error').then(([err]) => Promise.reject(err as Error))]);
    } catch (err) {
      server.close();
      const reason = (err as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 'address already in use' : (err as Error).message;
      throw new LabError('LAB_PROXY_LISTEN_FAILED', `listen tcp ${this.listen}: ${reason} (proxy "${this.name}": pick another port in listen, or port 0 for a free one)`, { cause: err });
    }
    const address = server.address() as net.AddressInfo;
    this.listen = formatHostPort(address.address, address.port);
    this.#server = server;
  }

  /** Closes the listener and all open connections; resolves when the port is free. */
  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const connection of this.#connections) connection.destroy();
    await closed;
  }

  addToxic(toxic: Toxic): void {
    this.#toxics.push(toxic);
    for (const c of this.#connections) c.links[toxic.stream].addToxic(toxic);
  }

  updateToxic(toxic: Toxic): void {
    for (const c of this.#connections) c.links[toxic.stream].updateToxic(toxic);
  }

  removeToxic(toxic: Toxic): void {
    this.#toxics = this.#toxics.filter((t) => t !== toxic);
    for (const c of this.#connections) c.links[toxic.stream].removeToxic(toxic);
  }

  removeAllToxics(): void {
    for (const toxic of this.toxics) this.removeToxic(toxic);
  }

  toJSON(): ProxyJson {
    return {
      name: this.name,
      listen: this.listen,
      upstream: this.upstream,
      enabled: this.enabled,
      toxics: this.toxics.map((t) => t.toJSON()),
    };
  }

  #accept(client: net.Socket): void {
    let target;
    try {
      target = parseHostPort(this.upstream, 'upstream', false);
    } catch {
      client.destroy();
      return;
    }
    const stats = this.stats;
    stats.connectionsOpen++;
    stats.connectionsTotal++;
    const connection = new Connection({
      client,
      upstreamHost: target.host,
      upstreamPort: target.port,
      toxics: this.#toxics,
      random: this.#random,
      counters: stats.bytes,
      onActivated: (toxic) => {
        const key = `${toxic.name}\u0000${toxic.type}\u0000${toxic.stream}`;
        const entry = stats.activations.get(key);
        if (entry) entry.count++;
        else stats.activations.set(key, { name: toxic.name, type: toxic.type, stream: toxic.stream, count: 1 });
      },
      onClosed: (c) => {
        stats.connectionsOpen--;
        this.#connections.delete(c);
      },
    });
    this.#connections.add(connection);
  }
}
