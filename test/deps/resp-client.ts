/**
 * A raw RESP client for tests: writes bytes, reads whole replies and returns the
 * exact bytes received, so two servers can be compared byte for byte.
 */
import net from 'node:net';
import { once } from 'node:events';
import type { TestContext } from 'node:test';

export type RespValue = { simple: string } | { error: string } | bigint | Buffer | null | RespValue[];

/** Encodes a command as a RESP array of bulk strings. */
export function encodeCommand(args: readonly (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = typeof arg === 'string' ? Buffer.from(arg) : arg;
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** Parses one reply at `offset`; null when the bytes end first. */
export function parseReply(buf: Buffer, offset = 0): { value: RespValue; end: number } | null {
  const lineEnd = buf.indexOf('\r\n', offset);
  if (lineEnd < 0) return null;
  const type = String.fromCharCode(buf[offset]!);
  const line = buf.toString('latin1', offset + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: { simple: line }, end: next };
    case '-':
      return { value: { error: line }, end: next };
    case ':':
      return { value: BigInt(line), end: next };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: null, end: next };
      if (buf.length < next + length + 2) return null;
      return { value: buf.subarray(next, next + length), end: next + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, end: next };
      const items: RespValue[] = [];
      let at = next;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buf, at);
        if (item === null) return null;
        items.push(item.value);
        at = item.end;
      }
      return { value: items, end: at };
    }
    default:
      throw new Error(`not a RESP reply at byte ${offset}: ${JSON.stringify(buf.toString('latin1', offset, offset + 20))}`);
  }
}

/** Parses every complete reply in `buf`. */
export function parseAll(buf: Buffer): RespValue[] {
  const values: RespValue[] = [];
  let at = 0;
  while (at < buf.length) {
    const reply = parseReply(buf, at);
    if (reply === null) break;
    values.push(reply.value);
    at = reply.end;
  }
  return values;
}

export class RawClient {
  readonly socket: net.Socket;
  #received: Buffer = Buffer.alloc(0);
  #closed = false;
  #waiters: (() => void)[] = [];

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (d: Buffer) => {
      this.#received = Buffer.concat([this.#received, d]);
      this.#wake();
    });
    socket.on('close', () => {
      this.#closed = true;
      this.#wake();
    });
    socket.on('error', () => undefined);
  }

  static async connect(t: TestContext, port: number, host = '127.0.0.1'): Promise<RawClient> {
    const socket = net.connect({ host, port });
    t.after(() => socket.destroy());
    await once(socket, 'connect');
    return new RawClient(socket);
  }

  #wake(): void {
    for (const waiter of this.#waiters.splice(0)) waiter();
  }

  async #until(done: () => boolean): Promise<void> {
    while (!done()) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  write(bytes: Buffer | string): void {
    this.socket.write(bytes);
  }

  /** Resolves with the raw bytes of the next `count` replies (fails if the server closes first). */
  async replies(count: number): Promise<Buffer> {
    let end = 0;
    const complete = (): boolean => {
      end = 0;
      for (let i = 0; i < count; i++) {
        const reply = parseReply(this.#received, end);
        if (reply === null) return false;
        end = reply.end;
      }
      return true;
    };
    await this.#until(() => complete() || this.#closed);
    if (!complete()) throw new Error(`connection closed after ${JSON.stringify(this.#received.toString('latin1'))}, before ${count} replies`);
    const bytes = this.#received.subarray(0, end);
    this.#received = this.#received.subarray(end);
    return bytes;
  }

  /** Resolves with everything received until the server closes the connection. */
  async untilClosed(): Promise<Buffer> {
    await this.#until(() => this.#closed);
    const bytes = this.#received;
    this.#received = Buffer.alloc(0);
    return bytes;
  }

  /** Sends one command and resolves with its parsed reply. */
  async call(...args: (string | Buffer)[]): Promise<RespValue> {
    this.write(encodeCommand(args));
    return parseReply(await this.replies(1))!.value;
  }
}
