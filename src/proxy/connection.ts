import net from 'node:net';
import type { Socket } from 'node:net';
import { Link } from './link.js';
import type { DirectionCounters } from './link.js';
import type { Random } from './random.js';
import type { ConnectionControl } from './stage.js';
import type { Stream } from './toxics/definition.js';
import type { Toxic } from './toxic.js';

export interface ConnectionOptions {
  client: Socket;
  upstreamHost: string;
  upstreamPort: number;
  toxics: readonly Toxic[];
  random: Random;
  counters: Record<Stream, DirectionCounters>;
  onActivated: (toxic: Toxic) => void;
  onClosed: (connection: Connection) => void;
}

/**
 * A client socket, its upstream socket and the two links between them
 * (upstream: client to server; downstream: server to client). Half-closes pass
 * through; an error or reset on either side ends both.
 */
export class Connection implements ConnectionControl {
  readonly client: Socket;
  readonly upstream: Socket;
  readonly links: Record<Stream, Link>;
  #done = false;
  #closing = false;
  #open = 2;
  #onClosed: (c: Connection) => void;

  constructor(o: ConnectionOptions) {
    this.#onClosed = o.onClosed;
    this.client = o.client;
    this.upstream = net.connect({ host: o.upstreamHost, port: o.upstreamPort, allowHalfOpen: true, noDelay: true });
    this.client.setNoDelay(true);
    const common = { control: this, random: o.random, onActivated: o.onActivated };
    this.links = {
      upstream: new Link({ ...common, src: this.client, dst: this.upstream, stream: 'upstream', counters: o.counters.upstream }),
      downstream: new Link({ ...common, src: this.upstream, dst: this.client, stream: 'downstream', counters: o.counters.downstream }),
    };
    for (const toxic of o.toxics) this.links[toxic.stream].addToxic(toxic);
    for (const socket of [this.client, this.upstream]) {
      let ended = false;
      socket.on('end', () => (ended = true));
      socket.on('error', () => this.destroy());
      socket.on('close', () => {
        // A side that closed without ending cleanly was aborted: end the other too.
        if (!ended && !this.#closing) this.destroy();
        if (--this.#open === 0) this.#finish();
      });
    }
  }

  close(): void {
    this.#closing = true;
    this.#stopLinks();
    for (const socket of [this.client, this.upstream]) {
      if (!socket.destroyed) socket.destroySoon();
    }
  }

  reset(): void {
    this.#stopLinks();
    for (const socket of [this.client, this.upstream]) {
      if (!socket.destroyed) socket.resetAndDestroy();
    }
  }

  respond(data: Buffer, thenClose: boolean): void {
    this.links.downstream.inject(data, thenClose);
  }

  destroy(): void {
    this.#stopLinks();
    this.client.destroy();
    this.upstream.destroy();
  }

  #stopLinks(): void {
    this.links.upstream.close();
    this.links.downstream.close();
  }

  #finish(): void {
    if (this.#done) return;
    this.#done = true;
    this.#stopLinks();
    this.#onClosed(this);
  }
}
