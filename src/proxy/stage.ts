/**
 * The contract between a link (one direction of one proxied connection) and the
 * toxics placed on it. A toxic becomes a Stage per link; chunks pass through the
 * stages in order, one at a time, so nothing is lost or reordered.
 */

/** A piece of the byte stream with the time (performance.now(), ms) it was read. */
export interface Chunk {
  data: Buffer;
  at: number;
}

/** Hands a chunk to the next stage; a promise means "wait before the next chunk". */
export type Emit = (chunk: Chunk) => void | Promise<void>;

export interface Stage {
  /** Passes the chunk on through `emit` now or later, split or dropped. */
  push(chunk: Chunk, emit: Emit): void | Promise<void>;
  /** The source side ended; resolves when the end may pass on. */
  end?(): void | Promise<void>;
  /** The toxic was removed or replaced: stop timers, let held data go at once. */
  dispose(reason: 'removed' | 'replaced' | 'closed'): void;
}

/** What a stage may do to the connection it sits on. */
export interface ConnectionControl {
  /** Flushes what was written, then closes both sides with FIN. */
  close(): void;
  /** Closes both sides with a TCP RST (ECONNRESET for the peers). */
  reset(): void;
  /** Sends bytes back to the client as if they came from the upstream. */
  respond(data: Buffer, thenClose: boolean): void;
}

export interface StageContext {
  connection: ConnectionControl;
  /** Aborted when the stage is disposed. */
  signal: AbortSignal;
  random: () => number;
  /** Counts one activation of the toxic (a connection or request it acted on). */
  activated(): void;
  /**
   * State of this toxic on this link that outlives the stage: an update re-creates the
   * stage but keeps it, as Toxiproxy keeps a stateful toxic's state (limit_data's count).
   */
  state: Record<string, number>;
  now(): number;
}
