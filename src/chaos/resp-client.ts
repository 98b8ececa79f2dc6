/**
 * A tiny RESP2 client over node:net (or node:tls for rediss://): sends one command
 * after AUTH (when the URL has a password) and reads one reply each. Enough for
 * `FLUSHALL`; not a general Redis client.
 */
import net from 'node:net';
import tls from 'node:tls';

export type RespReply = string | number | null | RespReply[] | RespError;

export class RespError extends Error {}

function encode(args: string[]): Buffer {
  const parts = [`*${args.length}\r\n`];
  for (const arg of args) parts.push(`$${Buffer.byteLength(arg)}\r\n${arg}\r\n`);
  return Buffer.from(parts.join(''));
}

/** Parses one reply at `offset`; null when the buffer does not hold all of it yet. */
export function parseReply(buf: Buffer, offset = 0): { reply: RespReply; next: number } | null {
  const end = buf.indexOf('\r\n', offset);
  if (end < 0) return null;
  const type = String.fromCharCode(buf[offset]!);
  const line = buf.toString('utf8', offset + 1, end);
  const after = end + 2;
  switch (type) {
    case '+':
      return { reply: line, next: after };
    case '-':
      return { reply: new RespError(line), next: after };
    case ':':
      return { reply: Number(line), next: after };
    case '$': {
      const size = Number(line);
      if (size < 0) return { reply: null, next: after };
      if (buf.length < after + size + 2) return null;
      return { reply: buf.toString('utf8', after, after + size), next: after + size + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { reply: null, next: after };
      const items: RespReply[] = [];
      let at = after;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buf, at);
        if (!item) return null;
        items.push(item.reply);
        at = item.next;
      }
      return { reply: items, next: at };
    }
    default:
      throw new RespError(`not a RESP reply: ${JSON.stringify(buf.toString('utf8', offset, Math.min(buf.length, offset + 40)))}`);
  }
}

/**
 * Connects to `url` (`redis://[user:password@]host:port`), runs each command in turn and
 * resolves with their replies; rejects on a connection error, a RESP error reply or after `timeoutMs`.
 */
export function respCommands(url: string, commands: string[][], timeoutMs = 5000): Promise<RespReply[]> {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = Number(u.port || 6379);
  const auth: string[][] = u.password ? [u.username ? ['AUTH', decodeURIComponent(u.username), decodeURIComponent(u.password)] : ['AUTH', decodeURIComponent(u.password)]] : [];
  const all = [...auth, ...commands];
  return new Promise((resolve, reject) => {
    const socket = u.protocol === 'rediss:' ? tls.connect({ host, port, servername: host }) : net.connect({ host, port });
    const replies: RespReply[] = [];
    let pending = Buffer.alloc(0);
    const finish = (err: Error | null): void => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(replies.slice(auth.length));
    };
    const timer = setTimeout(() => finish(new Error(`no answer from ${host}:${port} within ${timeoutMs} ms`)), timeoutMs);
    socket.once(u.protocol === 'rediss:' ? 'secureConnect' : 'connect', () => socket.write(Buffer.concat(all.map(encode))));
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      try {
        for (let parsed = parseReply(pending); parsed; parsed = parseReply(pending)) {
          pending = pending.subarray(parsed.next);
          if (parsed.reply instanceof RespError) {
            finish(new RespError(`${all[replies.length]![0]} answered ${parsed.reply.message}`));
            return;
          }
          replies.push(parsed.reply);
          if (replies.length === all.length) {
            finish(null);
            return;
          }
        }
      } catch (err) {
        finish(err instanceof Error ? err : new Error(String(err)));
      }
    });
    socket.once('error', (err: Error) => finish(err));
    socket.once('close', () => finish(new Error(`${host}:${port} closed the connection after ${replies.length} of ${all.length} replies`)));
  });
}
