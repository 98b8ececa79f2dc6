import type { Socket } from 'node:net';
import type { Random } from './random.js';
import type { Chunk, ConnectionControl, Stage } from './stage.js';
import type { Stream } from './toxics/definition.js';
import type { Toxic } from './toxic.js';
import { now } from './timing.js';

/** Byte counters of one direction, shared with the proxy's stats. */
export interface DirectionCounters {
  received: number;
  sent: number;
}

export interface LinkOptions {
  src: Socket;
  dst: Socket;
  stream: Stream;
  control: ConnectionControl;
  random: Random;
  counters: DirectionCounters;
  onActivated: (toxic: Toxic) => void;
}

interface Slot {
  toxic: Toxic;
  /** Undefined when the toxicity roll spared this link. */
  stage: Stage | undefined;
  abort: AbortController;
  state: Record<string, number>;
}

const END = Symbol('end');
type Item = Chunk | typeof END;

/** Queue length (chunks) at which the source is paused while toxics hold data. */
const HIGH_WATER = 16;
const LOW_WATER = 4;

/**
 * One direction of one proxied connection. With no active toxic, data goes straight
 * from src to dst, as a pipe would. With toxics, chunks queue and pass through the
 * toxics' stages one at a time, so adding, changing or removing a toxic mid-stream
 * never loses or reorders a byte.
 */
export class Link {
  readonly stream: Stream;
  #o: LinkOptions;
  #slots: Slot[] = [];
  #active = 0;
  #queue: Item[] = [];
  #pumping = false;
  #closed = false;
  #pausedForDrain = false;
  #pausedForQueue = false;

  constructor(options: LinkOptions) {
    this.#o = options;
    this.stream = options.stream;
    options.src.on('data', (data: Buffer) => this.#onData(data));
    options.src.on('end', () => this.#onEnd());
  }

  addToxic(toxic: Toxic): void {
    this.#slots.push(this.#makeSlot(toxic));
  }

  /** Re-creates the toxic's stage with its new attributes (and a new toxicity roll). */
  updateToxic(toxic: Toxic): void {
    const i = this.#slots.findIndex((s) => s.toxic === toxic);
    const old = this.#slots[i];
    if (!old) return;
    this.#dispose(old, 'replaced');
    this.#slots[i] = this.#makeSlot(toxic, old.state);
  }

  removeToxic(toxic: Toxic): void {
    const i = this.#slots.findIndex((s) => s.toxic === toxic);
    const old = this.#slots[i];
    if (!old) return;
    this.#slots.splice(i, 1);
    this.#dispose(old, 'removed');
    if (this.#active === 0 && !this.#pumping) this.#unpause('queue');
  }

  /** Sends bytes to dst in order with everything else (for injected HTTP answers). */
  inject(data: Buffer, thenEnd: boolean): void {
    if (this.#closed) return;
    this.#queue.push({ data, at: now() });
    if (thenEnd) this.#queue.push(END);
    if (!this.#pumping) void this.#pump();
  }

  /** Stops the link for good: queued data is dropped, stages are disposed. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue = [];
    for (const slot of this.#slots) this.#dispose(slot, 'closed');
    this.#slots = [];
  }

  #makeSlot(toxic: Toxic, state: Record<string, number> = {}): Slot {
    const abort = new AbortController();
    const hit = this.#o.random() < toxic.toxicity;
    let stage: Stage | undefined;
    if (hit) {
      const ctx = {
        connection: this.#o.control,
        signal: abort.signal,
        random: this.#o.random,
        now,
        activated: () => this.#o.onActivated(toxic),
        state,
      };
      stage = toxic.definition.createStage(() => toxic.attributes, ctx);
      this.#active++;
      if (!toxic.definition.activatesPerRequest) this.#o.onActivated(toxic);
    }
    return { toxic, stage, abort, state };
  }

  #dispose(slot: Slot, reason: 'removed' | 'replaced' | 'closed'): void {
    if (!slot.stage) return;
    this.#active--;
    slot.abort.abort();
    slot.stage.dispose(reason);
  }

  #onData(data: Buffer): void {
    this.#o.counters.received += data.length;
    if (this.#closed) return;
    if (!this.#pumping && this.#active === 0) {
      // Fast path, as a pipe: back-pressure pauses src until dst drains.
      void this.#write(data);
      return;
    }
    this.#queue.push({ data, at: now() });
    if (this.#queue.length >= HIGH_WATER && !this.#pausedForQueue) {
      this.#pausedForQueue = true;
      this.#o.src.pause();
    }
    if (!this.#pumping) void this.#pump();
  }

  #onEnd(): void {
    if (this.#closed) return;
    if (!this.#pumping && this.#active === 0) {
      this.#o.dst.end();
      return;
    }
    this.#queue.push(END);
    if (!this.#pumping) void this.#pump();
  }

  /** Writes to dst; returns a promise when dst asks us to wait for 'drain'. */
  #write(data: Buffer): Promise<void> | undefined {
    const dst = this.#o.dst;
    if (this.#closed || dst.destroyed) return undefined;
    this.#o.counters.sent += data.length;
    if (dst.write(data)) return undefined;
    if (!this.#pausedForDrain) {
      this.#pausedForDrain = true;
      this.#o.src.pause();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        dst.off('drain', done);
        dst.off('close', done);
        this.#unpause('drain');
        resolve();
      };
      dst.on('drain', done);
      dst.on('close', done);
    });
  }

  #unpause(reason: 'drain' | 'queue'): void {
    if (reason === 'drain') this.#pausedForDrain = false;
    else this.#pausedForQueue = false;
    if (!this.#pausedForDrain && !this.#pausedForQueue && !this.#closed) this.#o.src.resume();
  }

  /** Passes a chunk through the stages from index i on, then to dst. */
  #run(i: number, chunk: Chunk, slots: readonly Slot[]): void | Promise<void> {
    for (let j = i; j < slots.length; j++) {
      const slot = slots[j];
      if (slot?.stage && !slot.abort.signal.aborted) {
        return slot.stage.push(chunk, (next) => this.#run(j + 1, next, slots));
      }
    }
    return this.#write(chunk.data);
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    try {
      for (let item = this.#queue.shift(); item !== undefined && !this.#closed; item = this.#queue.shift()) {
        if (this.#pausedForQueue && this.#queue.length <= LOW_WATER) this.#unpause('queue');
        const slots = this.#slots.slice();
        if (item === END) {
          for (const slot of slots) if (slot.stage?.end && !slot.abort.signal.aborted) await slot.stage.end();
          if (!this.#closed) this.#o.dst.end();
          continue;
        }
        const pending = this.#run(0, item, slots);
        if (pending) await pending;
      }
    } catch {
      // A stage failed: the connection cannot continue in order, so it ends here.
      this.#o.control.reset();
    } finally {
      this.#pumping = false;
      if (this.#pausedForQueue) this.#unpause('queue');
    }
  }
}
