/**
 * RESP2 replies: a small tagged union and its encoder. Simple strings and errors
 * are written as latin1, so an error that quotes a client's bytes (an unknown
 * command's name) gives those bytes back unchanged, as Redis does.
 */

export type Reply =
  | { readonly type: 'simple'; readonly value: string }
  | { readonly type: 'error'; readonly value: string }
  | { readonly type: 'integer'; readonly value: number | bigint }
  | { readonly type: 'bulk'; readonly value: Buffer | null }
  | { readonly type: 'array'; readonly value: readonly Reply[] | null };

export const OK: Reply = { type: 'simple', value: 'OK' };
export const NIL: Reply = { type: 'bulk', value: null };
export const QUEUED: Reply = { type: 'simple', value: 'QUEUED' };

export function simple(value: string): Reply {
  return { type: 'simple', value };
}

/** An error reply; `message` starts with its prefix (`ERR ...`, `WRONGPASS ...`). */
export function error(message: string): Reply {
  return { type: 'error', value: message };
}

export function integer(value: number | bigint): Reply {
  return { type: 'integer', value };
}

export function bulk(value: Buffer | string | null): Reply {
  return { type: 'bulk', value: typeof value === 'string' ? Buffer.from(value, 'latin1') : value };
}

export function array(value: readonly Reply[] | null): Reply {
  return { type: 'array', value };
}

/** Replaces CR and LF with spaces: an error or status line must stay one line. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]/g, ' ');
}

function encodeInto(reply: Reply, out: Buffer[]): void {
  switch (reply.type) {
    case 'simple':
      out.push(Buffer.from(`+${oneLine(reply.value)}\r\n`, 'latin1'));
      return;
    case 'error':
      out.push(Buffer.from(`-${oneLine(reply.value)}\r\n`, 'latin1'));
      return;
    case 'integer':
      out.push(Buffer.from(`:${reply.value}\r\n`, 'latin1'));
      return;
    case 'bulk':
      if (reply.value === null) {
        out.push(Buffer.from('$-1\r\n', 'latin1'));
        return;
      }
      out.push(Buffer.from(`$${reply.value.length}\r\n`, 'latin1'), reply.value, Buffer.from('\r\n', 'latin1'));
      return;
    case 'array':
      if (reply.value === null) {
        out.push(Buffer.from('*-1\r\n', 'latin1'));
        return;
      }
      out.push(Buffer.from(`*${reply.value.length}\r\n`, 'latin1'));
      for (const item of reply.value) encodeInto(item, out);
      return;
  }
}

/** Encodes one or more replies into the bytes written to the client. */
export function encodeReplies(replies: readonly Reply[]): Buffer {
  const out: Buffer[] = [];
  for (const reply of replies) encodeInto(reply, out);
  return Buffer.concat(out);
}
